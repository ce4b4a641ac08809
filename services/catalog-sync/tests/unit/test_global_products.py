"""EU Global Products (pure): global body, publish targets, who may publish where."""

from datetime import UTC, datetime
from decimal import Decimal

from catalog_sync.core.global_products import (
    RegionPublication,
    publish_issues,
    publish_target,
    published_globally,
    region_statuses,
    to_global_product,
)
from catalog_sync.core.models import SourceProduct, SourceVariant
from catalog_sync.core.region import EU_REGIONS
from hypothesis import given
from hypothesis import strategies as st
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.products import Price, ProductInput, SkuInput, WarehouseStock, Weight

LOCAL = ProductInput(
    title="Jar",
    description="<p>Jar</p>",
    category_id="600010",
    category_version="v1",
    main_images=[ImageRef(uri="u")],
    package_weight=Weight(value=Decimal(1)),
    external_product_id="42",
    idempotency_key="k",
    skus=[
        SkuInput(
            seller_sku="J-1",
            price=Price(amount=Decimal("9.90"), currency="EUR"),
            inventory=[WarehouseStock(warehouse_id="w", quantity=3)],
            external_sku_id="v1",
        )
    ],
)
PRODUCT = SourceProduct(
    shopify_product_id="p",
    title="Jar",
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    variants=[
        SourceVariant(
            shopify_variant_id="v1",
            price=Decimal("9.90"),
            stock=8,
            stock_by_location={"loc-fr": 2, "loc-it": 6},
        ),
        SourceVariant(shopify_variant_id="v2", price=Decimal("5"), stock=1),
    ],
)


def test_global_body_drops_local_only_fields_and_stock() -> None:
    body = to_global_product(LOCAL).to_body()
    assert not {"category_version", "idempotency_key", "external_product_id"} & set(body)
    assert body["external_global_product_id"] == "42"
    assert "inventory" not in body["skus"][0]
    assert body["skus"][0]["external_global_sku_id"] == "v1"


def test_publish_target_uses_the_region_currency_and_its_inventory_location() -> None:
    target = publish_target("FR", PRODUCT, {"v1": "g1"}, ["loc-fr"]).to_body()
    assert target["region"] == "FR"
    assert target["skus"] == [
        {
            "related_global_sku_id": "g1",
            "price": {"amount": "9.90", "currency": "EUR"},
            "inventory": {"quantity": 2},
        }
    ]
    everywhere = publish_target("IT", PRODUCT, {"v1": "g1", "v2": "g2"}, []).to_body()
    assert [s["inventory"]["quantity"] for s in everywhere["skus"]] == [8, 1]


def codes(**kwargs: object) -> list[str]:
    args: dict[str, object] = {
        "global_product_id": "g",
        "local_regions": [],
        "published": {},
        "regions": ["FR"],
        "consent": True,
    }
    return [i.code for i in publish_issues(**(args | kwargs))]  # type: ignore[arg-type]


def test_a_synced_global_product_with_consent_may_publish() -> None:
    assert codes() == []


def test_published_once_locally_or_globally_and_consent_required() -> None:
    assert codes(local_regions=["fr"]) == ["published_locally"]
    assert codes(local_regions=["DE", "FR"]) == ["published_locally"]
    # Listed locally in DE: it may still be published from Global Products to FR.
    assert codes(local_regions=["DE"]) == []
    assert codes(global_product_id=None) == ["not_global_synced"]
    assert codes(consent=False) == ["translation_consent"]
    assert codes(regions=["US"]) == ["unknown_region"]
    done = {"FR": RegionPublication(status="published", product_id="x")}
    assert codes(published=done) == ["already_published"]
    assert codes(published={"FR": RegionPublication(status="failed")}) == []


def test_region_statuses_include_not_published() -> None:
    published = {
        "FR": RegionPublication(status="published"),
        "IT": RegionPublication(status="failed"),
    }
    assert region_statuses(published, ["FR", "IT", "ES"]) == {
        "FR": "published",
        "IT": "failed",
        "ES": "not_published",
    }


@given(
    st.sampled_from(sorted(EU_REGIONS)),
    st.lists(st.sampled_from(sorted(EU_REGIONS)), min_size=1, max_size=4, unique=True),
)
def test_a_local_listing_blocks_publishing_to_its_region_only_with_a_reason_naming_it(
    local: str, regions: list[str]
) -> None:
    issues = publish_issues(
        global_product_id="g",
        local_regions=[local],
        published={},
        regions=regions,
        consent=True,
    )
    assert bool(issues) is (local in regions)
    for issue in issues:
        assert issue.code == "published_locally"
        assert f"listed in {local}" in issue.message
    assert local in published_globally(local).message
