"""Benchmark: reading products as a region sees them (products joined with that region's
local listings, ADR 0320) against reading the products table alone, same data, same run.

Run: `uv run python tests/perf/bench_local_listings.py [--products 10000] [--regions 3]`.
Starts PostgreSQL, stores the products, lists each region's listing for every product, then
times a products page, the status counts and a 100-product load, per region and plain. Prints
medians and the ratio; nothing is asserted. Not a pytest test.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from catalog_sync import store
from catalog_sync.core.models import SourceProduct
from connector_devstack.infra import start_infra
from connector_runtime import db

ROUNDS = 30


async def _median(call: Callable[[], Awaitable[Any]]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def _seed(conn: Any, products: int, shops: list[str]) -> list[str]:
    now = datetime.now(UTC)
    rows = [
        (SourceProduct(shopify_product_id=f"gid://shopify/Product/{n}", title=f"Jar {n}",
                       updated_at=now), "Jars")
        for n in range(products)
    ]  # fmt: skip
    for start in range(0, products, 1000):
        await store.upsert_products(conn, "c1", rows[start : start + 1000])
    ids = [p.shopify_product_id for p, _ in rows]
    for shop in shops:
        await conn.executemany(
            "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id,"
            " status, tiktok_product_id) VALUES ('c1', $1, $2, 'synced', $3)",
            [(pid, shop, f"{shop}-{n}") for n, pid in enumerate(ids)],
        )
    await conn.execute("ANALYZE")
    return ids


async def _plain_page(conn: Any) -> None:
    """What a page cost before regions: the page and its total (list_products runs both)."""
    await conn.fetch(
        "SELECT * FROM products WHERE connection_id = 'c1' AND NOT deleted"
        " ORDER BY shopify_updated_at DESC, shopify_product_id LIMIT 50"
    )
    await conn.fetchval("SELECT count(*) FROM products WHERE connection_id = 'c1' AND NOT deleted")


async def run(infra: Any, products: int, regions: int) -> None:
    schema = f"bench_{uuid.uuid4().hex[:6]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(
            pool, schema, db.service_migrations(["connector_connections", "catalog_sync"])
        )
        async with pool.acquire() as conn:
            shops = [f"shop-{n}" for n in range(regions)]
            ids = await _seed(conn, products, shops)
            page = {"status": None, "category": None, "query": None, "limit": 50, "offset": 0}
            timed = {
                "page (region)": lambda: store.list_products(conn, "c1", shops[-1], **page),
                "page (products only)": lambda: _plain_page(conn),
                "status counts (region)": lambda: store.status_counts(conn, "c1", shops[-1]),
                "count (products only)": lambda: conn.fetchval(
                    "SELECT count(*) FROM products WHERE connection_id = 'c1' AND NOT deleted"
                ),
                "load 100 (region)": lambda: store.load_products(conn, "c1", ids[:100], shops[-1]),
                "load 100 (products only)": lambda: conn.fetch(
                    "SELECT * FROM products WHERE connection_id = 'c1'"
                    " AND shopify_product_id = ANY($1::text[])",
                    ids[:100],
                ),
            }
            results = {name: await _median(call) for name, call in timed.items()}
    finally:
        await pool.close()
    print(f"{products} products, {regions} regions listed, median of {ROUNDS} rounds:")
    names = list(results)
    for regional, plain in zip(names[::2], names[1::2], strict=True):
        ratio = results[regional] / results[plain]
        print(f"  {regional:24} {results[regional]:8.2f} ms   {plain:26} "
              f"{results[plain]:8.2f} ms   ratio {ratio:.2f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--regions", type=int, default=3)
    args = parser.parse_args()
    infra = start_infra(isolated=True)  # before the loop: it runs its own
    try:
        asyncio.run(run(infra, args.products, args.regions))
    finally:
        infra.stop()


if __name__ == "__main__":
    main()
