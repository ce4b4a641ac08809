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
     call per product touched / QPS), Update Inventory calls made vs changes received, and the
     transactions the guard's intake applied them in (one per message, or per poll: ADR 0440),
     and which bounds convergence: TikTok's QPS, or making the changes (nothing converges
     before its last change is made).
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


async def guard_busy(infra: Infra) -> int:
    """Linked products the guard has not sent yet, or has a push queued for."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        busy: int = await conn.fetchval(
            "SELECT (SELECT count(*) FROM inventory_guard.products WHERE last_sync_at IS NULL)"
            " + (SELECT count(*) FROM inventory_guard.work_items WHERE kind = 'stock-push')"
        )
    finally:
        await conn.close()
    return busy


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


def available_of(shop: str) -> dict[str, int]:
    """Shopify's available quantity per inventory item (one location)."""
    levels = httpx.get(f"{shop}/inventory", timeout=60).json()
    return {level["inventory_item_gid"]: level["available"] for level in levels}


def burst(infra: Infra, shop: str, levels: list[Json], count: int) -> tuple[float, float]:
    """Seconds to send `count` changes (16 at a time) and to converge on TikTok."""
    rng = random.Random(2)
    plan = [(rng.choice(levels), rng.randint(0, 500)) for _ in range(count)]
    before = available_of(shop)
    started = time.perf_counter()
    with httpx.Client(timeout=60) as http, ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda p: change(http, shop, *p), plan))
    sent_in = time.perf_counter() - started
    # What Shopify ended with, not the plan's last value: two changes of one item sent side
    # by side may reach Shopify in either order. An item back at its value from before the
    # burst may have got there by a change to the same value, which Shopify sends no webhook
    # for: only a sweep tells the guard of it (ADR 0400), so it is not waited for.
    changed = {level["inventory_item_gid"] for level, _ in plan}
    final = {
        item: available
        for item, available in available_of(shop).items()
        if item in changed and available != before[item]
    }
    items = list(final)
    poll(
        lambda: asyncio.run(sent(infra, items)),
        lambda s: all(s.get(i, (None, None))[0] == final[i] for i in items),
        1800,
    )
    return sent_in, time.perf_counter() - started


def calls_and_changes(guard_url: str, topic: str) -> tuple[float, float, float]:
    """Update Inventory calls the guard made, inventory.changed messages it handled (applied
    or skipped as seen before), and the transactions it applied them in (one per poll)."""
    calls = metric_value(
        guard_url, "connector_external_calls_total", endpoint="products.inventory_update"
    )
    handled = sum(
        metric_value(guard_url, name, topic=topic)
        for name in ("connector_messages_consumed_total", "connector_messages_deduplicated_total")
    )
    polls = metric_value(guard_url, "connector_handler_duration_seconds_count", topic=topic)
    return calls, handled, polls


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
        # Below capacity means the guard idle first: the link's pushes (one per product, and
        # again when TikTok's review makes it live) are done before the paced changes start.
        poll(lambda: asyncio.run(guard_busy(infra)), lambda n: n == 0, 600)
        latencies = sorted(below_capacity(infra, shop, levels, args.paced))
        topic = f"{infra.prefix}inventory.changed"
        before = calls_and_changes(guard.url, topic)
        sent_in, converged_in = burst(infra, shop, levels, args.burst)
        after = calls_and_changes(guard.url, topic)
        calls, handled, polls = (a - b for a, b in zip(after, before, strict=True))
        floor = args.products / TIKTOK_QPS
        # Nothing converges before its last change is made: the bound is the later of the two.
        bound = max(floor, sent_in)
        bounded_by = "making the changes" if sent_in > floor else "TikTok's inventory QPS"
        print(
            f"{LABEL} raw broker, 1 KiB records: produce {raw[0]:,.0f}/s, consume {raw[1]:,.0f}/s"
        )
        p50 = statistics.median(latencies)
        p90, p99 = (
            latencies[min(len(latencies) - 1, int(len(latencies) * q))] for q in (0.9, 0.99)
        )
        print(
            f"{LABEL} below capacity ({len(latencies)} changes, 10/s): Shopify change -> TikTok"
            f" accepted p50 {p50:.3f} s, p90 {p90:.3f} s, p99 {p99:.3f} s,"
            f" max {latencies[-1]:.3f} s"
        )
        print(
            f"{LABEL} burst of {args.burst} changes over {len(levels)} SKUs ({args.products}"
            f" products): sent in {sent_in:.1f} s ({args.burst / sent_in:,.0f}/s), converged in"
            f" {converged_in:.1f} s; TikTok QPS floor {floor:.1f} s ({args.products} products /"
            f" {TIKTOK_QPS:.0f} QPS); converged / floor {converged_in / floor:.1f}"
        )
        print(
            f"{LABEL} burst: converged {converged_in - sent_in:.1f} s after the last change was"
            f" sent; {calls:.0f} Update Inventory calls for {handled:.0f} changes received"
            f" ({calls / max(handled, 1):.3f} calls per change), applied in {polls:.0f}"
            f" transactions ({handled / max(polls, 1):.1f} changes each)"
        )
        print(
            f"{LABEL} burst: Update Inventory at {calls / converged_in:.1f} calls/s of the"
            f" {TIKTOK_QPS:.0f} QPS TikTok allows; bounded by {bounded_by}: converged /"
            f" max(sent, QPS floor) {converged_in / bound:.2f}"
        )
        sys.stdout.flush()
    finally:
        starter.stop_all()
        sandboxes.stop()
        infra.stop()


if __name__ == "__main__":
    main()
