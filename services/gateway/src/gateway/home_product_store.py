"""The Home dashboard's product tables: each product's newest state, and the counts it feeds."""

import json
from collections import Counter
from collections.abc import Sequence

from connector_runtime.db import Connection

from gateway.core.home_products import ProductMoves, ProductState


async def load_states(
    conn: Connection, products: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], ProductState]:
    """The held state of every `(connection id, product id)` (revision 0 when new), their rows
    locked for this transaction in key order: two messages of one product must not move the
    counts at once, and two batches of overlapping products cannot deadlock."""
    keys = sorted(set(products))
    cids, pids = [k[0] for k in keys], [k[1] for k in keys]
    await conn.execute(
        "INSERT INTO home_products SELECT *, 0, true, '{}'::jsonb"
        " FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        cids,
        pids,
    )
    rows = await conn.fetch(
        "SELECT p.connection_id, p.shopify_product_id, revision, deleted, regions::text"
        " FROM home_products p JOIN unnest($1::text[], $2::text[]) AS k(cid, pid)"
        " ON p.connection_id = k.cid AND p.shopify_product_id = k.pid"
        " ORDER BY p.connection_id, p.shopify_product_id FOR UPDATE OF p",
        cids,
        pids,
    )
    return {
        (r["connection_id"], r["shopify_product_id"]): ProductState(
            revision=r["revision"], deleted=r["deleted"], regions=json.loads(r["regions"])
        )
        for r in rows
    }


async def save_states(conn: Connection, states: dict[tuple[str, str], ProductState]) -> None:
    """Store the products' newer states."""
    if not states:
        return
    rows = [
        (cid, pid, s.revision, s.deleted, json.dumps({k: v.value for k, v in s.regions.items()}))
        for (cid, pid), s in sorted(states.items())
    ]
    await conn.execute(
        "UPDATE home_products p SET revision = k.revision, deleted = k.deleted,"
        " regions = k.regions::jsonb FROM unnest($1::text[], $2::text[], $3::bigint[],"
        " $4::boolean[], $5::text[]) AS k(cid, pid, revision, deleted, regions)"
        " WHERE p.connection_id = k.cid AND p.shopify_product_id = k.pid",
        *(list(c) for c in zip(*rows, strict=True)),
    )


async def add(conn: Connection, moves: Sequence[tuple[str, ProductMoves]]) -> None:
    """Move the connections' counts by every `(connection id, moves)`, a statement per table
    (summed per row first, in key order)."""
    live: Counter[str] = Counter()
    counts: Counter[tuple[str, str, str]] = Counter()
    for cid, m in moves:
        live[cid] += m.live
        for (shop, status), n in m.counts.items():
            counts[(cid, shop, status.value)] += n
    totals = sorted((cid, n) for cid, n in live.items() if n)
    if totals:
        await conn.execute(
            "INSERT INTO home_product_totals AS t SELECT * FROM unnest($1::text[], $2::integer[])"
            " ON CONFLICT (connection_id) DO UPDATE SET live = t.live + EXCLUDED.live",
            *(list(c) for c in zip(*totals, strict=True)),
        )
    rows = sorted((*k, n) for k, n in counts.items() if n)
    if rows:
        await conn.execute(
            "INSERT INTO home_product_counts AS t SELECT * FROM unnest($1::text[], $2::text[],"
            " $3::text[], $4::integer[]) ON CONFLICT (connection_id, tiktok_shop_id, status)"
            " DO UPDATE SET products = t.products + EXCLUDED.products",
            *(list(c) for c in zip(*rows, strict=True)),
        )


async def counts(conn: Connection, connection_id: str, shop_id: str) -> tuple[int, dict[str, int]]:
    """Live products of the connection, and the region's products per counted status."""
    live = await conn.fetchval(
        "SELECT live FROM home_product_totals WHERE connection_id = $1", connection_id
    )
    rows = await conn.fetch(
        "SELECT status, products FROM home_product_counts"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2",
        connection_id,
        shop_id,
    )
    return int(live or 0), {r["status"]: int(r["products"]) for r in rows}


TABLES = ("home_products", "home_product_totals", "home_product_counts")


async def clear(conn: Connection) -> None:
    """Empty the product tables before a rebuild replays the topic into them."""
    for table in TABLES:  # DELETE: readers keep the old rows until the rebuild commits
        await conn.execute(f"DELETE FROM {table}")
