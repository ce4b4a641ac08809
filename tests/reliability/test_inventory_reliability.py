"""Fault experiment on inventory-guard (issue 10, "Done when"): 5,000 Shopify stock changes over
1,000 SKUs with duplicated, dropped and reordered webhooks, TikTok answering 20 % of product calls
with its 429, and inventory-guard SIGKILLed 3 times while changes arrive. After quiescence every
TikTok SKU must show what Shopify and the policy say (0 mismatches); the run prints its counts.

The catalog is pulled and pushed through catalog-sync, so the SKU links are the real ones; the
policy is "set out of stock at 3 or fewer", so the low-inventory rule is checked on every SKU too.
"""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

PRODUCTS, VARIANTS, CHANGES = 100, 10, 5000
THRESHOLD = 3
KILL_AT, DOWN_FOR = (1200, 2500, 3800), 300  # changes sent while the guard is down
SWEEP_SECONDS = 10
CATALOG = {
    "products": PRODUCTS,
    "variants_per_product": VARIANTS,
    "product_types": ["Storage Jar"],
    "stock_min": 1,
    "stock_max": 9,
    "missing_product_type_ratio": 0,
    "missing_images_ratio": 0,
    "long_title_ratio": 0,
    "duplicate_sku_ratio": 0,
    "seed": 23,
}
Json = dict[str, Any]


def pushed_catalog(gateway: ServiceProcess, shop: str, api: str) -> list[Json]:
    """Seed, pull and push the catalog; every product once TikTok has made it live."""
    poll(lambda: httpx.get(f"{api}/settings").status_code, lambda s: s == 200, 60)
    httpx.post(f"{shop}/seed", json=CATALOG, timeout=120).raise_for_status()
    httpx.put(f"{api}/settings", json={"listing": {"package": {"weight": 1}}}).raise_for_status()
    for step, body in (("pull", {}), ("push", {"all_products": True})):
        task_id = httpx.post(f"{api}/{step}", json=body, timeout=60).json()["task_id"]
        url = f"{gateway.url}/api/v1/catalog/tasks/{task_id}"
        done = poll(lambda u=url: httpx.get(u).json(), lambda t: t["status"] != "running", 300)
        assert (done["status"], done["done"]) == ("completed", PRODUCTS), done

    def live() -> list[Json]:
        found = httpx.get(f"{api}/products", params={"limit": 500}, timeout=60).json()["products"]
        return [p for p in found if p.get("tiktok_status") == "ACTIVATE"]

    return poll(live, lambda ps: len(ps) == PRODUCTS, 120)  # type: ignore[no-any-return]


def expected(available: int) -> int:
    """What TikTok must show: Shopify's available, 0 at or below the threshold."""
    return 0 if available <= THRESHOLD else available


def mismatches(sandboxes: Sandboxes, shop: str, products: list[Json]) -> list[str]:
    """SKUs whose TikTok stock is not what Shopify and the policy say."""
    available = Counter[str]()
    for level in httpx.get(f"{shop}/inventory", timeout=60).json():
        available[level["sku"]] += level["available"]
    wrong = []
    for product in products:
        url = f"{sandboxes.tiktok_url}/_sandbox/products/{product['tiktok_product_id']}"
        for sku in httpx.get(url, timeout=30).json()["skus"]:
            tiktok = sum(i["quantity"] for i in sku["inventory"])
            if tiktok != expected(available[sku["seller_sku"]]):
                wrong.append(
                    f"{sku['seller_sku']}: TikTok {tiktok}, Shopify {available[sku['seller_sku']]}"
                )
    return wrong


