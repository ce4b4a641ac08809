"""Listing data priority: product beats category beats store, field by field.

Attributes and certifications merge per attribute / certification id, so a category can set
Material while a product sets only its own Occasion.
"""

from collections.abc import Sequence
from typing import TypeVar

from catalog_sync.core.models import (
    AttributeSetting,
    CertificationSetting,
    ListingLayer,
    PackageSetting,
    ResolvedListing,
)

T = TypeVar("T")


def first_set(values: Sequence[T | None]) -> T | None:
    """The first value that is set (not None), in priority order."""
    return next((v for v in values if v is not None), None)


def resolve_listing(*layers: ListingLayer | None) -> ResolvedListing:
    """Merge layers given highest priority first (product, category, store)."""
    present = [layer for layer in layers if layer is not None]
    attributes: dict[str, AttributeSetting] = {}
    certifications: dict[str, CertificationSetting] = {}
    for layer in reversed(present):  # lowest priority first, higher ones overwrite
        attributes |= {a.attribute_id: a for a in layer.attributes if not a.empty}
        certifications |= {
            c.certification_id: c for c in layer.certifications if c.image_uris or c.file_ids
        }
    # The size chart is one choice (image or template): the highest layer that sets either.
    chart = next((x for x in present if x.size_chart_uri or x.size_chart_template_id), None)
    return ResolvedListing(
        brand_id=first_set([layer.brand_id for layer in present]),
        attributes=attributes,
        certifications=certifications,
        size_chart_uri=chart.size_chart_uri if chart else None,
        size_chart_template_id=chart.size_chart_template_id if chart else None,
        responsible_person_ids=first_set([layer.responsible_person_ids for layer in present]) or [],
        manufacturer_ids=first_set([layer.manufacturer_ids for layer in present]) or [],
        package=_package([layer.package for layer in present]),
    )


def _package(packages: Sequence[PackageSetting | None]) -> PackageSetting:
    """Dimensions come as a set (one level's three together); weight on its own."""
    with_dims = [p for p in packages if p and p.length and p.width and p.height]
    with_weight = [p for p in packages if p and p.weight]
    dims = with_dims[0] if with_dims else None
    weight = with_weight[0] if with_weight else None
    return PackageSetting(
        length=dims.length if dims else None,
        width=dims.width if dims else None,
        height=dims.height if dims else None,
        dimension_unit=dims.dimension_unit if dims else "CENTIMETER",
        weight=weight.weight if weight else None,
        weight_unit=weight.weight_unit if weight else "KILOGRAM",
    )
