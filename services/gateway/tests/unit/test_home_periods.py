"""The calendar blocks of Home's tops: a period's blocks are exactly its days, its plan's signed
blocks sum to exactly its figures, and ranking by the cover with the threshold rule finds the
same top 10 as summing every key."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from gateway.core.home_periods import (
    ALL_TIME,
    Block,
    Grain,
    Ranked,
    blocks_of,
    cover,
    decompose,
    plan,
    ranked,
    settled,
)
from hypothesis import given, settings
from hypothesis import strategies as st

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


def days_of(block: Block, data: tuple[date, date]) -> set[date]:
    first, last = max(block.start, data[0]), min(block.last, data[1])
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


@settings(deadline=None)
@given(DAYS, DAYS)
def test_a_periods_blocks_are_exactly_its_days_once_each(a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    blocks = decompose(first, last)
    covered = Counter(d for block in blocks for d in days_of(block, (date.min, date.max)))
    assert set(covered) == span(first, last)
    assert set(covered.values()) == {1}
    # Few: at most the days to the first month, months to the first year, years, and back.
    assert len(blocks) <= 30 + 11 + (last.year - first.year + 1) + 11 + 30


def test_whole_months_and_years_are_one_block_each() -> None:
    assert decompose(date(2026, 1, 1), date(2026, 12, 31)) == [Block(Grain.YEAR, date(2026, 1, 1))]
    assert decompose(date(2026, 2, 1), date(2026, 2, 28)) == [Block(Grain.MONTH, date(2026, 2, 1))]
    assert [b.grain for b in decompose(date(2025, 12, 31), date(2026, 2, 1))] == [
        Grain.DAY, Grain.MONTH, Grain.DAY,
    ]  # fmt: skip


@given(DAYS, DAYS)
def test_the_cover_is_one_block_holding_the_period(a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    around = cover(first, last)
    assert around.start <= first
    assert last <= around.last
    assert around in blocks_of(first)


@settings(deadline=None)  # sets of up to four years of days
@given(DAYS, DAYS, DAYS, DAYS, st.booleans(), st.booleans())
def test_a_plans_signed_blocks_sum_to_the_periods_days(
    a: date, b: date, c: date, d: date, open_start: bool, open_end: bool
) -> None:
    data = (min(a, b), max(a, b))
    start, end = min(c, d), max(c, d)
    how = plan(None if open_start else start, None if open_end else end, data)
    wanted = span(max(data[0], start if not open_start else data[0]),
                  min(data[1], end if not open_end else data[1]))  # fmt: skip
    if how is None:
        assert not wanted
        return
    signed: Counter[date] = Counter()
    for block, sign in how.exact:
        for day in days_of(block, data):
            signed[day] += sign
    assert {day for day, n in signed.items() if n} == wanted
    assert set(signed.values()) <= {0, 1}
    assert {d for block in how.blocks for d in days_of(block, data)} == wanted
    assert all(days_of(block, data) <= days_of(how.cover, data) for block in how.blocks)
    assert 0 < how.share <= 1
    if wanted == span(*data):
        assert how.blocks == (ALL_TIME,)


SALES = st.lists(
    st.tuples(st.sampled_from("abcdefghijklmnop"), st.integers(0, 60), st.integers(1, 9)),
    max_size=120,
)


@given(SALES, st.integers(0, 60), st.integers(0, 60), st.integers(1, 5), st.integers(1, 4))
def test_ranking_by_the_cover_finds_the_same_top_as_summing_everything(
    sales: list[tuple[str, int, int]], a: int, b: int, top: int, page: int
) -> None:
    """The threshold rule as the reader runs it: the cover's keys best first, a page at a
    time, each ranked by its figure in the period, until `settled`."""
    first, last = min(a, b), max(a, b)
    in_cover: Counter[str] = Counter()
    in_period: Counter[str] = Counter()
    for key, day, amount in sales:
        in_cover[key] += amount
        if first <= day <= last:
            in_period[key] += amount
    expected = ranked([Ranked(Decimal(v), (k,)) for k, v in in_period.items()], top)
    order = ranked([Ranked(Decimal(v), (k,)) for k, v in in_cover.items()], len(in_cover))
    seen: list[Ranked] = []
    for at in range(0, len(order), page):
        rows = order[at : at + page]
        seen += [Ranked(Decimal(in_period[r.key[0]]), r.key) for r in rows if in_period[r.key[0]]]
        best = ranked(seen, top)
        if len(rows) < page or settled(best, top, rows[-1]):
            break
    assert ranked(seen, top) == expected
