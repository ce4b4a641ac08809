"""Link by SKU, Update stock and Update price per region (issue 9, ADR 0340): a connection with a
US and a GB shop. The product is pushed to US and listed by hand in GB; link by SKU over every
region links GB's listing (US's own listing already linked); then the seller changes stock and
price by hand in both shops, and Update stock / Update price with `?region=GB` put Shopify's
figures back on GB's TikTok product only."""

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from connector_devstack.sandboxes import add_region_sync
from connector_devstack.services import ServiceProcess
from tiktok_shop.models.products import Price, SkuPriceUpdate, SkuStock, WarehouseStock
from tiktok_shop_sandbox.product_rules import expected_category_version
from tiktok_shop_sandbox.samples import sample_png, sample_product

pytestmark = pytest.mark.e2e

Json = dict[str, Any]


@pytest.fixture(scope="module")
def owners(start_module_service: Callable[..., ServiceProcess]) -> tuple[ServiceProcess, ...]:
    """inventory-guard and price-promotions (their sweeps an hour away: only our hand-offs and
    the link's `product.pushed` move stock and prices here)."""
    return (
        start_module_service("inventory-guard", inventory_coalesce_seconds="0.2"),
        start_module_service("price-promotions", price_poll_seconds="0.2"),
    )


@pytest.fixture
def world(owners: tuple[ServiceProcess, ...], catalog_world: Any) -> Any:
    """A connected merchant with gateway, catalog-sync, inventory-guard and price-promotions."""
    return catalog_world


def in_region(
    world: Any, path: str, region: str | None, body: Any = None, status: int = 202
) -> Any:
    """POST to the connection's catalog API, with `?region=` when given."""
    params = {"region": region} if region else {}
    response = httpx.post(f"{world.api}{path}", params=params, json=body, timeout=60)
    assert response.status_code == status, response.text
    return response.json()


def list_in_shop(world: Any, shop_id: str, cipher: str, region: str, seller_sku: str) -> str:
    """The seller lists a product by hand in one of its shops (Seller Center)."""

    async def create() -> str:
        async with world.seller_client(shop_id, cipher) as client:
            image = (await client.catalog.upload_image(sample_png())).uri
            warehouse = (await client.logistics.warehouses())[0].id
            body = sample_product(
                image,
                warehouse,
                seller_sku,
                currency="GBP" if region == "GB" else "USD",
                category_version=expected_category_version(region),
            )
            return (await client.products.create(body)).product_id

    return asyncio.run(create())


def edit_by_hand(world: Any, shop_id: str, cipher: str, product_id: str) -> None:
    """The seller sets the product's stock to 1 and its price to 77.70 in Seller Center."""

    async def edit() -> None:
        async with world.seller_client(shop_id, cipher) as client:
            product = await client.products.get(product_id)
            stock = [
                SkuStock(
                    id=s.id,
                    inventory=[
                        WarehouseStock(warehouse_id=w.warehouse_id, quantity=1) for w in s.inventory
                    ],
                )
                for s in product.skus
            ]
            await client.products.update_inventory(product_id, stock)
            prices = [
                SkuPriceUpdate(
                    id=s.id, price=Price(amount=Decimal("77.70"), currency=s.price.currency)
                )
                for s in product.skus
                if s.price
            ]
            await client.products.update_price(product_id, prices)

    asyncio.run(edit())


def on_tiktok(world: Any, product_id: str) -> tuple[int, Decimal]:
    """Stock (summed over warehouses) and price of a one-SKU TikTok product, as TikTok has it."""
    (sku,) = world.tiktok_control("GET", f"/products/{product_id}")["skus"]
    return sum(i["quantity"] for i in sku["inventory"]), Decimal(str(sku["price"]["sale_price"]))


