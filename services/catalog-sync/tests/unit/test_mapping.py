"""Shopify product -> TikTok product body under the sync rules."""

from datetime import UTC, datetime
from decimal import Decimal

from catalog_sync.core.mapping import (
    PushTarget,
    TikTokSnapshot,
    identifier_code,
    status_action,
    to_tiktok_product,
)
from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    CertificationRequirement,
    CertificationSetting,
    ConnectorEdits,
    OptionValue,
    PackageSetting,
    ResolvedListing,
    SourceProduct,
    SourceVariant,
)
from catalog_sync.core.sync_rules import DEFAULTS, Mode, Source, SyncField
from hypothesis import given
from hypothesis import strategies as st

V1, V2 = "gid://shopify/ProductVariant/1", "gid://shopify/ProductVariant/2"


def product(variants: int = 2, images: int = 2, **fields: object) -> SourceProduct:
    return SourceProduct.model_validate(
        {
            "shopify_product_id": "gid://shopify/Product/42",
            "title": "Glass Jar",
            "description_html": '<p>Jar</p><img src="https://cdn.shopify.com/x.jpg">',
            "product_type": "Storage Jar",
            "image_urls": [f"https://cdn/{i}.jpg" for i in range(images)],
            "variants": [
                SourceVariant(
                    shopify_variant_id=f"gid://shopify/ProductVariant/{n}",
                    sku=f"JAR-{n}",
                    price=Decimal("9.90"),
                    stock=5,
                    barcode="012345678905",
                    options=[OptionValue(name="Size", value=f"S{n}")],
                )
                for n in range(1, variants + 1)
            ],
            "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
            **fields,
        }
    )


REQUIREMENTS = CategoryRequirements(
    category_id="600020",
    attributes=[
        AttributeRequirement(id="101001", name="Material", required=True),
        AttributeRequirement(id="100000", name="Color", sales=True),
    ],
    certifications=[CertificationRequirement(id="c1", name="Cert")],
)
LISTING = ResolvedListing(
    brand_id="brand-1",
    attributes={
        "101001": AttributeSetting(attribute_id="101001", value_ids=["1010012"]),
        "999": AttributeSetting(attribute_id="999", custom_values=["unknown to category"]),
    },
    certifications={"c1": CertificationSetting(certification_id="c1", image_uris=["cert-uri"])},
    package=PackageSetting(length=20, width=15, height=5, weight=2),
)


def target(**fields: object) -> PushTarget:
    uris = {f"https://cdn/{i}.jpg": f"uri-{i}" for i in range(12)}
    return PushTarget.model_validate(
        {
            "region": "US",
            "category_id": "600020",
            "warehouse_id": "w1",
            "image_uris": uris,
            **fields,
        }
    )


def body(p: SourceProduct, rules: dict[SyncField, Source] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "edits": ConnectorEdits(),
        "rules": rules or DEFAULTS[Mode.CREATE],
        "listing": LISTING,
        "requirements": REQUIREMENTS,
        "target": target(),
    }
    return to_tiktok_product(p, **(args | kw))  # type: ignore[arg-type]


def test_create_body_carries_category_listing_data_and_one_sku_per_variant() -> None:
    b = body(product())
    assert (b.category_id, b.category_version, b.brand_id) == ("600020", "v2", "brand-1")
    assert [s.seller_sku for s in b.skus] == ["JAR-1", "JAR-2"]
    assert [s.external_sku_id for s in b.skus] == [V1, V2]
    assert b.skus[0].price.amount == Decimal("9.90")
    assert b.skus[0].price.currency == "USD"
    assert b.skus[0].sales_attributes[0].name == "Size"
    assert b.skus[0].sales_attributes[0].value_name == "S1"
    assert [a.id for a in b.product_attributes or []] == ["101001"]  # unknown attributes dropped
    assert (b.certifications or [])[0].images[0].uri == "cert-uri"
    assert b.package_dimensions is not None
    assert b.package_dimensions.length == "20"
    assert b.package_weight.value == Decimal(2)
    assert b.external_product_id == "42"


def test_description_drops_shopify_hosted_images() -> None:
    assert "<img" not in body(product()).description


def test_single_default_variant_has_no_sales_attributes() -> None:
    assert body(product(variants=1)).skus[0].sales_attributes == []


def test_at_most_nine_main_images() -> None:
    assert len(body(product(images=12)).main_images) == 9


def test_connector_title_rule_uses_the_edited_title() -> None:
    rules = DEFAULTS[Mode.CREATE] | {SyncField.TITLE: Source.CONNECTOR}
    b = body(product(), rules, edits=ConnectorEdits(title="Edited"))
    assert b.title == "Edited"
    assert body(product(), rules).title == "Glass Jar"  # no edit: Shopify's


def test_tiktok_rules_keep_tiktok_values_on_update() -> None:
    rules = {f: Source.TIKTOK for f in SyncField}
    current = TikTokSnapshot(
        title="TT title",
        description="<p>TT</p>",
        main_image_uris=["tt-img"],
        brand_id="tt-brand",
        sku_prices={"sku-1": Decimal("5.00")},
        sku_stock={"sku-1": 77},
    )
    b = body(product(), rules, current=current, target=target(sku_ids={V1: "sku-1"}))
    assert (b.title, b.description, b.brand_id) == ("TT title", "<p>TT</p>", "tt-brand")
    assert [i.uri for i in b.main_images] == ["tt-img"]
    first = b.skus[0]
    assert (first.price.amount, first.inventory[0].quantity) == (Decimal("5.00"), 77)
    assert (first.model_extra or {})["id"] == "sku-1"  # the link is kept on update
    assert b.skus[1].price.amount == Decimal("9.90")  # a new variant has no TikTok price yet


@given(stock=st.integers(min_value=-(10**6), max_value=10**6))
def test_stock_is_clamped_to_tiktok_range(stock: int) -> None:
    p = product(variants=1).model_copy(
        update={"variants": [SourceVariant(shopify_variant_id=V1, price=Decimal(1), stock=stock)]}
    )
    quantity = body(p).skus[0].inventory[0].quantity
    assert quantity == max(0, min(stock, 99_999))


def test_dont_sync_stock_lists_zero_and_dont_sync_barcode_omits_it() -> None:
    rules = DEFAULTS[Mode.CREATE] | {
        SyncField.STOCK: Source.DONT_SYNC,
        SyncField.BARCODE: Source.DONT_SYNC,
    }
    sku = body(product(), rules).skus[0]
    assert sku.inventory[0].quantity == 0
    assert "identifier_code" not in (sku.model_extra or {})
    assert (body(product()).skus[0].model_extra or {})["identifier_code"]["type"] == "UPC"


@given(code=st.text(alphabet="0123456789x ", max_size=16))
def test_identifier_code_only_for_digit_barcodes_of_known_lengths(code: str) -> None:
    result = identifier_code(code)
    if result is not None:
        assert code.isdigit()
        assert len(code) in {8, 12, 13, 14}


def test_status_rule_origin_mirrors_shopify_status() -> None:
    origin = DEFAULTS[Mode.UPDATE] | {SyncField.STATUS: Source.ORIGIN}
    assert status_action(product(), origin) == "activate"
    assert status_action(product(status="DRAFT"), origin) == "deactivate"
    assert status_action(product(), DEFAULTS[Mode.UPDATE]) is None


def test_eu_region_uses_v1_categories_and_euro() -> None:
    b = body(product(), target=target(region="DE"))
    assert b.category_version == "v1"
    assert b.skus[0].price.currency == "EUR"
