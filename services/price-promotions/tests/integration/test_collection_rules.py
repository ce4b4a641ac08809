"""A collection price rule prices the products in the Shopify collection and no others, and a
membership change, of which no webhook tells the connector, reaches TikTok with the sweep."""

from datetime import timedelta

import pytest
from price_promotions.settings import PricePromotionsSettings

from .conftest import Pricing

pytestmark = pytest.mark.integration

RECONCILE = timedelta(hours=PricePromotionsSettings.model_fields["price_reconcile_hours"].default)
MARKUP = {"adjustment": "markup", "amount_type": "percent", "amount": "10"}


async def test_a_collection_markup_reaches_tiktok_only_for_products_in_the_collection(
    pricing: Pricing,
) -> None:
    inside, outside = await pricing.merchant.link_products(pricing.http, 2)
    sale = await pricing.merchant.create_collection(
        pricing.http, "Summer sale", [inside.shopify_product_id]
    )
    await pricing.put_pricing(rules=[{"scope": "collection", "target": sale, **MARKUP}])
    for product in (inside, outside):
        await pricing.send(product.pushed())
        await pricing.wait_state(product, lambda s: s["status"] == "synced")
    assert await pricing.tiktok_price(inside) == "110.00"
    assert await pricing.tiktok_price(outside) == "100.00"

    # On the collection's page: Shopify sends collections/update, which names no products, so
    # the region's sweep re-reads them once they are PRICE_RECONCILE_HOURS old.
    await pricing.merchant.change_collection(
        pricing.http, sale, add=[outside.shopify_product_id], remove=[inside.shopify_product_id]
    )
    await pricing.advance(RECONCILE + timedelta(hours=1))
    for product, price in ((outside, "110.00"), (inside, "100.00")):
        await pricing.wait_state(
            product, lambda s, p=product, v=price: s["skus"][p.tiktok_sku_id]["list_price"] == v
        )
    assert await pricing.tiktok_price(outside) == "110.00"
    assert await pricing.tiktok_price(inside) == "100.00"
