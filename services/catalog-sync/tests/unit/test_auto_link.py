"""Link existing TikTok listings by SKU (guide: "Map Products": map an existing TikTok Shop
product with a Shopify product; here for every listing at once, the rest left for the map)."""

from datetime import UTC, datetime
from decimal import Decimal

from catalog_sync.core.auto_link import TikTokListing, plan_links
from catalog_sync.core.map_product import TikTokSku
from catalog_sync.core.models import SourceProduct, SourceVariant
from hypothesis import given
from hypothesis import strategies as st

AT = datetime(2026, 1, 1, tzinfo=UTC)


def product(pid: str, *skus: str) -> SourceProduct:
    variants = [
        SourceVariant(shopify_variant_id=f"{pid}-v{i}", sku=s, price=Decimal(1))
        for i, s in enumerate(skus)
    ]
    return SourceProduct(shopify_product_id=pid, title=pid, variants=variants, updated_at=AT)


def listing(tid: str, *skus: str) -> TikTokListing:
    return TikTokListing(
        id=tid, skus=[TikTokSku(id=f"{tid}-s{i}", seller_sku=s) for i, s in enumerate(skus)]
    )


def test_listings_link_by_seller_sku_and_the_rest_say_why() -> None:
    products = [product("p1", "A", "B"), product("p2", "C"), product("p3", "D"), product("p4", "D")]
    listings = [
        listing("t1", "A", "B"),
        listing("t2", "C", "X"),
        listing("t3", "D"),
        listing("t4", ""),
        listing("t5", "A"),
    ]
    links, left = plan_links(listings, products, linked_products=set())
    assert [(x.tiktok_product_id, x.shopify_product_id) for x in links] == [("t1", "p1")]
    assert {s.shopify_variant_id: s.tiktok_sku_id for s in links[0].links} == {
        "p1-v0": "t1-s0",
        "p1-v1": "t1-s1",
    }
    reasons = {x.tiktok_product_id: x.reason for x in left}
    assert "no Shopify variant has seller SKU X" in reasons["t2"]
    assert "several Shopify products (p3, p4)" in reasons["t3"]
    assert "no seller SKU" in reasons["t4"]
    assert "linked to another TikTok product" in reasons["t5"]  # p1 went to t1


@given(
    skus=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=4),
    linked=st.booleans(),
)
def test_every_listing_is_linked_once_or_listed_and_no_product_twice(
    skus: list[str], linked: bool
) -> None:
    products = [product("p1", "A", "B"), product("p2", "C")]
    listings = [listing(f"t{i}", s) for i, s in enumerate(skus)]
    links, left = plan_links(listings, products, {"p1"} if linked else set())
    assert len(links) + len(left) == len(listings)
    targets = [x.shopify_product_id for x in links]
    assert len(targets) == len(set(targets))
    assert not (linked and "p1" in targets)
