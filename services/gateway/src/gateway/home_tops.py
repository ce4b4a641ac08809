"""Reading a period's top 10 off the calendar blocks of sums (ADR 0930).

A period that is one block (a day, a month, a year, all time) reads its top 10 off that block's
sorted index. A period that is most of its cover (say the last 30 days of a month) reads the
cover's best in pages and ranks each by its exact figure in the period, until no unseen key can
rank (`home_periods.settled`). Anything else, or a cover that never settles within its budget,
sums the period's few blocks. Every path gives the same exact result.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from connector_runtime.db import Connection

from gateway.core.home_periods import Block, Plan, Ranked, plan, ranked, settled
from gateway.metrics import HOME_TOP_READS

TOP = 10
PAGE = 100
PAGES = 10  # candidates read off a cover before summing the period's blocks instead
SHARE_FOR_COVER = 0.5  # below it the cover's order says little about the period's


@dataclass(frozen=True)
class Ranking:
    """One top list: a table of block sums, a filter, its key, its numbers and labels."""

    table: str
    filters: tuple[tuple[str, object], ...]
    keys: tuple[str, ...]
    numbers: tuple[str, ...]
    labels: tuple[str, ...]
    metric: str

    def where(self, first: int) -> tuple[str, list[object]]:
        """`AND column = $n ...` for the filters, numbered from `first`, and their values."""
        sql = "".join(f" AND t.{c} = ${first + i}" for i, (c, _) in enumerate(self.filters))
        return sql, [v for _, v in self.filters]

    def selected(self, signed: bool) -> str:
        return ", ".join(
            [
                *(f"t.{k}" for k in self.keys),
                *(f"{_sum(n, signed)} AS {n}" for n in self.numbers),
                *(f"max(t.{label}) AS {label}" for label in self.labels),
            ]
        )

    def rank(self, row: Any) -> Ranked:
        return Ranked(Decimal(row[self.metric]), tuple(row[k] for k in self.keys))


def _sum(column: str, signed: bool) -> str:
    """A column summed over the blocks; signed when some are subtracted (a multiplication per
    row costs a numeric sum about as much again, ADR 0940)."""
    return f"sum(b.sign * t.{column})" if signed else f"sum(t.{column})"


def _is_signed(blocks: list[tuple[Block, int]]) -> bool:
    return any(sign != 1 for _, sign in blocks)


async def top(
    conn: Connection, at: tuple[str, str], period: tuple[Any, Any], ranking: Ranking
) -> list[tuple[str, dict[str, Any]]]:
    """The period's 10 best of each currency, best first: `(currency, row)`."""
    data = await conn.fetchrow(
        "SELECT min(day) AS first, max(day) AS last FROM home_revenue_days"
        " WHERE connection_id = $1 AND region = $2",
        *at,
    )
    if data is None or data["first"] is None:
        return []
    how = plan(period[0], period[1], (data["first"], data["last"]))
    if how is None:
        return []
    currencies = await conn.fetch(
        "SELECT DISTINCT currency FROM home_revenue_days WHERE connection_id = $1"
        " AND region = $2 AND day BETWEEN $3 AND $4 ORDER BY currency",
        *at,
        max(how.blocks[0].start, data["first"]),
        min(how.blocks[-1].last, data["last"]),
    )
    found: list[tuple[str, dict[str, Any]]] = []
    for r in currencies:
        rows = await _top_of_currency(conn, (*at, r["currency"]), how, ranking)
        found += [(r["currency"], row) for row in rows]
    return found


async def _top_of_currency(
    conn: Connection, at: tuple[str, str, str], how: Plan, ranking: Ranking
) -> list[dict[str, Any]]:
    if len(how.blocks) == 1:
        HOME_TOP_READS.labels("index").inc()
        return await _off_the_index(conn, at, how.blocks[0], ranking)
    if how.share >= SHARE_FOR_COVER:
        best = await _off_the_cover(conn, at, how, ranking)
        HOME_TOP_READS.labels("cover" if best is not None else "unsettled").inc()
        if best is not None:
            return best
    else:
        HOME_TOP_READS.labels("summed").inc()
    return await _summed(conn, at, [(b, 1) for b in how.blocks], ranking, None)


async def _off_the_index(
    conn: Connection, at: tuple[str, str, str], block: Block, ranking: Ranking
) -> list[dict[str, Any]]:
    rows = await _page(conn, at, block, ranking, 0, TOP, full=True)
    return [dict(r) for r in rows]


async def _page(
    conn: Connection,
    at: tuple[str, str, str],
    block: Block,
    ranking: Ranking,
    offset: int,
    size: int,
    full: bool,
) -> list[Any]:
    """Rows of one block in the ranking's order (all columns, or the key and metric)."""
    extra, values = ranking.where(6)
    columns = [*ranking.keys, *ranking.numbers, *ranking.labels] if full else [
        *ranking.keys, ranking.metric]  # fmt: skip
    order = ", ".join([f"t.{ranking.metric} DESC", *(f't.{k} COLLATE "C"' for k in ranking.keys)])
    return list(
        await conn.fetch(
            f"SELECT {', '.join(f't.{c}' for c in columns)} FROM {ranking.table} t"
            " WHERE t.connection_id = $1 AND t.region = $2 AND t.currency = $3"
            f" AND t.grain = $4 AND t.start = $5{extra}"
            f" ORDER BY {order} LIMIT {size} OFFSET {offset}",
            *at,
            block.grain.value,
            block.start,
            *values,
        )
    )


