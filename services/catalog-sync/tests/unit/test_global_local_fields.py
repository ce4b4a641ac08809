"""Global Products (pure): the Global tag, Global Published Failed reasons, and which listing
fields a local listing published from Global Products may still change (guide: Global Product
Fields Editing Guide)."""

from catalog_sync.core.global_products import (
    LOCKED_LOCAL_FIELDS,
    RegionPublication,
    locked_local_edit,
    publish_failures,
    published_to,
    refused_publications,
)
from catalog_sync.core.models import ListingLayer
from hypothesis import given
from hypothesis import strategies as st

FIELDS = sorted(ListingLayer.model_fields)
EDITABLE = {"attributes", "certifications", "responsible_person_ids", "manufacturer_ids"}
regions = st.sampled_from(["DE", "FR", "IT", "ES", "IE"])
outcomes = st.dictionaries(
    regions,
    st.builds(
        RegionPublication,
        status=st.sampled_from(["published", "failed"]),
        reason=st.one_of(st.none(), st.text(min_size=1, max_size=20)),
    ),
)


@given(fields=st.sets(st.sampled_from(FIELDS)))
def test_only_fields_the_guide_locks_are_refused(fields: set[str]) -> None:
    refusal = locked_local_edit("fr", fields)
    assert (refusal is None) == (not fields & set(LOCKED_LOCAL_FIELDS))
    if refusal:
        assert refusal.startswith("This product is published to FR from Global Products")
        assert all(LOCKED_LOCAL_FIELDS[f] in refusal for f in fields if f in LOCKED_LOCAL_FIELDS)


def test_the_guides_editable_fields_stay_editable() -> None:
    assert locked_local_edit("FR", EDITABLE) is None
    assert set(LOCKED_LOCAL_FIELDS) == set(FIELDS) - EDITABLE


@given(published=outcomes)
def test_failures_are_the_failed_regions_with_a_reason(
    published: dict[str, RegionPublication],
) -> None:
    failures = publish_failures(published)
    assert set(failures) == {r for r, p in published.items() if p.status == "failed"}
    assert all(failures.values())
    assert all(published_to(published, r.lower()) != (r in failures) for r in published)


@given(published=outcomes, wanted=st.lists(regions, min_size=1, max_size=3))
def test_a_refused_publish_never_unpublishes_a_region(
    published: dict[str, RegionPublication], wanted: list[str]
) -> None:
    refused = refused_publications(published, wanted, "already listed in DE")
    assert set(refused) == {r for r in wanted if not published_to(published, r)}
    assert {p.reason for p in refused.values()} <= {"already listed in DE"}