def test_link_by_sku_and_updates_act_in_the_region_asked(world: Any) -> None:
    gb = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, "GB")
    assert gb.response.status_code == 200, gb.response.text
    world.poll(
        lambda: httpx.get(f"{world.api}/settings", params={"region": "GB"}).status_code,
        lambda s: s == 200,
    )
    world.seed_clean("Storage Jar", 1, products=1, seed=71)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid, numeric = pulled["shopify_product_id"], pulled["shopify_product_id"].rsplit("/", 1)[-1]
    variant = pulled["variants"][0]
    shopify = (variant["stock"], Decimal(variant["price"]))
    world.wait_task(in_region(world, "/push", "US", {"product_ids": [pid]})["task_id"])
    us_id = world.product(pid)["tiktok_product_id"]
    gb_id = list_in_shop(world, gb.shop_id, gb.cipher, "GB", variant["sku"])
    world.tiktok_control("POST", f"/products/{gb_id}/audit", {"approved": True, "reasons": []})

    # Every region: US has nothing left to link (its listing is ours), GB links its listing.
    task = world.wait_task(in_region(world, "/link-by-sku", None)["task_id"])
    assert (task["total"], task["done"], task["failed"]) == (1, 1, 0), task
    assert "US: Linked 0 TikTok products" in task["detail"]
    assert "GB: Linked 1 TikTok products" in task["detail"]
    gb_view = world.get(f"/products/{numeric}", region="GB")
    assert (gb_view["status"], gb_view["tiktok_product_id"]) == ("synced", gb_id)
    assert gb_view["skus"][0]["seller_sku"] == variant["sku"]
    assert world.get(f"/products/{numeric}", region="US")["tiktok_product_id"] == us_id
    # The link told the owners of stock and prices GB's SKUs: GB shows Shopify's figures.
    assert world.poll(lambda: on_tiktok(world, gb_id), lambda s: s == shopify, 60) == shopify
    assert world.poll(lambda: on_tiktok(world, us_id), lambda s: s == shopify, 60) == shopify
    again = world.wait_task(in_region(world, "/link-by-sku", "gb")["task_id"])
    assert (again["total"], again["done"], again["failed"]) == (0, 0, 0), again

    # The seller edits both listings by hand; Update stock / price in GB put GB's back only.
    edit_by_hand(world, world.merchant.tiktok_shop_id, world.merchant.tiktok_shop_cipher, us_id)
    edit_by_hand(world, gb.shop_id, gb.cipher, gb_id)
    by_hand = (1, Decimal("77.70"))
    assert (on_tiktok(world, us_id), on_tiktok(world, gb_id)) == (by_hand, by_hand)
    for action in ("/products/update-stock", "/products/update-price"):
        handed = in_region(world, action, "GB", {"product_ids": [pid, "gid://shopify/Product/1"]})
        assert (handed["requested"], handed["skipped"]) == (1, ["gid://shopify/Product/1"])
    assert world.poll(lambda: on_tiktok(world, gb_id), lambda s: s == shopify, 60) == shopify
    # Without the region both syncs would have been queued in one transaction with GB's and run
    # alongside it: US still showing the seller's figures means only GB was asked.
    assert on_tiktok(world, us_id) == by_hand

    unknown = httpx.post(
        f"{world.api}/products/update-stock",
        params={"region": "FR"},
        json={"product_ids": [pid]},
        timeout=30,
    )
    assert unknown.status_code == 404
    assert "FR is not a region of" in unknown.json()["detail"]
    # No region: every region, US included.
    handed = in_region(world, "/products/update-stock", None, {"product_ids": [pid]})
    assert handed["requested"] == 2
    assert world.poll(lambda: on_tiktok(world, us_id)[0], lambda q: q == shopify[0]) == shopify[0]


def test_a_product_linked_by_sku_keeps_tiktoks_price_under_the_tiktok_shop_price_rule(
    world: Any,
) -> None:
    """Issue 11, ADRs 0531 and 0533: the "Product price" rule set to TikTok Shop on a product
    reaches price-promotions with the link by SKU too, so the seller's TikTok price stays (the
    "Product stock" rule, still Origin, brings Shopify's stock)."""
    world.seed_clean("Oak Shelf", 1, products=1, seed=73, stock_min=3)
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    numeric = pulled["shopify_product_id"].rsplit("/", 1)[-1]
    variant = pulled["variants"][0]
    # Shopify's figures differ from the seller's, so either sync would show on TikTok.
    assert variant["stock"] != 1
    assert Decimal(variant["price"]) != Decimal("77.70")
    world.send("PATCH", f"/products/{numeric}", {"sync_rules": {"update": {"price": "tiktok"}}})
    shop_id, cipher = world.merchant.tiktok_shop_id, world.merchant.tiktok_shop_cipher
    listed = list_in_shop(world, shop_id, cipher, "US", variant["sku"])
    world.tiktok_control("POST", f"/products/{listed}/audit", {"approved": True, "reasons": []})
    edit_by_hand(world, shop_id, cipher, listed)  # stock 1, price 77.70 in Seller Center

    task = world.wait_task(in_region(world, "/link-by-sku", None)["task_id"])
    assert (task["total"], task["done"], task["failed"]) == (1, 1, 0), task
    assert world.get(f"/products/{numeric}")["tiktok_product_id"] == listed
    state_url = (
        f"{world.gateway.url}/api/v1/pricing/{world.connection_id}/regions/{shop_id}"
        f"/products/{numeric}"
    )
    state = world.poll(
        lambda: httpx.get(state_url, timeout=30).json(), lambda s: s.get("status"), 60
    )
    assert (state["status"], state["reason"]) == ("skipped", "price sync rule is TikTok Shop")
    stock = world.poll(lambda: on_tiktok(world, listed)[0], lambda q: q == variant["stock"], 60)
    assert stock == variant["stock"]
    assert on_tiktok(world, listed) == (variant["stock"], Decimal("77.70"))