async def _off_the_cover(
    conn: Connection, at: tuple[str, str, str], how: Plan, ranking: Ranking
) -> list[dict[str, Any]] | None:
    """The top by the threshold rule over the cover's order; None when it did not settle
    within the budget (each key's figure in the period is at most its cover's)."""
    exact: dict[tuple[str, ...], dict[str, Any]] = {}
    for page in range(PAGES):
        rows = await _page(conn, at, how.cover, ranking, page * PAGE, PAGE, full=False)
        if rows:
            keys = [tuple(r[k] for k in ranking.keys) for r in rows]
            for row in await _summed(conn, at, list(how.exact), ranking, keys):
                exact[ranking.rank(row).key] = row
        best = ranked([ranking.rank(r) for r in exact.values()], TOP)
        if len(rows) < PAGE or settled(best, TOP, ranking.rank(rows[-1])):
            return [exact[b.key] for b in best]
    return None


async def _summed(
    conn: Connection,
    at: tuple[str, str, str],
    blocks: list[tuple[Block, int]],
    ranking: Ranking,
    keys: list[tuple[str, ...]] | None,
) -> list[dict[str, Any]]:
    """The period's figures summed over signed blocks: of the given keys, or its top.

    The top sums the metric alone first (the columns of its index: an index-only scan, no
    labels or other numbers per row; ADR 0940), then the full figures of the 10 found. That
    is the top of the full sum whenever the 10th metric is above zero: a key the first pass
    dropped sums its metric to zero, below the 10th (else, say a free product's zero amounts,
    the full sum decides)."""
    if keys is not None:
        return await _figures(conn, at, blocks, ranking, keys)
    best = await _metric_top(conn, at, blocks, ranking)
    if len(best) < TOP or best[-1][ranking.metric] <= 0:
        return await _full_top(conn, at, blocks, ranking)
    found = {
        ranking.rank(r).key: r
        for r in await _figures(conn, at, blocks, ranking, [ranking.rank(b).key for b in best])
    }
    return [found[ranking.rank(b).key] for b in best]


def _signed_blocks(blocks: list[tuple[Block, int]]) -> list[object]:
    return [
        [b.grain.value for b, _ in blocks],
        [b.start for b, _ in blocks],
        [s for _, s in blocks],
    ]


_BLOCKS = "unnest($4::text[], $5::date[], $6::integer[]) AS b(grain, start, sign)"


async def _metric_top(
    conn: Connection, at: tuple[str, str, str], blocks: list[tuple[Block, int]], ranking: Ranking
) -> list[dict[str, Any]]:
    """The keys and the metric of the top, keys whose metric sums to zero left out."""
    group = ", ".join(f"t.{k}" for k in ranking.keys)
    m, summed = ranking.metric, _sum(ranking.metric, _is_signed(blocks))
    return await _summed_top(
        conn, at, blocks, ranking, f"{group}, {summed} AS {m}", f"{summed} <> 0"
    )


async def _full_top(
    conn: Connection, at: tuple[str, str, str], blocks: list[tuple[Block, int]], ranking: Ranking
) -> list[dict[str, Any]]:
    """Every figure of the top, keys whose every number sums to zero left out."""
    signed = _is_signed(blocks)
    nonzero = " OR ".join(f"{_sum(c, signed)} <> 0" for c in ranking.numbers)
    return await _summed_top(conn, at, blocks, ranking, ranking.selected(signed), nonzero)


async def _summed_top(
    conn: Connection,
    at: tuple[str, str, str],
    blocks: list[tuple[Block, int]],
    ranking: Ranking,
    columns: str,
    having: str,
) -> list[dict[str, Any]]:
    """The 10 best keys summed over the signed blocks: `columns` selected, `having` kept."""
    extra, values = ranking.where(7)
    group = ", ".join(f"t.{k}" for k in ranking.keys)
    order = ", ".join([f"{ranking.metric} DESC", *(f't.{k} COLLATE "C"' for k in ranking.keys)])
    rows = await conn.fetch(
        f"SELECT {columns} FROM {_BLOCKS}"
        f" JOIN {ranking.table} t ON t.grain = b.grain AND t.start = b.start"
        f" WHERE t.connection_id = $1 AND t.region = $2 AND t.currency = $3{extra}"
        f" GROUP BY {group} HAVING {having} ORDER BY {order} LIMIT {TOP}",
        *at,
        *_signed_blocks(blocks),
        *values,
    )
    return [dict(r) for r in rows]


async def _figures(
    conn: Connection,
    at: tuple[str, str, str],
    blocks: list[tuple[Block, int]],
    ranking: Ranking,
    keys: list[tuple[str, ...]],
) -> list[dict[str, Any]]:
    """The keys' figures over the signed blocks, each row found by its primary key (a key
    per block: a nested loop of index lookups, not a scan of the blocks)."""
    extra, values = ranking.where(7)
    n = 7 + len(values)
    group = ", ".join(f"t.{k}" for k in ranking.keys)
    arrays = ", ".join(f"${n + i}::text[]" for i in range(len(ranking.keys)))
    names = ", ".join(ranking.keys)
    joined = " AND ".join(f"t.{k} = k.{k}" for k in ranking.keys)
    signed = _is_signed(blocks)
    nonzero = " OR ".join(f"{_sum(c, signed)} <> 0" for c in ranking.numbers)
    rows = await conn.fetch(
        f"SELECT {ranking.selected(signed)} FROM unnest({arrays}) AS k({names})"
        f" CROSS JOIN {_BLOCKS} JOIN {ranking.table} t ON t.grain = b.grain"
        f" AND t.start = b.start AND {joined}"
        f" WHERE t.connection_id = $1 AND t.region = $2 AND t.currency = $3{extra}"
        f" GROUP BY {group} HAVING {nonzero}",
        *at,
        *_signed_blocks(blocks),
        *values,
        *(list(c) for c in zip(*keys, strict=True)),
    )
    return [dict(r) for r in rows]
