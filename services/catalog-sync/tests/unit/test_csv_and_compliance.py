"""Category CSV bulk edit and Qualification Center links (pure)."""

import csv
import io

from catalog_sync.core.compliance import ComplianceKind, link, linked, unlink
from catalog_sync.core.csv_edit import (
    TemplateProduct,
    apply_update,
    error_file,
    parse_upload,
    template,
)
from catalog_sync.core.listing import resolve_listing
from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    ListingLayer,
)
from connector_contracts import AttributeValues, ProductListingUpdate
from hypothesis import given
from hypothesis import strategies as st

MATERIAL = AttributeRequirement(
    id="101001",
    name="Material",
    required=True,
    customizable=False,
    value_ids={"1010011": "Cotton", "1010012": "Wax"},
)
OCCASION = AttributeRequirement(id="100392", name="Occasion", value_ids={"1001533": "Birthday"})
COLOR = AttributeRequirement(id="100000", name="Color", sales=True)
CANDLES = CategoryRequirements(category_id="600020", attributes=[COLOR, MATERIAL, OCCASION])
P1, P2 = "gid://shopify/Product/1", "gid://shopify/Product/2"


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_template_lists_products_brand_and_attribute_columns_with_required_marked() -> None:
    listing = ListingLayer(
        brand_id="77", attributes=[AttributeSetting(attribute_id="101001", value_ids=["1010012"])]
    )
    text = template(CANDLES, [TemplateProduct(shopify_product_id=P1, title="Soy", listing=listing)])
    header, first = rows(text)
    assert header == ["product_id", "title", "brand_id", "Material [101001] *", "Occasion [100392]"]
    assert first == ["1", "Soy", "77", "Wax", ""]


def upload(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    return out.getvalue()


HEADER = ["product_id", "title", "brand_id", "Material [101001] *", "Occasion [100392]"]


def test_valid_rows_become_updates_by_value_name_or_id_and_custom_values() -> None:
    text = upload(
        [HEADER, ["1", "Soy", "123", "wax", "Birthday|Graduation"], ["2", "", "", "1010011", ""]]
    )
    first, second = parse_upload(text, CANDLES, {P1, P2})
    assert first.update == ProductListingUpdate(
        shopify_product_id=P1,
        brand_id="123",
        attributes=[
            AttributeValues(attribute_id="101001", value_ids=["1010012"]),
            AttributeValues(
                attribute_id="100392", value_ids=["1001533"], custom_values=["Graduation"]
            ),
        ],
    )
    assert second.update is not None
    assert second.update.brand_id is None


def test_invalid_rows_name_every_problem_and_land_in_the_error_file() -> None:
    text = upload(
        [
            HEADER,
            ["9", "?", "acme", "Plastic", ""],
            ["1", "Soy", "", "", ""],
            ["1", "again", "", "", ""],
        ]
    )
    results = parse_upload(text, CANDLES, {P1})
    assert results[0].errors == [
        "product 9 is not in this category",
        "brand_id 'acme' is not a TikTok brand id (digits): find it with the brand search",
        "'Plastic' is not a value of Material (choose Cotton, Wax)",
    ]
    assert results[1].update is not None
    assert results[2].errors == ["product appears twice"]
    lines = rows(error_file(text, results))
    assert lines[0][-1] == "errors"
    assert [line[0] for line in lines[1:]] == ["9", "1"]
    assert "Plastic" in lines[1][-1]


def test_a_file_without_product_id_column_is_refused() -> None:
    (result,) = parse_upload("title\nx\n", CANDLES, {P1})
    assert "product_id" in result.errors[0]


def test_applying_a_row_replaces_only_the_given_attributes_and_keeps_the_brand_when_empty() -> None:
    listing = ListingLayer(
        brand_id="1",
        attributes=[
            AttributeSetting(attribute_id="100392", value_ids=["1001533"]),
            AttributeSetting(attribute_id="101001", value_ids=["1010011"]),
        ],
    )
    update = ProductListingUpdate(
        shopify_product_id=P1,
        attributes=[AttributeValues(attribute_id="101001", value_ids=["1010012"])],
    )
    applied = apply_update(listing, update)
    assert applied.brand_id == "1"
    assert {a.attribute_id: a.value_ids for a in applied.attributes} == {
        "100392": ["1001533"],
        "101001": ["1010012"],
    }


@given(
    ids=st.lists(st.sampled_from(["a", "b", "c"]), max_size=6),
    kind=st.sampled_from(list(ComplianceKind)),
)
def test_linking_is_idempotent_and_unlinking_removes_only_that_entity(
    ids: list[str], kind: ComplianceKind
) -> None:
    listing = ListingLayer()
    for entity in ids:
        listing = link(link(listing, kind, entity), kind, entity)
    assert all(linked(listing, kind, e) for e in ids)
    if ids:
        after = unlink(listing, kind, ids[0])
        assert not linked(after, kind, ids[0])
        assert all(linked(after, kind, e) for e in ids if e != ids[0])
    other = next(k for k in ComplianceKind if k is not kind)
    assert not any(linked(listing, other, e) for e in ids)


@given(kind=st.sampled_from(list(ComplianceKind)))
def test_unlinking_the_last_entity_means_none_and_does_not_fall_back(kind: ComplianceKind) -> None:
    """Guide: "Fill in Compliances" (Delete "x"; product level beats category and store)."""
    store = link(ListingLayer(), kind, "store")
    product = unlink(link(ListingLayer(), kind, "own"), kind, "own")
    resolved = resolve_listing(product, None, store)
    ids = (
        resolved.responsible_person_ids
        if kind is ComplianceKind.RESPONSIBLE_PERSON
        else resolved.manufacturer_ids
    )
    assert ids == []
    # A product that never linked the entity keeps inheriting the lower levels.
    assert unlink(ListingLayer(), kind, "own") == ListingLayer()
