"""Benchmark: the Home dashboard's and the task list's queries on a big read model, and the
rebuild of each read model from its topics (issue 14, ADRs 0920, 0930).

Run: `uv run python tests/perf/bench_home.py [--orders 1000000] [--products 100000]
[--tasks 100000] [--events 20000]`. Starts PostgreSQL and the broker, fills the read-model
tables of one connection with `--orders` orders over a year (their per-day and per-block sums
as the incremental code path keeps them), `--products` products and `--tasks` tasks
(COPY-speed `generate_series`), then times every query Home and the task list make through the
gateway's own read functions: p50 / p99 over many rounds, per period, with the path the tops
took (`connector_home_top_reads_total`). Then produces `--events` order events, as many
product events and as many task events, runs `rebuild-read-model` of each and prints the time
and the rate per event. Nothing is asserted; not a pytest test.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer
from connector_contracts import (
    OrderRelayed,
    ProductSyncChanged,
    ProductSyncStatus,
    RegionSyncStatus,
    RelayedLine,
    TaskChanged,
    TaskStatus,
    new_envelope,
)
from connector_devstack.infra import Infra, start_infra
from connector_runtime import db
from connector_runtime.logs import configure_logging
from cryptography.fernet import Fernet
from gateway import home_reads, home_tops, task_store
from gateway.core.home_views import CustomersBy, Period, ProductGroup, ProductsBy
from gateway.home_reads import Scope
from gateway.home_tops import Ranking
from gateway.metrics import HOME_TOP_READS
from gateway.read_model_rebuild import rebuild
from gateway.settings import GatewaySettings
from gateway.task_store import TaskFilter

CID, SHOP = "c1", "shop-us"
FIRST_DAY = date(2026, 1, 1)


def _settings(infra: Infra, schema: str) -> GatewaySettings:
    env = infra.service_env()
    return GatewaySettings(
        database_url=env["DATABASE_URL"],
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        topic_prefix=env["TOPIC_PREFIX"],
        db_schema=schema,
        connector_secret_key=Fernet.generate_key().decode(),
        shopify_client_secret="bench",
        tiktok_app_secret="bench",
        connector_identity_key=Fernet.generate_key().decode(),
    )


# -- the read models as the incremental path leaves them ----------------------------------------
# Order n: day n % 365, a tenth cancelled, a tenth unsynced, the rest fulfilled or not; one
# line of product n * 7919 % products (one SKU each), 1-3 units; buyer n % (orders / 5).
_ORDERS = """
CREATE TEMP TABLE gen AS SELECT n, $2::date + (n % 365) AS day,
  CASE WHEN n % 10 = 0 THEN 'cancelled' WHEN n % 10 = 1 THEN 'unsynced'
       WHEN n % 10 < 6 THEN 'fulfilled' ELSE 'unfulfilled' END AS bucket,
  ((n % 50) + 5)::numeric AS total, 'p' || (n::bigint * 7919 % $3) AS product, 1 + n % 3 AS units,
  'b' || (n % GREATEST($1 / 5, 1)) AS buyer
