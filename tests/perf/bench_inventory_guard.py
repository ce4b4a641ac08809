"""Benchmark: Shopify stock changes through gateway + inventory-guard onto TikTok Shop.

Run: `uv run python tests/perf/bench_inventory_guard.py [--products 200] [--burst 10000]`. Real
processes (gateway, catalog-sync for the SKU links, inventory-guard) on the embedded broker and
PostgreSQL, against both sandboxes. Prints, from one run:
  1. raw broker produce -> consume throughput (records/s), the floor under everything;
  2. below capacity (one change every 100 ms, each on a product of its own): p50 / p99 of Shopify's
     `updated_at` of the change to TikTok accepting its Update Inventory call (the guard's
     `sent_at`, read from its tables);
  3. a burst of `--burst` changes over every SKU (products x 10): seconds to converge (every SKU
     on TikTok as its last Shopify figure) next to the floor set by TikTok's inventory QPS (one
     call per product touched / QPS), and Update Inventory calls made vs changes received.
Figures only: nothing is asserted on time. Not a pytest test.
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import asyncpg
import httpx
from bench_order_relay import TIKTOK_QPS, broker_throughput
from connector_devstack.infra import Infra, start_infra
from connector_devstack.polling import poll
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync, start_sandboxes
from connector_devstack.scraping import metric_value

Json = dict[str, Any]
VARIANTS = 10
LABEL = "[bench inventory-guard]"


def linked_catalog(gateway_url: str, sandboxes: Sandboxes, products: int) -> tuple[Merchant, str]:
    """A merchant whose catalog catalog-sync pulled and pushed, every product live on TikTok."""
    suffix = uuid.uuid4().hex[:8]
    merchant = connect_merchant_sync(
        gateway_url,
        sandboxes,
        name=f"Bench {suffix}",
        shopify_shop_domain=f"bench-{suffix}.myshopify.com",
        shopify_plan="plus",
    )
    shop = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    api = f"{gateway_url}/api/v1/catalog/{merchant.connection_id}"
    poll(lambda: httpx.get(f"{api}/settings").status_code, lambda s: s == 200, 60)
    catalog = {"products": products, "variants_per_product": VARIANTS, "seed": 3}
    catalog |= {"product_types": ["Storage Jar"], "duplicate_sku_ratio": 0, "long_title_ratio": 0}
    catalog |= {"missing_product_type_ratio": 0, "missing_images_ratio": 0}
    httpx.post(f"{shop}/seed", json=catalog, timeout=300).raise_for_status()
    httpx.put(f"{api}/settings", json={"listing": {"package": {"weight": 1}}}).raise_for_status()
    for step, body in (("pull", {}), ("push", {"all_products": True})):
        task_id = httpx.post(f"{api}/{step}", json=body, timeout=60).json()["task_id"]
        url = f"{gateway_url}/api/v1/catalog/tasks/{task_id}"
        poll(lambda u=url: httpx.get(u).json()["status"], lambda s: s != "running", 1800)

    def live() -> int:
        found = httpx.get(f"{api}/products", params={"limit": 500}, timeout=60).json()
        return sum(1 for p in found["products"] if p.get("tiktok_status") == "ACTIVATE")

    poll(live, lambda n: n == products, 600)
    return merchant, shop


async def sent(infra: Infra, items: list[str]) -> dict[str, tuple[int | None, datetime | None]]:
    """What TikTok accepted per inventory item: the quantity and when."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        rows = await conn.fetch(
            "SELECT shopify_inventory_item_id AS item, sent_quantity, sent_at"
            " FROM inventory_guard.skus WHERE shopify_inventory_item_id = ANY($1::text[])",
            items,
        )
    finally:
        await conn.close()
    return {r["item"]: (r["sent_quantity"], r["sent_at"]) for r in rows}


def change(http: httpx.Client, shop: str, level: Json, available: int) -> datetime:
    """Set one level in Shopify admin; Shopify's updated_at of the change."""
    body = {
        "inventory_item_id": level["inventory_item_gid"],
        "location_id": level["location_gid"],
        "available": available,
    }
    answer = http.post(f"{shop}/inventory", json=body).raise_for_status().json()
    return datetime.fromisoformat(answer["updated_at"])


