"""Bulk metafield mapping at category level: a Shopify product metafield fills a TikTok attribute
for every product of the category (ADR 0645).

A metafield's values are matched to the attribute's enumerated values by the merchant's value
map first, then by name; a value matching neither is sent as a custom value where TikTok allows
one, else it is an issue the merchant can act on. Product-level attribute values beat the
mapping, and the mapping beats the category's and the store's fixed values (`resolve_listing`).
"""

import json
from collections.abc import Sequence

from pydantic import Field

from catalog_sync.core.models import (
    AttributeRequirement,
    AttributeSetting,
    CategoryRequirements,
    Frozen,
    Issue,
    ListingLayer,
    SourceMetafield,
    SourceProduct,
)

# Shopify's rules (reference B3, MetafieldsSetInput): namespace 3-255, key 2-64 characters of
# letters, digits, hyphens and underscores.
METAFIELD_PATH = r"^[A-Za-z0-9_-]{3,255}\.[A-Za-z0-9_-]{2,64}$"
MEASURE_TYPES = ("weight", "dimension", "volume")


class MetafieldMapping(Frozen):
    """One Shopify product metafield filling one TikTok attribute of a category."""

    metafield: str = Field(
        pattern=METAFIELD_PATH, description="The Shopify metafield as `namespace.key`."
    )
    attribute_id: str = Field(min_length=1, description="A TikTok attribute of the category.")
    values: dict[str, str] = Field(
        default_factory=dict,
        description="Shopify value -> TikTok value id, for an attribute with enumerated values; "
        "a value not listed matches the TikTok value of the same name (case ignored).",
    )


class MappingError(Frozen):
    """A mapping TikTok's category rules refuse: `field` names it in the request body."""

    field: tuple[str | int, ...]
    message: str


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _text(item: object) -> str:
    if isinstance(item, dict):  # a measurement: {"value": 2.5, "unit": "KILOGRAMS"}
        return f"{item.get('value', '')} {item.get('unit', '')}".strip()
    return str(item)


def metafield_values(metafield: SourceMetafield) -> list[str]:
    """The metafield's values as text: a `list.*` type's items, a measurement's value and unit,
    else the value itself; blank values are none."""
    parsed: object = metafield.value
    if metafield.type.startswith("list.") or metafield.type in MEASURE_TYPES:
        try:
            parsed = json.loads(metafield.value)
        except ValueError:
            parsed = metafield.value
    items = parsed if isinstance(parsed, list) else [parsed]
    return [t for t in (_text(i).strip() for i in items) if t]


def _errors_of(
    index: int, mapping: MetafieldMapping, attribute: AttributeRequirement | None
) -> list[MappingError]:
    at: tuple[str | int, ...] = ("mappings", index)
    if attribute is None or attribute.sales:
        what = "a sales attribute (variants fill it)" if attribute else "not an attribute"
        message = f"'{mapping.attribute_id}' is {what} of this TikTok Shop category."
        return [MappingError(field=(*at, "attribute_id"), message=message)]
    errors: list[MappingError] = []
    if mapping.values and not attribute.value_ids:
        message = f"'{attribute.name}' takes free text: it has no TikTok values to map to."
        errors.append(MappingError(field=(*at, "values"), message=message))
        return errors
    errors += [
        MappingError(
            field=(*at, "values", shopify_value),
            message=f"'{value_id}' is not a TikTok value of '{attribute.name}'.",
        )
        for shopify_value, value_id in mapping.values.items()
        if value_id not in attribute.value_ids
    ]
    return errors


def mapping_errors(
    mappings: Sequence[MetafieldMapping], requirements: CategoryRequirements
) -> list[MappingError]:
    """Everything TikTok's rules for the category refuse in a category's metafield mappings:
    attributes the category does not have (or sales attributes), value ids the attribute does
    not have, a value map for a free-text attribute, an attribute mapped twice."""
    by_id = {a.id: a for a in requirements.attributes}
    errors: list[MappingError] = []
    seen: set[str] = set()
    for index, mapping in enumerate(mappings):
        if mapping.attribute_id in seen:
            errors.append(
                MappingError(
                    field=("mappings", index, "attribute_id"),
                    message=f"Attribute '{mapping.attribute_id}' is mapped more than once.",
                )
            )
        seen.add(mapping.attribute_id)
        errors += _errors_of(index, mapping, by_id.get(mapping.attribute_id))
    return errors


def _value_id(value: str, mapping: MetafieldMapping, attribute: AttributeRequirement) -> str | None:
    explicit = {_norm(k): v for k, v in mapping.values.items()}
    by_name = {_norm(name): value_id for value_id, name in attribute.value_ids.items()}
    return explicit.get(_norm(value)) or by_name.get(_norm(value))


def _setting(
    values: list[str], mapping: MetafieldMapping, attribute: AttributeRequirement
) -> tuple[AttributeSetting, list[str]]:
    """The attribute's value ids and custom values, and the values TikTok cannot take."""
    ids: list[str] = []
    custom: list[str] = []
    refused: list[str] = []
    for value in values:
        found = _value_id(value, mapping, attribute) if attribute.value_ids else None
        if found:
            ids.append(found)
        elif attribute.customizable:
            custom.append(value)
        else:
            refused.append(value)
    setting = AttributeSetting(
        attribute_id=attribute.id,
        value_ids=list(dict.fromkeys(ids)),
        custom_values=list(dict.fromkeys(custom)),
    )
    return setting, refused


def _stale(mapping: MetafieldMapping) -> Issue:
    return Issue(
        code="stale_metafield_mapping",
        message=(
            f"The metafield mapping of '{mapping.metafield}' names attribute "
            f"'{mapping.attribute_id}', which this product's TikTok Shop category does not have: "
            "change the category's metafield mapping."
        ),
    )


def _refused(
    mapping: MetafieldMapping, attribute: AttributeRequirement, refused: list[str]
) -> Issue:
    shown = ", ".join(f"'{v}'" for v in refused)
    return Issue(
        code="unmapped_metafield_value",
        message=(
            f"The metafield '{mapping.metafield}' has {shown}, which is not a TikTok Shop value of "
            f"'{attribute.name}': map it to one in the category's metafield mapping, or fill in "
            "the attribute for the product."
        ),
    )


def mapped_layer(
    product: SourceProduct,
    mappings: Sequence[MetafieldMapping],
    requirements: CategoryRequirements | None,
) -> tuple[ListingLayer, list[Issue]]:
    """The attribute values the category's metafield mappings give one product, as a listing
    layer, and the issues of values TikTok cannot take. A product without the metafield (or
    with a blank one) gets nothing from that mapping."""
    if requirements is None or not mappings:
        return ListingLayer(), []
    by_id = {a.id: a for a in requirements.attributes if not a.sales}
    by_path = {m.path: m for m in product.metafields}
    settings: list[AttributeSetting] = []
    issues: list[Issue] = []
    for mapping in mappings:
        attribute = by_id.get(mapping.attribute_id)
        if attribute is None:
            issues.append(_stale(mapping))
            continue
        metafield = by_path.get(mapping.metafield)
        values = metafield_values(metafield) if metafield else []
        if not values:
            continue
        setting, refused = _setting(values, mapping, attribute)
        if refused:
            issues.append(_refused(mapping, attribute, refused))
        if not setting.empty:
            settings.append(setting)
    return ListingLayer(attributes=settings), issues