FROM generate_series(1, $1) AS n
"""
_GRAINS = [
    ("day", "day"),
    ("month", "date_trunc('month', day)::date"),
    ("year", "date_trunc('year', day)::date"),
    ("all", "'0001-01-01'::date"),
]
_FILL = [
    "INSERT INTO home_orders (connection_id, tiktok_order_id, region, day, bucket,"
    " shopify_order_id, facts) SELECT 'c1', 'o' || n, 'US', day, bucket,"
    " 'gid://shopify/Order/' || n, jsonb_build_object('region', 'US', 'sale', jsonb_build_object("
    "'total', total::text, 'currency', 'USD', 'buyer_id', buyer, 'shopify_order_name', '#' || n))"
    " FROM gen",
    "INSERT INTO home_count_days SELECT 'c1', 'US', day, bucket, count(*) FROM gen"
    " GROUP BY day, bucket",
    "INSERT INTO home_revenue_days SELECT 'c1', 'US', day, 'USD', sum(total), count(*) FROM gen"
    " WHERE bucket IN ('fulfilled', 'unfulfilled') GROUP BY day",
    # Top products and customers per calendar block (ADR 0930), a statement per grain.
    *(
        "INSERT INTO home_product_sums SELECT 'c1', 'US', '{}', {}, 'USD', s.per_sku, product,"
        " CASE WHEN s.per_sku THEN product || '-s' ELSE '' END, 'Product ' || product,"
        " CASE WHEN s.per_sku THEN 'SKU-' || product ELSE '' END, sum(units), sum(total),"
        " round(sum(total) * 100)"
        " FROM gen CROSS JOIN (VALUES (true), (false)) AS s(per_sku)"
        " WHERE bucket IN ('fulfilled', 'unfulfilled') GROUP BY 4, s.per_sku, product".format(*g)
        for g in _GRAINS
    ),
    *(
        "INSERT INTO home_customer_sums SELECT 'c1', 'US', '{}', {}, 'USD', buyer, 'B***r',"
        " count(*), sum(total), round(sum(total) * 100) FROM gen"
        " WHERE bucket IN ('fulfilled', 'unfulfilled')"
        " GROUP BY 4, buyer".format(*g)
        for g in _GRAINS
    ),
]
# Product n: synced, sync failed, update failed or not synced in the US shop, a few deleted.
_PRODUCTS = [
    "INSERT INTO home_products SELECT 'c1', 'p' || n, 1, n % 50 = 0, jsonb_build_object("
    "'shop-us', (ARRAY['synced','sync_failed','update_failed','not_synced'])[1 + n % 4])"
    " FROM generate_series(0, $1 - 1) AS n",
    "INSERT INTO home_product_totals SELECT 'c1', count(*) FROM home_products WHERE NOT deleted",
    "INSERT INTO home_product_counts SELECT 'c1', 'shop-us', regions->>'shop-us', count(*)"
    " FROM home_products WHERE NOT deleted AND regions->>'shop-us' <> 'not_synced' GROUP BY 2, 3",
]
_TASKS = (
    "INSERT INTO task_list (task_id, connection_id, sequence, service, type, summary, status,"
    " tiktok_shop_id, region, done, total, failed, started_at, finished_at)"
    " SELECT 't' || n, 'c1', 3, 'catalog-sync', (ARRAY['push','pull','order_sync'])[1 + n % 3],"
    " 'Push products', CASE WHEN n % 7 = 0 THEN 'error' ELSE 'completed' END, 'shop-us', 'US',"
    " 90, 100, 10, $2::timestamptz + n * interval '1 minute',"
    " $2::timestamptz + n * interval '1 minute' + interval '30 seconds'"
    " FROM generate_series(1, $1) AS n"
)


async def _seed(conn: Any, orders: int, products: int, tasks: int) -> None:
    started = time.perf_counter()
    await conn.execute(_ORDERS, orders, FIRST_DAY, products)
    for statement in _FILL:
        await conn.execute(statement)
    for statement in _PRODUCTS:
        await conn.execute(statement, *([products] if "$1" in statement else []))
    await conn.execute(_TASKS, tasks, datetime(2026, 1, 1, tzinfo=UTC))
    await conn.execute("DROP TABLE gen")
    await conn.execute("VACUUM ANALYZE")
    sizes = {
        t: await conn.fetchval(f"SELECT count(*) FROM {t}")
        for t in ("home_orders", "home_product_sums", "home_customer_sums", "task_list")
    }
    print(f"seeded in {time.perf_counter() - started:.0f} s: {sizes}", flush=True)


# -- the queries --------------------------------------------------------------------------------
async def _percentiles(call: Callable[[], Awaitable[Any]], rounds: int) -> tuple[float, float]:
    for _ in range(3):  # warm the cache and the prepared statements
        await call()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[98]


async def _home(conn: Any, scope: Scope) -> None:
    """Everything `GET /api/v1/home/{id}` reads, in its order."""
    await home_reads.top_products(conn, scope, ProductGroup.PRODUCT, ProductsBy.AMOUNT)
    await home_reads.top_customers(conn, scope, CustomersBy.ORDERS)
    await home_reads.product_counts(conn, scope)
    await home_reads.order_counts(conn, scope)
    await home_reads.revenue(conn, scope)


def _timed(conn: Any) -> dict[str, Callable[[], Awaitable[Any]]]:
    last = FIRST_DAY + timedelta(days=364)
    # The console's default is all time; 7 and 30 days end on the last day (within December);
    # 365 days is the calendar year; the others cross block edges (ADR 0930's paths).
    periods = {
        "all time": Period(),
        "7 days": Period(start=last - timedelta(days=6), end=last),
        "30 days": Period(start=last - timedelta(days=29), end=last),
        "365 days": Period(start=FIRST_DAY, end=last),
        "30 days across a month": Period(start=date(2026, 11, 15), end=date(2026, 12, 14)),
        "9 months, Feb 15 - Nov 14": Period(start=date(2026, 2, 15), end=date(2026, 11, 14)),
        "a month, June": Period(start=date(2026, 6, 1), end=date(2026, 6, 30)),
    }
    scopes = {name: Scope(CID, "US", p, SHOP) for name, p in periods.items()}
    year = scopes["365 days"]
    before = (datetime(2026, 3, 1, tzinfo=UTC), "t")
    return {
        **{f"home page, {n}": (lambda s=s: _home(conn, s)) for n, s in scopes.items()},
        "  product counts": lambda: home_reads.product_counts(conn, year),
        "  order counts, 365 days": lambda: home_reads.order_counts(conn, year),
        "  revenue, 365 days": lambda: home_reads.revenue(conn, year),
        "  top products by SKU, 365 days": lambda: home_reads.top_products(
            conn, year, ProductGroup.SKU, ProductsBy.COUNT
        ),
        "  top customers by amount, 365 days": lambda: home_reads.top_customers(
            conn, year, CustomersBy.AMOUNT
        ),
        "revenue CSV, 1 day": lambda: home_reads.sold_orders(
            conn, Scope(CID, "US", Period(start=last, end=last), SHOP)
        ),
        "task list, first page": lambda: task_store.list_states(conn, TaskFilter(CID), 50, None),
        "task list, page in the middle": lambda: task_store.list_states(
            conn, TaskFilter(CID), 50, before
        ),
        "task list, errors only": lambda: task_store.list_states(
            conn, TaskFilter(CID, status="error"), 50, None
        ),
        "task list, one task": lambda: task_store.load_state(conn, "t500"),
    }


def _paths() -> dict[str, float]:
    return {
        s.labels["path"]: s.value
        for metric in HOME_TOP_READS.collect()
        for s in metric.samples
        if s.name.endswith("_total")
    }


async def bench_queries(infra: Infra, orders: int, products: int, tasks: int, rounds: int) -> None:
    schema = f"bench_{uuid.uuid4().hex[:6]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(pool, schema, db.service_migrations(["connector_connections", "gateway"]))
        async with pool.acquire() as conn:
            await _seed(conn, orders, products, tasks)
            print(f"{orders} orders, {products} products, {tasks} tasks; {rounds} rounds each:")
            print(f"  {'query':40} {'p50 ms':>8} {'p99 ms':>8}  tops' paths")
            for name, call in _timed(conn).items():
                before = _paths()
                p50, p99 = await _percentiles(call, rounds)
                took = sorted(p for p, n in _paths().items() if n > before.get(p, 0))
                print(f"  {name:40} {p50:8.2f} {p99:8.2f}  {' '.join(took)}", flush=True)
            await compare_numeric(conn, rounds)
    finally:
        await pool.close()


# The ranking by amount as it was before ADR 1035: on the numeric, with its index.
_NUMERIC_INDEX = (
    "CREATE INDEX bench_home_product_sums_numeric ON home_product_sums (connection_id, region,"
    ' grain, start, currency, per_sku, amount DESC, product_id COLLATE "C", sku_id COLLATE "C")'
)
_BY_NUMERIC = Ranking("home_product_sums", (("per_sku", False),), ("product_id", "sku_id"),
                      ("quantity", "amount"), ("name", "seller_sku"), "amount")  # fmt: skip


async def compare_numeric(conn: Any, rounds: int) -> None:
    """Top products by amount ranked on the numeric (before ADR 1035) and on the hundredths,
    the same periods, the same tables, one after the other: their ratio is of this run."""
    await conn.execute(_NUMERIC_INDEX)
    await conn.execute("ANALYZE home_product_sums")
    print("  top products by amount, ranked on:        numeric p50/p99 ms   hundredths p50/p99 ms")
    periods = {
        "7 days": Period(start=date(2026, 12, 25), end=date(2026, 12, 31)),
        "30 days": Period(start=date(2026, 12, 2), end=date(2026, 12, 31)),
        "30 days across a month": Period(start=date(2026, 11, 15), end=date(2026, 12, 14)),
        "9 months, Feb 15 - Nov 14": Period(start=date(2026, 2, 15), end=date(2026, 11, 14)),
    }
    for name, period in periods.items():
        scope = Scope(CID, "US", period, SHOP)
        numeric = await _percentiles(
            lambda s=scope: home_tops.top(conn, s.at(), s.bounds(), _BY_NUMERIC), rounds
        )
        minor = await _percentiles(
            lambda s=scope: home_reads.top_products(
                conn, s, ProductGroup.PRODUCT, ProductsBy.AMOUNT
            ),
            rounds,
        )
        print(
            f"  {name:40} {numeric[0]:8.2f} {numeric[1]:8.2f}     {minor[0]:8.2f} {minor[1]:8.2f}"
            f"   ratio p50 {numeric[0] / minor[0]:.2f}x, p99 {numeric[1] / minor[1]:.2f}x",
            flush=True,
        )
    await conn.execute("DROP INDEX bench_home_product_sums_numeric")


# -- the rebuilds -------------------------------------------------------------------------------
def _events(count: int) -> dict[str, list[Any]]:
    """`count` order relays and product changes for Home (each product said twice), and
    `count` task changes (each task four times)."""
    at = datetime(2026, 6, 1, tzinfo=UTC)
    relayed = [
        OrderRelayed(
            tiktok_order_id=f"o{n}", shopify_order_id=f"gid://shopify/Order/{n}",
            total=Decimal(5 + n % 50), currency="USD", attempt=1, region="US",
            paid_at=at + timedelta(minutes=n), buyer_id=f"b{n % 1000}", buyer_name="B***r",
            lines=[RelayedLine(tiktok_product_id=f"p{n % 500}", tiktok_sku_id=f"s{n % 500}",
                               quantity=1, amount=Decimal(5 + n % 50))],
        )
        for n in range(count)
    ]  # fmt: skip
    statuses = list(ProductSyncStatus)
    products = [
        ProductSyncChanged(
            shopify_product_id=f"p{n % (count // 2 or 1)}", revision=1 + n // (count // 2 or 1),
            regions=[RegionSyncStatus(tiktok_shop_id=SHOP, status=statuses[n % 4])],
        )
        for n in range(count)
    ]  # fmt: skip
    tasks = [
        TaskChanged(
            task_id=f"t{n % (count // 4 or 1)}", sequence=1 + n // (count // 4 or 1),
            service="catalog-sync", type="push", summary="Push products",
            status=TaskStatus.RUNNING, done=n, failed=0, started_at=at,
        )
        for n in range(count)
    ]  # fmt: skip
    return {"home": relayed + products, "tasks": tasks}


async def _produce(settings: GatewaySettings, events: list[Any]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, linger_ms=20)
    await producer.start()
    try:
        sends = []
        for event in events:
            envelope = new_envelope(event, connection_id=CID)
            sends.append(
                await producer.send(
                    settings.topic(event.topic()),
                    value=envelope.model_dump_json().encode(),
                    key=event.key().encode(),
                )
            )
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def bench_rebuilds(infra: Infra, count: int) -> None:
    schema = f"rebuild_{uuid.uuid4().hex[:6]}"
    settings = _settings(infra, schema)
    pool = await db.create_pool(settings.database_url, schema, 1)
    try:
        await db.migrate(pool, schema, db.service_migrations(["connector_connections", "gateway"]))
    finally:
        await pool.close()
    print(f"rebuilds (events produced to the broker first, then replayed into {schema}):")
    for name, events in _events(count).items():
        await _produce(settings, events)
        started = time.perf_counter()
        replayed = await rebuild(settings, name)
        took = time.perf_counter() - started
        rate = replayed / took
        print(
            f"  {name:6} {replayed:8} events in {took:7.1f} s = {rate:6.0f} events/s;"
            f" 1,000,000 events would take {1_000_000 / rate / 60:5.1f} min"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=100, help="timings per query")
    parser.add_argument("--only", choices=["queries", "rebuilds"], help="run one half")
    args = parser.parse_args()
    configure_logging("gateway", "WARNING", "console")  # a line per event would be timed too
    infra = start_infra(isolated=True)  # before the loop: it runs its own
    try:
        if args.only != "rebuilds":
            asyncio.run(bench_queries(infra, args.orders, args.products, args.tasks, args.rounds))
        if args.only != "queries":
            asyncio.run(bench_rebuilds(infra, args.events))
    finally:
        infra.stop()


if __name__ == "__main__":
    main()