async def one_item_per_product(infra: Infra) -> list[str]:
    """An inventory item of each product (a push sets `sent_at` on every SKU of its product,
    so one changed SKU per product keeps each latency its own)."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT ON (shopify_product_id) shopify_inventory_item_id AS item"
            " FROM inventory_guard.skus ORDER BY shopify_product_id, tiktok_sku_id"
        )
    finally:
        await conn.close()
    return [r["item"] for r in rows]


def below_capacity(infra: Infra, shop: str, levels: list[Json], count: int) -> list[float]:
    """Latencies (s) of `count` changes one every 100 ms, each on a product of its own."""
    by_item = {level["inventory_item_gid"]: level for level in levels}
    items = asyncio.run(one_item_per_product(infra))[:count]
    at: dict[str, tuple[int, datetime]] = {}
    with httpx.Client(timeout=30) as http:
        for n, item in enumerate(items):
            at[item] = (1000 + n, change(http, shop, by_item[item], 1000 + n))
            time.sleep(0.1)
    done = poll(
        lambda: asyncio.run(sent(infra, items)),
        lambda s: all(s.get(i, (None, None))[0] == at[i][0] for i in items),
        600,
    )
    return [
        (done[i][1] - at[i][1]).total_seconds()  # type: ignore[operator]
        for i in items
        if done[i][1] is not None
    ]


def burst(infra: Infra, shop: str, levels: list[Json], count: int) -> tuple[float, float]:
    """Seconds to send `count` changes (16 at a time) and to converge on TikTok."""
    rng = random.Random(2)
    plan = [(rng.choice(levels), rng.randint(0, 500)) for _ in range(count)]
    last = {level["inventory_item_gid"]: value for level, value in plan}
    started = time.perf_counter()
    with httpx.Client(timeout=60) as http, ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda p: change(http, shop, *p), plan))
    sent_in = time.perf_counter() - started
    items = list(last)
    poll(
        lambda: asyncio.run(sent(infra, items)),
        lambda s: all(s.get(i, (None, None))[0] == last[i] for i in items),
        1800,
    )
    return sent_in, time.perf_counter() - started


def calls_and_changes(guard_url: str, topic: str) -> tuple[float, float]:
    """Update Inventory calls the guard made, and inventory.changed messages it handled."""
    calls = metric_value(
        guard_url, "connector_external_calls_total", endpoint="products.inventory_update"
    )
    handled = metric_value(guard_url, "connector_handler_duration_seconds_count", topic=topic)
    return calls, handled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--paced", type=int, default=200, help="changes below capacity")
    parser.add_argument("--raw", type=int, default=20_000, help="records for the broker baseline")
    args = parser.parse_args()
    infra = start_infra(isolated=True)
    sandboxes = start_sandboxes()
    starter = ServiceStarter(infra, sandboxes, Path(mkdtemp(prefix="bench-inventory-")))
    try:
        raw = asyncio.run(broker_throughput(infra.broker.bootstrap_servers, args.raw))
        quiet = {"log_level": "WARNING"}
        gateway = starter("gateway", **quiet)
        starter("catalog-sync", catalog_image_placeholder="true", **quiet)
        guard = starter("inventory-guard", inventory_coalesce_seconds="0.2", **quiet)
        _, shop = linked_catalog(gateway.url, sandboxes, args.products)
        levels = httpx.get(f"{shop}/inventory", timeout=60).json()
        latencies = sorted(below_capacity(infra, shop, levels, args.paced))
        topic = f"{infra.prefix}inventory.changed"
        before = calls_and_changes(guard.url, topic)
        sent_in, converged_in = burst(infra, shop, levels, args.burst)
        after = calls_and_changes(guard.url, topic)
        calls, handled = after[0] - before[0], after[1] - before[1]
        floor = args.products / TIKTOK_QPS
        print(
            f"{LABEL} raw broker, 1 KiB records: produce {raw[0]:,.0f}/s, consume {raw[1]:,.0f}/s"
        )
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"{LABEL} below capacity ({len(latencies)} changes, 10/s): Shopify change -> TikTok"
            f" accepted p50 {p50:.3f} s, p99 {p99:.3f} s, max {latencies[-1]:.3f} s"
        )
        print(
            f"{LABEL} burst of {args.burst} changes over {len(levels)} SKUs ({args.products}"
            f" products): sent in {sent_in:.1f} s ({args.burst / sent_in:,.0f}/s), converged in"
            f" {converged_in:.1f} s; TikTok QPS floor {floor:.1f} s ({args.products} products /"
            f" {TIKTOK_QPS:.0f} QPS); converged / floor {converged_in / floor:.1f}"
        )
        print(
            f"{LABEL} burst: {calls:.0f} Update Inventory calls for {handled:.0f} changes"
            f" received ({calls / max(handled, 1):.3f} calls per change)"
        )
        sys.stdout.flush()
    finally:
        starter.stop_all()
        sandboxes.stop()
        infra.stop()


if __name__ == "__main__":
    main()
