"""Category CSV bulk edit: the template, per-row validation, the error file, applying rows.

Columns: product_id, title, brand_id, then one per product attribute of the category, named
`<name> [<attribute id>]` (required ones end in ` *`). Cells hold values separated by `|`,
as value names or ids; an empty cell leaves the current value as it is.
"""

import csv
import io
import re

from connector_contracts import AttributeValues, ProductListingUpdate

from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    Frozen,
    ListingLayer,
)

PRODUCT_ID, TITLE, BRAND_ID, ERRORS = "product_id", "title", "brand_id", "errors"
SEPARATOR = "|"
_COLUMN = re.compile(r"\[(?P<id>[^\]]+)\]\s*\*?\s*$")


class TemplateProduct(Frozen):
    """A product of the category as the template shows it."""

    shopify_product_id: str
    title: str
    listing: ListingLayer


class RowResult(Frozen):
    """One uploaded row: the update it makes, or why it cannot."""

    row: int
    product_id: str
    update: ProductListingUpdate | None = None
    errors: list[str] = []


def attribute_column(a: AttributeRequirement) -> str:
    """The column header of an attribute."""
    return f"{a.name} [{a.id}]{' *' if a.required else ''}"


def _editable(requirements: CategoryRequirements) -> list[AttributeRequirement]:
    return [a for a in requirements.attributes if not a.sales]


def _cell(attribute: AttributeRequirement, listing: ListingLayer) -> str:
    chosen = next((s for s in listing.attributes if s.attribute_id == attribute.id), None)
    if chosen is None:
        return ""
    names = [attribute.value_ids.get(v, v) for v in chosen.value_ids] + chosen.custom_values
    return SEPARATOR.join(names)


def template(requirements: CategoryRequirements, products: list[TemplateProduct]) -> str:
    """The category's products with their brand and attribute columns."""
    attributes = _editable(requirements)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([PRODUCT_ID, TITLE, BRAND_ID, *(attribute_column(a) for a in attributes)])
    for p in products:
        numeric = p.shopify_product_id.rsplit("/", 1)[-1]
        cells = [_cell(a, p.listing) for a in attributes]
        writer.writerow([numeric, p.title, p.listing.brand_id or "", *cells])
    return out.getvalue()


def _values(attribute: AttributeRequirement, cell: str) -> tuple[AttributeValues | None, list[str]]:
    parts = [v.strip() for v in cell.split(SEPARATOR) if v.strip()]
    if not parts:
        return None, []
    by_name = {name.lower(): vid for vid, name in attribute.value_ids.items()}
    ids, custom, errors = [], [], []
    for part in parts:
        vid = part if part in attribute.value_ids else by_name.get(part.lower())
        if vid:
            ids.append(vid)
        elif attribute.customizable:
            custom.append(part)
        else:
            allowed = ", ".join(attribute.value_ids.values())
            errors.append(f"'{part}' is not a value of {attribute.name} (choose {allowed})")
    return AttributeValues(attribute_id=attribute.id, value_ids=ids, custom_values=custom), errors


def validate_row(
    number: int, row: dict[str, str], requirements: CategoryRequirements, product_ids: set[str]
) -> RowResult:
    """One row against the category's attributes and products."""
    raw_id = (row.get(PRODUCT_ID) or "").strip()
    gid = raw_id if raw_id.startswith("gid://") else f"gid://shopify/Product/{raw_id}"
    errors = (
        [] if gid in product_ids else [f"product {raw_id or '(empty)'} is not in this category"]
    )
    brand = (row.get(BRAND_ID) or "").strip()
    if brand and not brand.isdigit():
        errors.append(
            f"brand_id '{brand}' is not a TikTok brand id (digits): find it with the brand search"
        )
    columns = {m.group("id"): header for header in row if (m := _COLUMN.search(header or ""))}
    values = []
    for attribute in _editable(requirements):
        value, problems = _values(attribute, row.get(columns.get(attribute.id, ""), "") or "")
        errors += problems
        if value:
            values.append(value)
    if errors:
        return RowResult(row=number, product_id=raw_id, errors=errors)
    update = ProductListingUpdate(shopify_product_id=gid, brand_id=brand or None, attributes=values)
    return RowResult(row=number, product_id=raw_id, update=update)


def parse_upload(
    text: str, requirements: CategoryRequirements, product_ids: set[str]
) -> list[RowResult]:
    """Every row of an uploaded CSV; a product appearing twice is an error after its first row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if PRODUCT_ID not in (reader.fieldnames or []):
        return [
            RowResult(
                row=1,
                product_id="",
                errors=["the file has no product_id column: start from the template"],
            )
        ]
    results, seen = [], set()
    for number, row in enumerate(reader, start=2):
        result = validate_row(number, row, requirements, product_ids)
        if result.update and result.update.shopify_product_id in seen:
            result = RowResult(
                row=number, product_id=result.product_id, errors=["product appears twice"]
            )
        if result.update:
            seen.add(result.update.shopify_product_id)
        results.append(result)
    return results


def error_file(text: str, results: list[RowResult]) -> str:
    """The uploaded rows that failed, each with its errors in a last column."""
    errors = {r.row: "; ".join(r.errors) for r in results if r.errors}
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    out = io.StringIO()
    writer = csv.writer(out)
    if rows:
        writer.writerow([*rows[0], ERRORS])
    for number, row in enumerate(rows[1:], start=2):
        if number in errors:
            writer.writerow([*row, errors[number]])
    if 1 in errors:
        writer.writerow(["", errors[1]])
    return out.getvalue()


def apply_update(listing: ListingLayer, update: ProductListingUpdate) -> ListingLayer:
    """A product's listing data with the row's brand and attributes set."""
    replaced = {a.attribute_id for a in update.attributes}
    attributes = [a for a in listing.attributes if a.attribute_id not in replaced] + [
        AttributeSetting(
            attribute_id=a.attribute_id, value_ids=a.value_ids, custom_values=a.custom_values
        )
        for a in update.attributes
    ]
    return listing.model_copy(
        update={"brand_id": update.brand_id or listing.brand_id, "attributes": attributes}
    )
