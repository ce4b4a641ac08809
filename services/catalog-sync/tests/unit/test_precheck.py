"""Pre-check: every issue, in the merchant's words, found before calling TikTok."""

from datetime import UTC, datetime
from decimal import Decimal

from catalog_sync.core.categories import CategoryMapping
from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    CertificationRequirement,
    ConnectorEdits,
    OptionValue,
    PackageSetting,
    ResolvedListing,
    SourceProduct,
    SourceVariant,
)
from catalog_sync.core.precheck import precheck, summary
from catalog_sync.core.sync_rules import DEFAULTS, Mode, Source, SyncField

MAPPED = CategoryMapping(source_key="Candle", tiktok_category_id="600020", origin="recommended")
READY = ResolvedListing(package=PackageSetting(weight=1))


def product(**fields: object) -> SourceProduct:
    base: dict[str, object] = {
        "shopify_product_id": "gid://shopify/Product/1",
        "title": "Soy Candle",
        "product_type": "Candle",
        "image_urls": ["https://cdn/1.jpg"],
        "variants": [SourceVariant(shopify_variant_id="v1", sku="C-1", price=Decimal("5"))],
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    return SourceProduct.model_validate(base | fields)


def codes(
    p: SourceProduct,
    listing: ResolvedListing = READY,
    requirements: CategoryRequirements | None = None,
    mapping: CategoryMapping | None = MAPPED,
    key: str | None = "Candle",
    rules: dict[SyncField, Source] | None = None,
    edits: ConnectorEdits | None = None,
) -> list[str]:
    issues = precheck(
        p,
        key=key,
        mapping=mapping,
        requirements=requirements,
        listing=listing,
        edits=edits or ConnectorEdits(),
        rules=rules or DEFAULTS[Mode.CREATE],
        region="US",
    )
    return [i.code for i in issues]


def test_a_complete_product_passes() -> None:
    assert codes(product(), requirements=CategoryRequirements(category_id="600020")) == []


def test_missing_product_type_and_unmapped_category() -> None:
    assert codes(product(product_type=""), key=None, mapping=None) == ["missing_category"]
    unmatched = CategoryMapping(source_key="Candle", note="TikTok Shop has no recommendation")
    issues = precheck(
        product(),
        key="Candle",
        mapping=unmatched,
        requirements=None,
        listing=READY,
        edits=ConnectorEdits(),
        rules=DEFAULTS[Mode.CREATE],
        region="US",
    )
    assert issues[0].code == "unmapped_category"
    assert "no recommendation" in issues[0].message


def test_over_long_title_unless_edited_under_the_connector_rule() -> None:
    long = product(title="x" * 300)
    assert codes(long) == ["title_length"]
    rules = DEFAULTS[Mode.CREATE] | {SyncField.TITLE: Source.CONNECTOR}
    assert codes(long, rules=rules, edits=ConnectorEdits(title="Short")) == []


def test_missing_images_weight_and_bad_variants() -> None:
    variants = [
        SourceVariant(
            shopify_variant_id=f"v{n}",
            sku="DUP",
            price=Decimal(0),
            options=[OptionValue(name="Size", value=str(n))],
        )
        for n in range(2)
    ]
    found = codes(product(image_urls=[], variants=variants), listing=ResolvedListing())
    assert set(found) == {"missing_images", "missing_weight", "duplicate_sku", "invalid_price"}


def test_sku_with_spaces_is_reported() -> None:
    bad = [SourceVariant(shopify_variant_id="v", sku="A B", price=Decimal(1))]
    assert codes(product(variants=bad)) == ["invalid_sku"]


def test_required_attribute_certification_and_dimensions() -> None:
    requirements = CategoryRequirements(
        category_id="800020",
        attributes=[
            AttributeRequirement(id="101001", name="Material", required=True),
            AttributeRequirement(id="100000", name="Color", required=True, sales=True),
        ],
        certifications=[CertificationRequirement(id="602400", name="FCC Certificate")],
        package_dimensions_required=True,
        manufacturer_required=True,
    )
    issues = precheck(
        product(),
        key="Candle",
        mapping=MAPPED,
        requirements=requirements,
        listing=READY,
        edits=ConnectorEdits(),
        rules=DEFAULTS[Mode.CREATE],
        region="US",
    )
    assert [i.code for i in issues] == [
        "missing_attribute",
        "missing_certification",
        "missing_dimensions",
        "missing_manufacturer",
    ]
    assert "'Material'" in summary(issues)
    assert "'FCC Certificate'" in summary(issues)
    filled = READY.model_copy(
        update={"attributes": {"101001": AttributeSetting(attribute_id="101001", value_ids=["1"])}}
    )
    assert "missing_attribute" not in codes(product(), listing=filled, requirements=requirements)
