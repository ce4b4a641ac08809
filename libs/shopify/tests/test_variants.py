"""Typed reads by variant id (prices, stock at a location) and orderClose."""

from __future__ import annotations

from decimal import Decimal

from shopify import ShopifyClient
from shopify.inputs import LineItemInput, MoneyBagInput, OrderCreateInput
from shopify.models import Variant, VariantStock
from shopify_sandbox.testing import SandboxShop

UNKNOWN = "gid://shopify/ProductVariant/999999999"


async def _variant(env: SandboxShop, client: ShopifyClient) -> Variant:
    summary = env.control.seed(env.shop, products=1, variants_per_product=1)
    product = await client.products.get(summary["product_ids"][0])
    assert product is not None
    return product.variants[0]


async def test_prices_are_read_by_variant_and_unknown_ids_are_left_out(
    env: SandboxShop, client: ShopifyClient
) -> None:
    variant = await _variant(env, client)
    env.control.set_price(env.shop, variant.id, "12.34")
    assert await client.variants.prices([]) == {}
    assert await client.variants.prices([variant.id, UNKNOWN]) == {variant.id: Decimal("12.34")}


async def test_stock_is_read_at_one_location(env: SandboxShop, client: ShopifyClient) -> None:
    variant = await _variant(env, client)
    assert variant.inventory_item is not None
    stocked, other = env.locations[0], env.locations[1]
    env.control.set_stock(env.shop, variant.inventory_item.id, stocked, 7)
    env.control.set_stock(env.shop, variant.inventory_item.id, other, 2)
    stock = await client.variants.stock([variant.id, UNKNOWN], stocked)
    assert list(stock) == [variant.id]
    assert stock[variant.id].sku == variant.sku
    assert stock[variant.id].available == 7
    assert stock[variant.id].enforced is (
        variant.inventory_policy == "DENY" and bool(variant.inventory_item.tracked)
    )
    assert (await client.variants.stock([variant.id], other))[variant.id].available == 2


async def test_close_archives_an_order_and_closing_twice_is_harmless(
    client: ShopifyClient,
) -> None:
    line = LineItemInput(
        title="Item", quantity=1, price_set=MoneyBagInput.of(Decimal("5.00"), "USD")
    )
    order = await client.orders.create(OrderCreateInput(line_items=[line], currency="USD"))
    first = await client.orders.close(order.id)
    again = await client.orders.close(order.id)
    assert first is not None
    assert again is not None
    assert (first.id, first.closed, again.closed) == (order.id, True, True)
    assert await client.orders.close("gid://shopify/Order/999999999") is None


def test_a_variant_not_stocked_at_the_location_has_nothing_available() -> None:
    node = {"id": "v1", "inventoryPolicy": "DENY", "inventoryItem": {"tracked": True}}
    stock = VariantStock.model_validate(node | {"inventoryItem": {"inventoryLevel": None}})
    assert (stock.available, stock.enforced) == (0, False)  # tracked unknown: not enforced
    tracked = VariantStock.model_validate(node)
    assert (tracked.available, tracked.enforced) == (0, True)


async def test_product_prices_read_price_compare_at_and_tags(
    env: SandboxShop, client: ShopifyClient
) -> None:
    product_id = env.control.seed(env.shop, products=1, variants_per_product=2)["product_ids"][0]
    product = await client.products.get(product_id)
    assert product is not None
    env.control.set_price(env.shop, product.variants[0].id, "40.00", "50.00")
    prices = await client.products.prices(product_id)
    assert prices is not None
    assert prices.tags == product.tags
    first = prices.variants[0]
    assert (first.id, first.price, first.compare_at_price) == (
        product.variants[0].id,
        Decimal("40.00"),
        Decimal("50.00"),
    )
    assert [v.id for v in prices.variants] == [v.id for v in product.variants]
    assert prices.collection_ids == frozenset()
    assert await client.products.prices("gid://shopify/Product/999999999") is None


async def test_product_prices_read_the_products_collections(
    env: SandboxShop, client: ShopifyClient
) -> None:
    first, second = env.control.seed(env.shop, products=2, variants_per_product=1)["product_ids"]
    sale = env.control.create_collection(env.shop, "Sale", [first, second])
    shoes = env.control.create_collection(env.shop, "Shoes", [first])
    prices = await client.products.prices(first)
    assert prices is not None
    assert prices.collection_ids == {sale["id"], shoes["id"]}
    env.control.change_collection(env.shop, sale["id"], remove=[first])
    again = await client.products.prices(first)
    assert again is not None
    assert again.collection_ids == {shoes["id"]}
