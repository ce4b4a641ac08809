"""A collection price rule through the real processes: Shopify webhooks reach the gateway,
price-promotions reads the product's collections and TikTok shows the marked-up price only for
products in the collection."""

import pytest

from .conftest import World

pytestmark = pytest.mark.e2e

MARKUP = {"adjustment": "markup", "amount_type": "percent", "amount": "10"}


def test_a_collection_markup_prices_its_products_and_follows_a_product_page_edit(
    world: World,
) -> None:
    inside, outside = world.link(2)
    sale = world.create_collection("Summer sale", [inside.shopify_product_id])
    world.put_pricing(rules=[{"scope": "collection", "target": sale, **MARKUP}])
    for product in (inside, outside):
        world.set_price(product, "90.00", None)
    world.wait_price(inside, "99.00")
    world.wait_price(outside, "90.00")

    # Added on the product's page: Shopify sends products/update, and the sync reads it again.
    world.change_collection(sale, add=[outside.shopify_product_id], via="product")
    world.wait_price(outside, "99.00")
    assert world.tiktok_price(inside) == "99.00"
