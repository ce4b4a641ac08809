"""Category keys and mappings, reasons, audit outcomes, pull windows, product mapping."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from catalog_sync.core.categories import (
    category_key,
    mapping_shop,
    recommendation_query,
    recommended,
    source_change_error,
)
from catalog_sync.core.global_products import GLOBAL_PREFIX
from catalog_sync.core.map_product import TikTokSku, match_skus
from catalog_sync.core.models import CategoriesSource, SourceProduct, SourceVariant
from catalog_sync.core.pull import updated_at_query
from catalog_sync.core.reasons import audit_reason, platform_reason
from catalog_sync.core.status import SyncStatus, audit_outcome, failed
from catalog_sync.core.translate import to_source_product
from hypothesis import given
from hypothesis import strategies as st
from shopify.models import Product

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def source(**fields: object) -> SourceProduct:
    base: dict[str, object] = {"shopify_product_id": "p", "title": "Tee", "updated_at": WHEN}
    return SourceProduct.model_validate(base | fields)


LOCAL_KEYS = st.text().filter(lambda k: not k.startswith(GLOBAL_PREFIX))


@given(key=LOCAL_KEYS, shop=st.none() | st.text(min_size=1))
def test_a_local_category_is_kept_per_region_and_a_global_one_per_connection(
    key: str, shop: str | None
) -> None:
    assert mapping_shop(key, shop) == (shop or "")
    assert mapping_shop(GLOBAL_PREFIX + key, shop) == ""


def test_category_key_follows_the_categories_source() -> None:
    p = source(product_type=" T-Shirts ", taxonomy_category_name="T-Shirts (standard)")
    assert category_key(p, CategoriesSource.PRODUCT_TYPE) == "T-Shirts"
    assert category_key(p, CategoriesSource.STANDARD_CATEGORY) == "T-Shirts (standard)"
    assert category_key(source(), CategoriesSource.PRODUCT_TYPE) is None


def test_recommendation_query_adds_a_real_title_to_the_category_name() -> None:
    assert recommendation_query("Candle", "Classic Candle 1") == "Classic Candle 1"
    assert recommendation_query("Candle", "Vanilla scent") == "Candle Vanilla scent"
    assert recommendation_query("Candle", None) == "Candle"


def test_recommendation_without_a_leaf_is_unmatched_with_a_note() -> None:
    assert recommended("X", "1", "Leaf", None).origin == "recommended"
    none = recommended("X", None, None, "no match")
    assert (none.origin, none.tiktok_category_id, none.note) == ("unmatched", None, "no match")


def test_categories_source_is_locked_once_products_are_synced() -> None:
    a, b = CategoriesSource.PRODUCT_TYPE, CategoriesSource.STANDARD_CATEGORY
    assert source_change_error(a, b, 0) is None
    assert source_change_error(a, a, 10) is None
    assert "3 products" in (source_change_error(a, b, 3) or "")


def test_platform_reasons_say_what_to_do_and_keep_the_platform_words() -> None:
    brand = platform_reason(12052208, "A brand authorization is required")
    assert "Choose brand" in brand.message
    assert "A brand authorization is required" in brand.message
    unknown = platform_reason(1, "Something new")
    assert unknown.message == "TikTok Shop rejected the product: Something new"
    assert "watermark" in audit_reason(["watermark"]).message


@pytest.mark.parametrize(
    ("status", "audit", "expected"),
    [
        ("PRODUCT_FIRST_PASS_REVIEW", None, True),
        ("PRODUCT_AUDIT_FAILURE", None, False),
        (None, "APPROVED", True),
        (None, "FAILED", False),
        ("PRODUCT_STATUS_CHANGED", None, None),
        (None, "AUDITING", None),
    ],
)
def test_audit_outcome_of_webhooks(
    status: str | None, audit: str | None, expected: bool | None
) -> None:
    assert audit_outcome(status, audit) is expected


def test_failed_status_depends_on_the_link() -> None:
    assert failed(False) is SyncStatus.SYNC_FAILED
    assert failed(True) is SyncStatus.UPDATE_FAILED


def test_pull_window_query() -> None:
    assert updated_at_query(None, None) is None
    since = updated_at_query(WHEN, None)
    assert since == "updated_at:>='2026-01-01T00:00:00+00:00'"
    assert " AND updated_at:<=" in (updated_at_query(WHEN, WHEN) or "")


def variants() -> list[SourceVariant]:
    return [
        SourceVariant(
            shopify_variant_id=f"v{n}", inventory_item_id=f"i{n}", sku=f"S{n}", price=Decimal(n)
        )
        for n in (1, 2)
    ]


def test_map_product_links_by_seller_sku_or_by_hand() -> None:
    p = source(variants=variants())
    links, issues = match_skus(
        p, [TikTokSku(id="t1", seller_sku="S2"), TikTokSku(id="t2", seller_sku="zz")], {"t2": "v1"}
    )
    assert not issues
    assert {
        (x.tiktok_sku_id, x.shopify_variant_id, x.shopify_inventory_item_id) for x in links
    } == {("t1", "v2", "i2"), ("t2", "v1", "i1")}


def test_map_product_reports_unmatched_and_doubly_used_variants() -> None:
    p = source(variants=variants())
    _, issues = match_skus(
        p, [TikTokSku(id="t1", seller_sku="S1"), TikTokSku(id="t2", seller_sku="S1")], {}
    )
    assert [i.code for i in issues] == ["unmatched_sku"]
    assert "t2" in issues[0].message


def test_shopify_product_translates_with_stock_at_the_chosen_location() -> None:
    def level(loc, n):
        return {
            "id": f"l{loc}",
            "location": {"id": loc},
            "quantities": [{"name": "available", "quantity": n}],
        }

    product = Product.model_validate(
        {
            "id": "gid://shopify/Product/1",
            "title": "Tee",
            "handle": "tee",
            "status": "ACTIVE",
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z",
            "productType": "T-Shirts",
            "category": {"id": "gid://shopify/TaxonomyCategory/x", "name": "T-Shirts"},
            "variants": [
                {
                    "id": "gid://shopify/ProductVariant/1",
                    "title": "Default Title",
                    "price": "9.50",
                    "selectedOptions": [{"name": "Title", "value": "Default Title"}],
                    "inventoryItem": {
                        "id": "gid://shopify/InventoryItem/1",
                        "inventoryLevels": [level("A", 3), level("B", 4)],
                    },
                }
            ],
            "media": [
                {"id": "m", "mediaContentType": "IMAGE", "image": {"url": "https://cdn/1.jpg"}}
            ],
        }
    )
    everywhere = to_source_product(product)
    assert everywhere.variants[0].stock == 7
    assert everywhere.variants[0].options == []
    assert to_source_product(product, "B").variants[0].stock == 4
    assert everywhere.image_urls == ["https://cdn/1.jpg"]
    assert everywhere.taxonomy_category_name == "T-Shirts"
    assert everywhere.variants[0].inventory_item_id == "gid://shopify/InventoryItem/1"
