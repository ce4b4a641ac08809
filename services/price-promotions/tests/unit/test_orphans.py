"""Unrecorded activities: which generations to look up and which found activities to end."""

from hypothesis import given
from hypothesis import strategies as st
from price_promotions.core.activities import title_of
from price_promotions.core.orphans import (
    LIVE,
    MAX_SEARCHES,
    FoundActivity,
    orphans_to_end,
    unrecorded_generations,
)

STATUSES = st.sampled_from(sorted(LIVE | {"EXPIRED", "DEACTIVATED"}))
PRODUCTS = st.sampled_from(["17", "170", "1", "71"])
GENERATIONS = st.integers(min_value=1, max_value=30)


@given(st.lists(GENERATIONS, max_size=10), st.integers(min_value=0, max_value=30))
def test_only_generations_past_the_record_are_looked_up_newest_first(
    noted: list[int], last_generation: int
) -> None:
    looked_up = unrecorded_generations(noted, last_generation)
    beyond = {g for g in noted if g > last_generation}
    assert looked_up == sorted(beyond, reverse=True)[:MAX_SEARCHES]
    assert len(looked_up) <= MAX_SEARCHES


def test_a_noted_generation_the_record_holds_is_not_looked_up() -> None:
    assert unrecorded_generations([1, 2, 3], 3) == []
    assert unrecorded_generations([3, 4, 4], 3) == [4]


@st.composite
def found_activities(draw: st.DrawFn) -> FoundActivity:
    product, generation, status = draw(PRODUCTS), draw(GENERATIONS), draw(STATUSES)
    return FoundActivity(
        activity_id=f"{product}-{generation}-{status}",
        title=draw(st.sampled_from([title_of(product, generation), f"sale {product}"])),
        status=status,
    )


@given(st.lists(found_activities(), max_size=12), PRODUCTS, st.sets(GENERATIONS, max_size=4))
def test_exactly_the_live_activities_titled_for_the_product_are_ended(
    found: list[FoundActivity], product: str, generations: set[int]
) -> None:
    ended = orphans_to_end(found, product, generations)
    titles = {title_of(product, g) for g in generations}
    expected = {a.activity_id for a in found if a.title in titles and a.status in LIVE}
    assert ended == sorted(expected)


def test_a_longer_product_id_or_a_later_generation_is_someone_elses() -> None:
    # Title search is a substring match: "silk 17 g1" also finds these.
    found = [
        FoundActivity(activity_id="a", title=title_of("17", 10), status="ONGOING"),
        FoundActivity(activity_id="b", title=title_of("170", 1), status="ONGOING"),
        FoundActivity(activity_id="c", title=title_of("17", 1), status="DRAFT"),
        FoundActivity(activity_id="d", title=title_of("17", 1), status="DEACTIVATED"),
    ]
    assert orphans_to_end(found, "17", [1]) == ["c"]
