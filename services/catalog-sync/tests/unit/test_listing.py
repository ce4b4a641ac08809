"""Listing data priority: product > category > store, per field and per attribute."""

from catalog_sync.core.listing import resolve_listing
from catalog_sync.core.models import (
    AttributeSetting,
    CertificationSetting,
    ListingLayer,
    PackageSetting,
)
from hypothesis import given
from hypothesis import strategies as st

brands = st.one_of(st.none(), st.sampled_from(["b1", "b2", "b3"]))


@given(product=brands, category=brands, store=brands)
def test_brand_comes_from_the_highest_level_that_sets_one(
    product: str | None, category: str | None, store: str | None
) -> None:
    layers = [ListingLayer(brand_id=b) for b in (product, category, store)]
    expected = next((b for b in (product, category, store) if b), None)
    assert resolve_listing(*layers).brand_id == expected


def test_attributes_merge_per_attribute_with_product_winning() -> None:
    store = ListingLayer(attributes=[AttributeSetting(attribute_id="a", value_ids=["store"])])
    category = ListingLayer(
        attributes=[
            AttributeSetting(attribute_id="a", value_ids=["category"]),
            AttributeSetting(attribute_id="b", custom_values=["Wax"]),
        ]
    )
    product = ListingLayer(attributes=[AttributeSetting(attribute_id="a", value_ids=["product"])])
    resolved = resolve_listing(product, category, store)
    assert resolved.attributes["a"].value_ids == ["product"]
    assert resolved.attributes["b"].custom_values == ["Wax"]


def test_an_empty_attribute_does_not_hide_a_lower_level_value() -> None:
    category = ListingLayer(attributes=[AttributeSetting(attribute_id="a", value_ids=["x"])])
    product = ListingLayer(attributes=[AttributeSetting(attribute_id="a")])
    assert resolve_listing(product, category, None).attributes["a"].value_ids == ["x"]


def test_certifications_without_documents_are_ignored() -> None:
    store = ListingLayer(
        certifications=[CertificationSetting(certification_id="c", image_uris=["u"])]
    )
    product = ListingLayer(certifications=[CertificationSetting(certification_id="c")])
    assert resolve_listing(product, None, store).certifications["c"].image_uris == ["u"]


def test_dimensions_come_as_a_set_and_weight_on_its_own() -> None:
    store = ListingLayer(package=PackageSetting(length=10, width=10, height=10, weight=2))
    product = ListingLayer(package=PackageSetting(length=30, weight=None))  # incomplete dims
    category = ListingLayer(package=PackageSetting(weight=5))
    resolved = resolve_listing(product, category, store).package
    assert (resolved.length, resolved.width, resolved.height, resolved.weight) == (10, 10, 10, 5)


def test_compliance_lists_come_from_one_level() -> None:
    store = ListingLayer(responsible_person_ids=["rp-store"], manufacturer_ids=["m-store"])
    category = ListingLayer(responsible_person_ids=["rp-cat"])
    resolved = resolve_listing(None, category, store)
    assert resolved.responsible_person_ids == ["rp-cat"]
    assert resolved.manufacturer_ids == ["m-store"]


def test_nothing_set_anywhere_resolves_to_empty() -> None:
    resolved = resolve_listing(None, None, None)
    assert resolved.brand_id is None
    assert not resolved.attributes
    assert resolved.package.weight is None
