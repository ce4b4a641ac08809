"""Benchmark: the console's Products and Orders pages on a big connection (issue 18, ADR 1021).

Run: `uv run python tests/perf/bench_console_pages.py [--products 10000] [--orders 100000]
[--rounds 20]`. Starts PostgreSQL and the broker, runs catalog-sync and order-relay in-process
(their own HTTP apps, lifespans and migrations), fills one connection with `--products`
products over the four sync statuses and `--orders` orders over the tabs (`generate_series`,
COPY speed), then times exactly the request each page makes for one view (the page's rows and
its tab counts come in one answer): the first, a middle and the last page of each tab, a
search, and another region's view. Each call goes through httpx's ASGITransport signed with
the gateway identity, so routing, the identity check, validation and serialization count.
Prints p50 / p95 / p99 per view over `--rounds` calls, then the plan of the slowest view's
statements. Nothing is asserted; not a pytest test.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from catalog_sync.app import build_spec as catalog_spec
from catalog_sync.settings import CatalogSyncSettings
from catalog_sync.store.products import in_region
from connector_connections.replica import upsert_connection
from connector_contracts import ConnectionChanged, ConnectionStatus, TikTokShopGrant
from connector_devstack.identity import GatewayIdentity
from connector_devstack.in_process import isolated_settings
from connector_devstack.infra import Infra, start_infra
from connector_runtime import db
from connector_runtime.logs import configure_logging
from connector_runtime.service import ServiceSpec, create_service_app
from connector_runtime.settings import ServiceSettings
from order_relay.app import build_spec as relay_spec
from order_relay.settings import OrderRelaySettings

CID, SHOP, OTHER_SHOP = "c1", "shop-us", "shop-gb"
PAGE = 50  # the console's page size (services/gateway/console/src/paging.ts)
SINCE = datetime(2025, 1, 1, tzinfo=UTC)

# -- the data -----------------------------------------------------------------------------------
# Product n: updated n minutes after SINCE; in the US shop synced (n % 10 < 4), not synced (no
# listing row, 4-6), sync failed (7-8, with a reason and an issue) or update failed (9); a few
# deleted; in the GB shop every third one synced.
_SOURCE = (
    "jsonb_build_object('shopify_product_id', 'gid://shopify/Product/' || n, 'title',"
    " 'Storage jar ' || n, 'product_type', 'Jar', 'vendor', 'Bench', 'updated_at',"
    " to_jsonb($2::timestamptz + n * interval '1 minute'), 'image_urls',"
    " jsonb_build_array('https://cdn.example/' || n || '.jpg'), 'variants', jsonb_build_array("
    "jsonb_build_object('shopify_variant_id', 'gid://shopify/ProductVariant/' || n, 'sku',"
    " 'SKU-' || n, 'price', '19.90', 'stock', n % 40, 'title', 'Default')))"
)
_PRODUCTS = [
    "INSERT INTO products (connection_id, shopify_product_id, source, title, category_key,"
    f" shopify_updated_at, deleted) SELECT 'c1', 'gid://shopify/Product/' || n, {_SOURCE},"
    " 'Storage jar ' || n, 'jar', $2::timestamptz + n * interval '1 minute', n % 97 = 0"
    " FROM generate_series(1, $1) AS n",
    "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status, reason,"
    " issues, tiktok_product_id, tiktok_status, sku_links) SELECT 'c1',"
    " 'gid://shopify/Product/' || n, 'shop-us', CASE WHEN n % 10 < 4 THEN 'synced'"
    " WHEN n % 10 < 9 THEN 'sync_failed' ELSE 'update_failed' END,"
    " CASE WHEN n % 10 >= 7 THEN 'Brand is required in this category' END,"
    " CASE WHEN n % 10 >= 7 THEN jsonb_build_array(jsonb_build_object('code', 'missing_brand',"
    " 'message', 'Brand is required in this category')) ELSE '[]' END,"
    " CASE WHEN n % 10 < 4 OR n % 10 = 9 THEN '17' || n END,"
    " CASE WHEN n % 10 < 4 OR n % 10 = 9 THEN 'ACTIVATE' END, '[]'"
    " FROM generate_series(1, $1) AS n WHERE n % 10 < 4 OR n % 10 >= 7",
    "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status,"
    " tiktok_product_id) SELECT 'c1', 'gid://shopify/Product/' || n, 'shop-gb', 'synced',"
    " '29' || n FROM generate_series(1, $1) AS n WHERE n % 3 = 0",
]
# Order n: updated n seconds after SINCE, nine in ten in the US shop; a tenth cancelled, a tenth
# unsynced (failed, with a reason), 40% fulfilled, the rest relayed and unfulfilled.
_ORDERS = (
    "INSERT INTO orders (tiktok_order_id, connection_id, tiktok_shop_id, status, is_on_hold_order,"
    " tiktok_updated_at, paid, relay_state, paid_source, shopify_shop_domain, shopify_order_id,"
    " shopify_order_name, relay_attempts, failure_code, failure_reason, fulfillment_status,"
    " total, currency, relayed_at) SELECT (5770000000000000000 + n)::text, 'c1',"
    " CASE WHEN n % 10 = 3 THEN 'shop-gb' ELSE 'shop-us' END,"
    " CASE WHEN n % 10 = 0 THEN 'CANCELLED' WHEN n % 10 < 6 THEN 'COMPLETED'"
    " ELSE 'AWAITING_SHIPMENT' END, false, $2::timestamptz + n * interval '1 second', true,"
    " CASE WHEN n % 10 = 0 THEN 'cancelled' WHEN n % 10 = 1 THEN 'failed' ELSE 'relayed' END,"
    " 'webhook', 'bench.myshopify.com', CASE WHEN n % 10 > 1 THEN 'gid://shopify/Order/' || n END,"
    " CASE WHEN n % 10 > 1 THEN '#' || n END, 1 + (n % 10 = 1)::int,"
    " CASE WHEN n % 10 = 1 THEN 'sku_not_linked' END,"
    " CASE WHEN n % 10 = 1 THEN 'A SKU of this order is not linked to a Shopify variant' END,"
    " CASE WHEN n % 10 BETWEEN 2 AND 5 THEN 'fulfilled' ELSE 'unfulfilled' END,"
    " (n % 90 + 10)::numeric, 'USD', $2::timestamptz + n * interval '1 second'"
    " FROM generate_series(1, $1) AS n"
)


def _connection() -> ConnectionChanged:
    shops = [
        TikTokShopGrant(shop_id=SHOP, region="US", cipher="c-us", access_token="t"),
        TikTokShopGrant(shop_id=OTHER_SHOP, region="GB", cipher="c-gb", access_token="t"),
    ]
    return ConnectionChanged(
        connection_id=CID, revision=1, name="Bench store", status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="bench.myshopify.com", tiktok_region="US", tiktok_shops=shops,
        tiktok_shop_id=SHOP, tiktok_shop_cipher="c-us", tiktok_access_token="t",
    )  # fmt: skip


async def _fill(settings: ServiceSettings, statements: list[str], count: int) -> None:
    assert settings.db_schema is not None
    pool = await db.create_pool(settings.database_url, settings.db_schema, 1)
    try:
        async with pool.acquire() as conn:
            started = time.perf_counter()
            await upsert_connection(conn, _connection())
            for statement in statements:
                await conn.execute(statement, count, *([SINCE] if "$2" in statement else []))
            await conn.execute("VACUUM ANALYZE")
            took = time.perf_counter() - started
            print(f"  {settings.service_name}: {count} rows seeded in {took:.1f} s", flush=True)
    finally:
        await pool.close()


async def _explain(settings: ServiceSettings) -> None:
    """The plans of the Products page's statements for the Not Synced tab's first page."""
    assert settings.db_schema is not None
    source = in_region("$2")
    where = "connection_id = $1 AND NOT deleted AND status = 'not_synced'"
    statements = {
        "page": f"SELECT * FROM {source} WHERE {where}"
        " ORDER BY shopify_updated_at DESC, shopify_product_id LIMIT 50",
        "total": f"SELECT count(*) FROM {source} WHERE {where}",
        "counts": f"SELECT status, count(*) FROM {source}"
        " WHERE connection_id = $1 AND NOT deleted GROUP BY status",
    }
    pool = await db.create_pool(settings.database_url, settings.db_schema, 1)
    try:
        async with pool.acquire() as conn:
            for name, sql in statements.items():
                plan = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", CID, SHOP)
                print(f"\n  plan of the {name} statement:")
                print("\n".join("    " + r[0] for r in plan), flush=True)
    finally:
        await pool.close()


@asynccontextmanager
async def _service(
    spec: ServiceSpec, settings: ServiceSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """The service running in-process (its lifespan: migrations, consumers) and a client
    calling its HTTP app as the gateway does."""
    app = create_service_app(spec, settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        client.auth = GatewayIdentity([CID])
        yield client


# -- the views ----------------------------------------------------------------------------------
Views = dict[str, tuple[str, dict[str, Any]]]


def _product_views(counts: dict[str, int]) -> Views:
    """The Products page's request for each view: a tab's first / middle / last page, a
    search, another region."""
    url = f"/api/v1/catalog/{CID}/products"
    views: Views = {}
    for status, n in counts.items():
        last = max(0, (n - 1) // PAGE * PAGE)
        for where, offset in (("first", 0), ("middle", last // PAGE // 2 * PAGE), ("last", last)):
            views[f"{status}, {where} page"] = (url, {"status": status, "offset": offset})
    views["search 'jar 4711' (title)"] = (url, {"status": "synced", "q": "jar 4711"})
    views["search by TikTok product id"] = (url, {"status": "synced", "q": "174711"})
    views["GB region, synced, first page"] = (url, {"status": "synced", "region": "GB"})
    return {k: (u, {"limit": PAGE, "offset": 0} | p) for k, (u, p) in views.items()}


def _order_views(counts: dict[str, int]) -> Views:
    """The Orders page's request for each view: a tab's first / middle / last page, a search
    by TikTok order id, one region's tab."""
    views: Views = {}
    for tab in ("unfulfilled", "fulfilled", "unsynced", "cancelled"):
        last = max(0, (counts[tab] - 1) // PAGE * PAGE)
        for where, offset in (("first", 0), ("middle", last // PAGE // 2 * PAGE), ("last", last)):
            views[f"{tab}, {where} page"] = ("/api/v1/orders", {"state": tab, "offset": offset})
    views["search by TikTok order id"] = (
        "/api/v1/orders",
        {"tiktok_order_id": str(5770000000000000000 + 4711)},
    )
    views["US region, unfulfilled, first page"] = (
        "/api/v1/orders",
        {"state": "unfulfilled", "region": "US"},
    )
    base = {"connection_id": CID, "limit": PAGE, "offset": 0}
    return {k: (u, base | p) for k, (u, p) in views.items()}


async def _time(
    client: httpx.AsyncClient, url: str, params: dict[str, Any], rounds: int
) -> list[float]:
    """Milliseconds per call, after three warm-up calls (cache, prepared statements)."""
    for _ in range(3):
        answer = await client.get(url, params=params)
        answer.raise_for_status()
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = await client.get(url, params=params)
        took.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return took


def _cuts(times: list[float]) -> tuple[float, float, float]:
    percentiles = statistics.quantiles(times, n=100, method="inclusive")
    return percentiles[49], percentiles[94], percentiles[98]


async def _page(name: str, client: httpx.AsyncClient, views: Views, rounds: int) -> None:
    print(f"\n{name} ({rounds} calls each, ms):")
    print(f"  {'view':38} {'rows':>5} {'p50':>8} {'p95':>8} {'p99':>8}")
    every: list[float] = []
    for view, (url, params) in views.items():
        rows = len(next(v for k, v in (await client.get(url, params=params)).json().items()
                        if isinstance(v, list)))  # fmt: skip
        times = await _time(client, url, params, rounds)
        every += times
        p50, p95, p99 = _cuts(times)
        print(f"  {view:38} {rows:5} {p50:8.1f} {p95:8.1f} {p99:8.1f}", flush=True)
    p50, p95, p99 = _cuts(every)
    print(f"  {'every view together':38} {'':5} {p50:8.1f} {p95:8.1f} {p99:8.1f}", flush=True)


async def bench(
    infra: Infra, products: int, orders: int, rounds: int, only: str | None, explain: bool
) -> None:
    catalog = isolated_settings(CatalogSyncSettings, infra, log_level="WARNING")
    relay = isolated_settings(OrderRelaySettings, infra, log_level="WARNING")
    async with (
        _service(catalog_spec(catalog), catalog) as products_api,
        _service(relay_spec(relay), relay) as orders_api,
    ):
        print(f"one connection: {products} products, {orders} orders")
        await _fill(catalog, _PRODUCTS, products)
        await _fill(relay, [_ORDERS], orders)
        first = (await products_api.get(f"/api/v1/catalog/{CID}/products")).json()
        print(f"  product counts (US): {first['counts']}")
        tabs = (await orders_api.get("/api/v1/orders", params={"connection_id": CID})).json()
        print(f"  order counts: {tabs['counts']}")
        if explain:
            await _explain(catalog)
        if only != "orders":
            await _page("Products page", products_api, _product_views(first["counts"]), rounds)
        if only != "products":
            await _page("Orders page", orders_api, _order_views(tabs["counts"]), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20, help="timed calls per view")
    parser.add_argument("--only", choices=["products", "orders"], help="time one page")
    parser.add_argument("--explain", action="store_true", help="print the Products plans")
    args = parser.parse_args()
    configure_logging("bench", "WARNING", "console")  # a line per request would be timed too
    infra = start_infra(isolated=True)  # before the loop: it runs its own
    try:
        asyncio.run(bench(infra, args.products, args.orders, args.rounds, args.only, args.explain))
    finally:
        infra.stop()


if __name__ == "__main__":
    main()
