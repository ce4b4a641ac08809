"""Partial edits of listing data and connector edits: what an edit names changes, nothing else.

A field the edit omits keeps its value; a field given as null clears that one field (the level
then inherits it again). Attributes and certifications merge per id, as the CSV edit does: an
attribute given with no values, or a certification with no documents, is removed from the level.
The size chart is one choice, so setting its image drops the template and the other way round.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from catalog_sync.core.models import (
    AttributeSetting,
    CertificationSetting,
    ListingLayer,
    PackageSetting,
)

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S", AttributeSetting, CertificationSetting)

_OTHER_CHART = {
    "size_chart_uri": "size_chart_template_id",
    "size_chart_template_id": "size_chart_uri",
}


def given(edit: BaseModel) -> dict[str, object]:
    """The fields an edit names (explicit nulls included), as values of the model."""
    return {name: getattr(edit, name) for name in edit.model_fields_set}


def merge_fields(current: M, edit: M) -> M:
    """`current` with the fields `edit` names replaced (an explicit null clears a field)."""
    merged = current.model_copy(update=given(edit))
    return type(current).model_validate(merged.model_dump())


def _merge_by_id(
    current: Sequence[S], edit: Sequence[S], key: Callable[[S], str], empty: Callable[[S], bool]
) -> list[S]:
    """Entries of `edit` replace those of `current` with the same id; empty ones remove it."""
    replaced = {key(e) for e in edit}
    kept = [c for c in current if key(c) not in replaced]
    return kept + [e for e in edit if not empty(e)]


def _package(current: PackageSetting | None, edit: PackageSetting | None) -> PackageSetting | None:
    if edit is None or current is None:
        return edit
    return merge_fields(current, edit)


def merge_listing(current: ListingLayer, edit: ListingLayer) -> ListingLayer:
    """One level's listing data after a partial edit of that level."""
    update = given(edit)
    if "attributes" in update:
        update["attributes"] = _merge_by_id(
            current.attributes, edit.attributes, lambda a: a.attribute_id, lambda a: a.empty
        )
    if "certifications" in update:
        update["certifications"] = _merge_by_id(
            current.certifications,
            edit.certifications,
            lambda c: c.certification_id,
            lambda c: not (c.image_uris or c.file_ids),
        )
    if "package" in update:
        update["package"] = _package(current.package, edit.package)
    for chart, other in _OTHER_CHART.items():
        if update.get(chart) and other not in update:
            update[other] = None  # one size chart: the new choice replaces the other kind
    merged = current.model_copy(update=update)
    return ListingLayer.model_validate(merged.model_dump())
