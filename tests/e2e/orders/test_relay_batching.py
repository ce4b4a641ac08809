"""Concurrent paid orders share Get Order Detail calls and are still each relayed exactly once."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

ORDERS = 10  # five on each of the two linked variants (5 units each)
DETAIL_PATH = "/order/202309/orders"


def detail_calls(relay_url: str) -> float:
    """Get Order Detail calls order-relay has made so far (every outcome)."""
    total = 0.0
    for line in httpx.get(f"{relay_url}/metrics").text.splitlines():
        if line.startswith("connector_external_calls_total{") and '"orders.detail"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def relayed(order: dict[str, Any]) -> bool:
    return order.get("relay_state") == "relayed"


def test_concurrent_paid_orders_share_detail_calls_and_are_relayed_once(shop) -> None:
    control = f"{shop.stack.sandboxes.tiktok_url}/_sandbox/faults"
    # A slow detail endpoint keeps a call in flight while the other relay jobs ask for theirs.
    slow = [{"path_pattern": DETAIL_PATH, "method": "GET", "latency_ms": 1500}]
    httpx.put(control, json=slow).raise_for_status()
    try:
        before = detail_calls(shop.stack.relay.url)
        with ThreadPoolExecutor(max_workers=ORDERS) as buyers:
            ids = list(buyers.map(lambda i: shop.place({"variant": i % 2}), range(ORDERS)))
        for order_id in ids:
            assert relayed(shop.wait_order(order_id, relayed, timeout=120)), order_id
        calls = detail_calls(shop.stack.relay.url) - before
    finally:
        httpx.delete(control).raise_for_status()
    sources = [o["source_identifier"] for o in shop.shopify_orders()]
    assert sorted(sources) == sorted(ids)  # each order once in Shopify, nothing else
    assert 0 < calls < ORDERS
