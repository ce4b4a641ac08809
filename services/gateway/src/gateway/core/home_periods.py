"""Calendar blocks of the Home dashboard's sums (ADR 0930), and how a period is read from them.

Top products and customers are kept per day, month, year and all time, so a period is a few
blocks, not a row per day: whole years, then whole months, then the days at its edges. A period
that is one block reads its top 10 straight off that block's sorted index; a longer one ranks
candidates from the smallest block that covers it (`settled` says when no unseen key can rank).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class Grain(StrEnum):
    """How long a block of sums is."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    ALL = "all"


@dataclass(frozen=True, order=True)
class Block:
    """The days a row of sums adds up: one day, a calendar month or year (UTC), or all time."""

    grain: Grain
    start: date

    @property
    def last(self) -> date:
        """Its last day (all time: the last date there is)."""
        if self.grain is Grain.DAY:
            return self.start
        if self.grain is Grain.MONTH:
            return _next_month(self.start) - timedelta(days=1)
        if self.grain is Grain.YEAR:
            return self.start.replace(month=12, day=31)
        return date.max


ALL_TIME = Block(Grain.ALL, date.min)


def _next_month(first: date) -> date:
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def blocks_of(day: date) -> tuple[Block, ...]:
    """Every block a day's sums are added to."""
    return (
        Block(Grain.DAY, day),
        Block(Grain.MONTH, day.replace(day=1)),
        Block(Grain.YEAR, day.replace(month=1, day=1)),
        ALL_TIME,
    )


def decompose(first: date, last: date) -> list[Block]:
    """The fewest calendar blocks that are exactly the days `first`..`last` (none if empty):
    edge days, whole months, whole years, greedily from the left."""
    blocks: list[Block] = []
    day = first
    while day <= last:
        block = _largest_from(day, last)
        blocks.append(block)
        day = block.last + timedelta(days=1)
    return blocks


def _largest_from(day: date, last: date) -> Block:
    year, month = Block(Grain.YEAR, day), Block(Grain.MONTH, day)
    if (day.month, day.day) == (1, 1) and year.last <= last:
        return year
    if day.day == 1 and month.last <= last:
        return month
    return Block(Grain.DAY, day)


def cover(first: date, last: date) -> Block:
    """The smallest single block holding every day `first`..`last`."""
    for block in blocks_of(first)[:3]:
        if last <= block.last:
            return block
    return ALL_TIME


@dataclass(frozen=True)
class Plan:
    """How to read a period's tops: `blocks` are exactly its days with data; `cover` is one
    block holding them all; `exact` signs blocks so their sum is the period's (the period's
    own blocks, or the cover minus the rest, whichever is fewer); `share` is the period's part
    of the cover's days with data (near 1: ranking by the cover's figures finds the top soon)."""

    blocks: tuple[Block, ...]
    cover: Block
    exact: tuple[tuple[Block, int], ...]
    share: float


def plan(start: date | None, end: date | None, data: tuple[date, date]) -> Plan | None:
    """The plan for a period (None: open), given the first and last day with data; None when
    they do not meet."""
    first, last = max(start or data[0], data[0]), min(end or data[1], data[1])
    if first > last:
        return None
    if (first, last) == data:  # every day with data: all time is exact
        return Plan((ALL_TIME,), ALL_TIME, ((ALL_TIME, 1),), 1.0)
    blocks = tuple(decompose(first, last))
    around = cover(first, last)
    lo, hi = max(around.start, data[0]), min(around.last, data[1])
    rest = [*decompose(lo, first - timedelta(days=1)), *decompose(last + timedelta(days=1), hi)]
    own = tuple((b, 1) for b in blocks)
    minus = ((around, 1), *((b, -1) for b in rest))
    exact = own if len(own) <= len(minus) else minus
    share = ((last - first).days + 1) / ((hi - lo).days + 1)
    return Plan(blocks, around, exact, share)


@dataclass(frozen=True)
class Ranked:
    """A key and its figure; ranks best first, ties by key."""

    value: Decimal
    key: tuple[str, ...]

    def order(self) -> tuple[Decimal, tuple[str, ...]]:
        return (-self.value, self.key)


def settled(best: Sequence[Ranked], top: int, last_seen: Ranked) -> bool:
    """True when no key after `last_seen` in the cover's order can enter the `top`: a key's
    figure in the period is at most its figure in the cover, and `best` holds the period's
    figures of every key seen so far, best first."""
    return len(best) >= top and best[top - 1].order() <= last_seen.order()


def ranked(rows: Sequence[Ranked], top: int) -> list[Ranked]:
    """The `top` best, best first."""
    return sorted(rows, key=Ranked.order)[:top]
