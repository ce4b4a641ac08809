"""inventorySetQuantities compare-and-set in both API generations (B6)."""

from __future__ import annotations

import pytest
from shopify import InventoryStaleError, ShopifyClient
from shopify.inputs import QuantitySet
from shopify_sandbox.testing import SandboxShop, provision_shop


async def _item(env: SandboxShop, client: ShopifyClient) -> str:
    summary = env.control.seed(env.shop, products=1, variants_per_product=1)
    product = await client.products.get(summary["product_ids"][0])
    assert product is not None
    assert product.variants[0].inventory_item is not None
    item_id = product.variants[0].inventory_item.id
    env.control.set_stock(env.shop, item_id, env.locations[0], 10)
    return item_id


@pytest.mark.parametrize("api_version", ["2026-01", "2026-04"])
async def test_stale_compare_and_set_is_rejected_and_fresh_one_applies(
    env: SandboxShop, api_version: str
) -> None:
    shop = provision_shop(env.control, api_version=api_version)
    async with shop.client() as client:
        item_id = await _item(shop, client)
        location = shop.locations[0]
        # Someone sells 3 units after we read 10.
        shop.control.set_stock(shop.shop, item_id, location, 7)
        with pytest.raises(InventoryStaleError) as raised:
            await client.inventory.set_quantities(
                [
                    QuantitySet(
                        inventory_item_id=item_id, location_id=location, quantity=25, change_from=10
                    )
                ]
            )
        expected = (
            "CHANGE_FROM_QUANTITY_STALE" if api_version >= "2026-04" else "COMPARE_QUANTITY_STALE"
        )
        assert raised.value.codes == {expected}
        changes = await client.inventory.set_quantities(
            [
                QuantitySet(
                    inventory_item_id=item_id, location_id=location, quantity=25, change_from=7
                )
            ]
        )
        assert [(c.delta, c.quantity_after_change) for c in changes] == [(18, 25)]


async def test_unchecked_set_overwrites(env: SandboxShop, client: ShopifyClient) -> None:
    item_id = await _item(env, client)
    await client.inventory.set_quantities(
        [QuantitySet(inventory_item_id=item_id, location_id=env.locations[0], quantity=3)]
    )
    levels = {lv.location_id: lv.available for lv in await client.inventory.levels(item_id)}
    assert levels[env.locations[0]] == 3


async def test_locations_are_listed(env: SandboxShop, client: ShopifyClient) -> None:
    assert [loc.id async for loc in client.inventory.locations()] == env.locations
