"""Partial edits of one level's listing data (guide: "Certificates/Required Attributes", "Choose
Brand", "Categories: Bulk Choose Brand at the Category Level", "Settings: Product Settings"):
an edit changes what it names, an explicit null clears one field, nothing else is lost."""

from typing import Any

from catalog_sync.core.listing_edit import merge_fields, merge_listing
from catalog_sync.core.models import ConnectorEdits, ListingLayer
from hypothesis import given
from hypothesis import strategies as st

ids = st.sampled_from(["a1", "a2", "a3"])
attribute = st.fixed_dictionaries(
    {"attribute_id": ids, "value_ids": st.lists(st.sampled_from(["v1", "v2"]), max_size=2)}
)
certification = st.fixed_dictionaries(
    {"certification_id": ids, "image_uris": st.lists(st.sampled_from(["u1", "u2"]), max_size=1)}
)
package = st.fixed_dictionaries(
    {},
    optional={
        "length": st.integers(1, 50),
        "width": st.integers(1, 50),
        "height": st.integers(1, 50),
        "weight": st.one_of(st.none(), st.integers(1, 9)),
    },
)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "brand_id": st.one_of(st.none(), st.sampled_from(["b1", "b2"])),
    "attributes": st.lists(attribute, max_size=3, unique_by=lambda a: a["attribute_id"]),
    "certifications": st.lists(
        certification, max_size=3, unique_by=lambda c: c["certification_id"]
    ),
    "size_chart_template_id": st.one_of(st.none(), st.sampled_from(["t1", "t2"])),
    "responsible_person_ids": st.one_of(st.none(), st.lists(ids, max_size=2, unique=True)),
    "manufacturer_ids": st.one_of(st.none(), st.lists(ids, max_size=2, unique=True)),
    "package": st.one_of(st.none(), package),
}
layers = st.fixed_dictionaries({}, optional=FIELDS).map(ListingLayer.model_validate)
edits = st.fixed_dictionaries({}, optional=FIELDS)


@given(current=layers, edit=edits)
def test_fields_an_edit_does_not_name_keep_their_value(
    current: ListingLayer, edit: dict[str, Any]
) -> None:
    merged = merge_listing(current, ListingLayer.model_validate(edit))
    for name in set(FIELDS) - set(edit):
        if name == "size_chart_template_id" and "size_chart_uri" in edit:
            continue
        assert getattr(merged, name) == getattr(current, name), name


@given(current=layers, edit=edits)
def test_scalar_fields_an_edit_names_take_the_edit_s_value(
    current: ListingLayer, edit: dict[str, Any]
) -> None:
    merged = merge_listing(current, ListingLayer.model_validate(edit))
    for name in {"brand_id", "size_chart_template_id", "responsible_person_ids"} & set(edit):
        assert getattr(merged, name) == edit[name]


@given(current=layers, edit=edits)
def test_an_edit_applied_twice_changes_nothing_more(
    current: ListingLayer, edit: dict[str, Any]
) -> None:
    once = merge_listing(current, ListingLayer.model_validate(edit))
    assert merge_listing(once, ListingLayer.model_validate(edit)) == once


@given(current=layers, edit=st.lists(attribute, max_size=3, unique_by=lambda a: a["attribute_id"]))
def test_attributes_merge_per_attribute_and_an_empty_one_is_removed(
    current: ListingLayer, edit: list[dict[str, Any]]
) -> None:
    merged = merge_listing(current, ListingLayer.model_validate({"attributes": edit}))
    by_id = {a.attribute_id: a for a in merged.attributes}
    edited = {a["attribute_id"]: a for a in edit}
    for old in current.attributes:
        if old.attribute_id not in edited:
            assert by_id[old.attribute_id] == old
    for attribute_id, new in edited.items():
        if new["value_ids"]:
            assert by_id[attribute_id].value_ids == new["value_ids"]
        else:
            assert attribute_id not in by_id


def test_a_brand_edit_keeps_attributes_certifications_size_chart_and_links() -> None:
    current = ListingLayer.model_validate(
        {
            "attributes": [{"attribute_id": "a1", "value_ids": ["v1"]}],
            "certifications": [{"certification_id": "c1", "file_ids": ["f1"]}],
            "size_chart_template_id": "t1",
            "responsible_person_ids": ["rp1"],
        }
    )
    merged = merge_listing(current, ListingLayer.model_validate({"brand_id": "b1"}))
    assert merged == current.model_copy(update={"brand_id": "b1"})


def test_an_explicit_null_clears_one_field() -> None:
    current = ListingLayer(brand_id="b1", manufacturer_ids=["m1"])
    merged = merge_listing(current, ListingLayer.model_validate({"brand_id": None}))
    assert (merged.brand_id, merged.manufacturer_ids) == (None, ["m1"])


def test_a_size_chart_image_replaces_the_template_and_back() -> None:
    current = ListingLayer(size_chart_template_id="t1")
    image = merge_listing(current, ListingLayer.model_validate({"size_chart_uri": "img"}))
    assert (image.size_chart_uri, image.size_chart_template_id) == ("img", None)
    template = merge_listing(image, ListingLayer.model_validate({"size_chart_template_id": "t2"}))
    assert (template.size_chart_uri, template.size_chart_template_id) == (None, "t2")


def test_a_package_edit_merges_weight_and_dimensions() -> None:
    current = ListingLayer.model_validate({"package": {"length": 5, "width": 5, "height": 5}})
    merged = merge_listing(current, ListingLayer.model_validate({"package": {"weight": 2}}))
    assert merged.package is not None
    assert (merged.package.length, merged.package.weight) == (5, 2)


def test_connector_edits_merge_field_by_field() -> None:
    current = ConnectorEdits(title="Mine", description_html="<p>Mine</p>")
    merged = merge_fields(current, ConnectorEdits.model_validate({"title": None}))
    assert merged == ConnectorEdits(description_html="<p>Mine</p>")