async def guard_work(infra: Infra) -> tuple[int, datetime | None]:
    """Pushes queued, and when the region's last sweep ended (its next is due an interval
    later; a sweep being run still shows the previous due time)."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        pushes = await conn.fetchval(
            "SELECT count(*) FROM inventory_guard.work_items WHERE kind = 'stock-push'"
        )
        due = await conn.fetchval(
            "SELECT max(due_at) FROM inventory_guard.work_items WHERE kind = 'stock-sweep'"
        )
    finally:
        await conn.close()
    return int(pushes), due - timedelta(seconds=SWEEP_SECONDS) if due else None


def quiesce(infra: Infra, since: datetime) -> None:
    """Wait for two sweeps to end after `since` (so one started after it and read every SKU
    again), then for no push to be left."""
    ended = since
    for _ in range(2):
        state = poll(
            lambda: asyncio.run(guard_work(infra)),
            lambda w, after=ended: w[1] is not None and w[1] > after,
            600,
        )
        assert state[1] is not None, "no sweep ran"
        assert state[1] > ended, "no sweep ended"
        ended = state[1]
    assert poll(lambda: asyncio.run(guard_work(infra))[0], lambda n: n == 0, 180) == 0


def send_changes(shop: str, levels: list[Json], guard: ServiceProcess) -> list[int]:
    """5,000 changes, 4 at a time, SIGKILLing the guard at the kill points and starting it
    again `DOWN_FOR` changes later (webhooks keep arriving at the gateway meanwhile)."""
    rng, killed = random.Random(5), []
    plan = [(rng.choice(levels), rng.randint(0, 40)) for _ in range(CHANGES)]
    marks = sorted({0, CHANGES, *KILL_AT, *(k + DOWN_FOR for k in KILL_AT)})
    with httpx.Client(timeout=30) as http, ThreadPoolExecutor(4) as pool:

        def one(change: tuple[Json, int]) -> None:
            level, available = change
            body = {
                "inventory_item_id": level["inventory_item_gid"],
                "location_id": level["location_gid"],
                "available": available,
            }
            http.post(f"{shop}/inventory", json=body).raise_for_status()

        for start, end in pairwise(marks):
            if start in KILL_AT:
                guard.kill()
                killed.append(start)
            elif start - DOWN_FOR in KILL_AT:
                guard.start(timeout=120)
            list(pool.map(one, plan[start:end]))
    return killed


# The experiment is the size, not a sample: about five minutes on an idle 2-core
# machine, twice that when the machine is shared, so it gets more than the suite's ten.
@pytest.mark.timeout(1800)
def test_stock_converges_through_webhook_faults_429s_and_three_sigkills(
    start_module_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
    sandboxes: Sandboxes,
    infra: Infra,
) -> None:
    gateway = start_module_service("gateway")
    start_module_service("catalog-sync", catalog_image_placeholder="true")
    guard = start_module_service(
        "inventory-guard",
        inventory_coalesce_seconds="0.2",
        inventory_sweep_interval_seconds=str(SWEEP_SECONDS),
    )
    merchant = connect_merchant(gateway, plan="plus")
    shop = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    api = f"{gateway.url}/api/v1/catalog/{merchant.connection_id}"
    products = pushed_catalog(gateway, shop, api)
    guard_api = f"{gateway.url}/api/v1/inventory/{merchant.connection_id}"
    threshold = {"threshold": {"quantity": THRESHOLD, "mode": "out_of_stock"}}
    # The change re-evaluates all 100 products in its transaction, waiting for each push being
    # run (ADR 0400's lock order): on a loaded machine that is longer than httpx's 5 s default.
    url = f"{guard_api}/settings/{merchant.tiktok_shop_id}"
    httpx.put(url, json=threshold, timeout=120).raise_for_status()
    levels = httpx.get(f"{shop}/inventory", timeout=60).json()
    assert len(levels) == PRODUCTS * VARIANTS

    faults = {"duplicate_probability": 0.3, "drop_probability": 0.1, "reorder_window_seconds": 0.3}
    httpx.put(f"{shop}/webhook-faults", json=faults).raise_for_status()
    tiktok_faults = f"{sandboxes.tiktok_url}/_sandbox/faults"
    rule = {"path_pattern": "/product/*", "rate_limit_probability": 0.2}
    httpx.put(tiktok_faults, json=[rule]).raise_for_status()
    started = time.monotonic()
    try:
        killed = send_changes(shop, levels, guard)
    finally:
        httpx.put(f"{shop}/webhook-faults", json={}).raise_for_status()
        fired = httpx.get(tiktok_faults).json()
        httpx.delete(tiktok_faults).raise_for_status()
    sent_in = time.monotonic() - started

    quiesce(infra, datetime.now(UTC))
    quiet_in = time.monotonic() - started - sent_in
    wrong = mismatches(sandboxes, shop, products)

    url = f"{sandboxes.shopify_url}/_sandbox/webhooks/deliveries"
    deliveries = httpx.get(url, params={"shop": merchant.shopify_shop_domain}, timeout=60).json()
    states = Counter(d["state"] for d in deliveries if d["topic"] == "inventory_levels/update")
    label = "inventory-guard reliability"
    print(
        f"\n[{label}] {CHANGES} changes over {len(levels)} SKUs in {sent_in:.1f} s; quiet {quiet_in:.1f} s later"
    )
    print(
        f"[{label}] inventory_levels/update deliveries: {dict(states)} (duplicates 30 %, drops 10 %, reorder window 0.3 s)"
    )
    print(f"[{label}] TikTok faults injected: {fired}")
    print(f"[{label}] inventory-guard SIGKILLed at changes {killed}; started {guard.starts} times")
    print(f"[{label}] mismatches: {len(wrong)} of {len(levels)} SKUs {wrong[:5]}")
    assert len(killed) == 3
    assert guard.starts == 4
    assert states["dropped"] > 0
    assert wrong == []
