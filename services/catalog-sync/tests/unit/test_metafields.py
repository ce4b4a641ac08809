"""Bulk metafield mapping at category level: values, rules and priority (ADR 0645)."""

import json
from datetime import UTC, datetime

import pytest
from catalog_sync.core.listing import resolve_listing
from catalog_sync.core.metafields import (
    MetafieldMapping,
    mapped_layer,
    mapping_errors,
    metafield_values,
)
from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    ListingLayer,
    SourceMetafield,
    SourceProduct,
)
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

MATERIAL = AttributeRequirement(
    id="101001",
    name="Material",
    required=True,
    value_ids={"1010011": "Cotton", "1010012": "Wax", "1010013": "Silicone"},
)
CLOSED = AttributeRequirement(
    id="102000", name="Voltage", value_ids={"1": "110 V", "2": "220 V"}, customizable=False
)
FREE = AttributeRequirement(id="101002", name="Compatible Phone Models")
COLOR = AttributeRequirement(id="100000", name="Color", sales=True, value_ids={"1": "Red"})
RULES = CategoryRequirements(category_id="600020", attributes=[MATERIAL, CLOSED, FREE, COLOR])

words = st.text(alphabet="abcdefghij XYZ-", min_size=1, max_size=12).filter(lambda w: w.strip())


def product(*metafields: SourceMetafield) -> SourceProduct:
    return SourceProduct(
        shopify_product_id="gid://shopify/Product/1",
        title="Wax candle",
        metafields=list(metafields),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def field(
    value: str, type_: str = "single_line_text_field", key: str = "material"
) -> SourceMetafield:
    return SourceMetafield(namespace="custom", key=key, type=type_, value=value)


def maps(
    attribute: str, values: dict[str, str] | None = None, key: str = "material"
) -> MetafieldMapping:
    return MetafieldMapping(metafield=f"custom.{key}", attribute_id=attribute, values=values or {})


@given(items=st.lists(words, max_size=5))
def test_a_list_metafield_gives_each_of_its_items(items: list[str]) -> None:
    metafield = field(json.dumps(items), "list.single_line_text_field")
    assert metafield_values(metafield) == [i.strip() for i in items]


def test_a_measurement_gives_its_value_and_unit_and_a_blank_value_gives_nothing() -> None:
    weight = field(json.dumps({"value": 2.5, "unit": "KILOGRAMS"}), "weight")
    assert metafield_values(weight) == ["2.5 KILOGRAMS"]
    assert metafield_values(field("   ")) == []


@given(
    chosen=st.sampled_from(sorted(MATERIAL.value_ids)),
    case=st.sampled_from([str.lower, str.upper, str.title]),
)
def test_a_value_named_like_a_tiktok_value_maps_to_its_id_whatever_the_case(
    chosen: str, case: object
) -> None:
    name = MATERIAL.value_ids[chosen]
    layer, issues = mapped_layer(product(field(f" {case(name)} ")), [maps("101001")], RULES)  # type: ignore[operator]
    assert issues == []
    assert layer.attributes == [AttributeSetting(attribute_id="101001", value_ids=[chosen])]


@given(value=words, target=st.sampled_from(sorted(MATERIAL.value_ids)))
def test_the_merchants_value_map_comes_before_names(value: str, target: str) -> None:
    mapping = maps("101001", {value.upper(): target})
    layer, issues = mapped_layer(product(field(value)), [mapping], RULES)
    assert issues == []
    assert layer.attributes[0].value_ids == [target]
    assert mapping_errors([mapping], RULES) == []


@given(value=words.filter(lambda w: w.strip().casefold() not in {"110 v", "220 v"}))
def test_an_unknown_value_is_custom_where_tiktok_allows_it_else_an_issue(value: str) -> None:
    free, _ = mapped_layer(product(field(value)), [maps("101002")], RULES)
    assert free.attributes == [
        AttributeSetting(attribute_id="101002", custom_values=[value.strip()])
    ]
    closed, issues = mapped_layer(product(field(value)), [maps("102000")], RULES)
    assert closed.attributes == []
    (issue,) = issues
    assert issue.code == "unmapped_metafield_value"
    assert "'custom.material'" in issue.message
    assert "'Voltage'" in issue.message


def test_a_product_without_the_metafield_gets_nothing_from_the_mapping() -> None:
    layer, issues = mapped_layer(product(field("Wax", key="other")), [maps("101001")], RULES)
    assert (layer, issues) == (ListingLayer(), [])
    assert mapped_layer(product(field("Wax")), [maps("101001")], None) == (ListingLayer(), [])


def test_a_mapping_to_an_attribute_the_category_no_longer_has_is_an_issue() -> None:
    _, issues = mapped_layer(product(field("Wax")), [maps("999")], RULES)
    assert [i.code for i in issues] == ["stale_metafield_mapping"]


values = st.sampled_from(["1010011", "1010012", "1010013"])


@given(product_value=st.none() | values, mapped=st.none() | values, category=st.none() | values)
def test_product_values_beat_the_mapping_and_the_mapping_beats_the_category(
    product_value: str | None, mapped: str | None, category: str | None
) -> None:
    def layer(value: str | None) -> ListingLayer:
        attributes = [AttributeSetting(attribute_id="101001", value_ids=[value])] if value else []
        return ListingLayer(attributes=attributes)

    name = MATERIAL.value_ids[mapped] if mapped else ""
    from_mapping, _ = mapped_layer(product(field(name)), [maps("101001")], RULES)
    resolved = resolve_listing(layer(product_value), from_mapping, layer(category), None)
    expected = product_value or mapped or category
    chosen = resolved.attributes.get("101001")
    assert (chosen.value_ids if chosen else [None]) == [expected]


@given(bad=st.text(alphabet="0123456789", min_size=1, max_size=8))
def test_a_value_id_the_attribute_does_not_have_is_refused_naming_the_field(bad: str) -> None:
    mapping = maps("101001", {"Wax": "1010012", "Glass": f"9{bad}"})
    (error,) = mapping_errors([mapping], RULES)
    assert error.field == ("mappings", 0, "values", "Glass")


def test_rules_refuse_unknown_sales_and_twice_mapped_attributes_and_maps_of_free_text() -> None:
    mappings = [
        maps("101001"),
        maps("100000", key="colour"),
        maps("555", key="size"),
        maps("101001", key="fabric"),
        maps("101002", {"iPhone": "1"}, key="phones"),
    ]
    fields = [e.field for e in mapping_errors(mappings, RULES)]
    assert fields == [
        ("mappings", 1, "attribute_id"),
        ("mappings", 2, "attribute_id"),
        ("mappings", 3, "attribute_id"),
        ("mappings", 4, "values"),
    ]


@pytest.mark.parametrize("path", ["material", "ab.material", "custom.m", "custom.mat erial"])
def test_a_metafield_is_named_namespace_dot_key_as_shopify_allows(path: str) -> None:
    with pytest.raises(ValidationError):
        MetafieldMapping(metafield=path, attribute_id="101001")
