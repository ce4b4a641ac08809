"""Benchmark: TikTok orders through gateway + order-relay into the Shopify sandbox.

Run: `uv run python tests/perf/bench_order_relay.py [--orders 300]`. Real processes on the
embedded broker and PostgreSQL. Prints, from one run:
  1. raw broker produce -> consume throughput (messages/s), the floor under everything;
  2. sustained orders/s and p50/p99 webhook -> Shopify latency with an unthrottled Shopify;
  3. orders/s against a store on Shopify Plus limits next to that plan's theoretical ceiling
     (restore rate / Shopify cost points per order, from the sandbox's cost log).
Figures only: nothing is asserted on time. Not a pytest test.
"""

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from connector_devstack.infra import Infra, start_infra
from connector_devstack.linked_catalog import LinkedVariant, seed_linked_catalog
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync, start_sandboxes
from connector_devstack.services import ServiceProcess

PLUS_RESTORE_RATE = 1000.0  # points/s (reference B3)


async def broker_throughput(bootstrap: str, count: int) -> tuple[float, float]:
    """Produce `count` 1 KiB records (acks=all), then consume them back: records/s of each."""
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2)
    await producer.start()
    try:
        value = b"x" * 1024
        started = time.perf_counter()
        sends = [await producer.send(topic, value, key=str(i).encode()) for i in range(count)]
        await asyncio.gather(*sends)
        produced = count / (time.perf_counter() - started)
        partitions = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    # Assigned, not subscribed: a group join would be timed instead of the reads.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in partitions])
        await consumer.seek_to_beginning()
        started, seen = time.perf_counter(), 0
        while seen < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            seen += sum(len(records) for records in batch.values())
        consumed = count / (time.perf_counter() - started)
    finally:
        await consumer.stop()
    return produced, consumed


def merchant_with_catalog(
    infra: Infra, sandboxes: Sandboxes, gateway: ServiceProcess, plan: str
) -> tuple[Merchant, list[LinkedVariant]]:
    """A connected merchant whose Shopify variants are linked to TikTok SKUs."""
    suffix = uuid.uuid4().hex[:8]
    merchant = connect_merchant_sync(
        gateway.url,
        sandboxes,
        name=f"Bench {suffix}",
        shopify_shop_domain=f"bench-{suffix}.myshopify.com",
        shopify_plan=plan,
    )
    catalog = seed_linked_catalog(
        infra, sandboxes.shopify_url, merchant, variants=10, stock=10**6, seed=7
    )
    return merchant, catalog.variants


def relay_run(
    sandboxes: Sandboxes,
    merchant: Merchant,
    skus: list[LinkedVariant],
    orders: int,
    buyers_in_parallel: int,
) -> dict[str, Any]:
    """Place `orders` paid orders; wait until all exist in Shopify; return rate and latencies."""
    placed_at: dict[str, float] = {}
    shop = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    started = time.time()

    # With many buyers in parallel orders arrive faster than one replica relays them
    # (throughput); with one they arrive below capacity (latency without queueing).
    def place(i: int) -> None:
        sku = skus[i % len(skus)]
        response = http.post(
            f"/shops/{merchant.tiktok_shop_id}/orders",
            json={
                "status": "AWAITING_SHIPMENT",
                "lines": [{"sku_id": sku.tiktok_sku_id, "seller_sku": sku.sku, "price": sku.price}],
            },
        )
        placed_at[str(response.json()["id"])] = time.time()

    with (
        httpx.Client(base_url=f"{sandboxes.tiktok_url}/_sandbox", timeout=30) as http,
        ThreadPoolExecutor(max_workers=buyers_in_parallel) as buyers,
    ):
        list(buyers.map(place, range(orders)))
    created: list[dict[str, Any]] = []
    deadline = time.time() + 600
    while time.time() < deadline:
        created = httpx.get(f"{shop}/orders", timeout=60).json()
        if len(created) >= orders:
            break
        time.sleep(0.5)
    done_at = {
        o["source_identifier"]: datetime.fromisoformat(o["created_at"]).timestamp() for o in created
    }
    latencies = sorted(done_at[o] - placed_at[o] for o in placed_at if o in done_at)
    last = max(done_at.values()) if done_at else time.time()
    log = httpx.get(
        f"{sandboxes.shopify_url}/_sandbox/requests", params={"shop": merchant.shopify_shop_domain}
    ).json()
    cost = sum(float(r.get("actual") or 0) for r in log)
    return {
        "relayed": len(done_at),
        "rate": len(done_at) / max(last - started, 1e-9),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "cost_per_order": cost / max(len(done_at), 1),
        "calls_per_order": len(log) / max(len(done_at), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--raw", type=int, default=20_000, help="records for the broker baseline")
    args = parser.parse_args()
    infra = start_infra(isolated=True)
    sandboxes = start_sandboxes()
    logs = Path(mkdtemp(prefix="bench-order-relay-"))
    stack: RelayStack | None = None
    try:
        raw = asyncio.run(broker_throughput(infra.broker.bootstrap_servers, args.raw))
        stack = start_relay_stack(infra, sandboxes, logs, common_env={"LOG_LEVEL": "WARNING"})
        gateway, relay = stack.gateway, stack.relay
        fast, fast_skus = merchant_with_catalog(infra, sandboxes, gateway, "enterprise")
        httpx.patch(
            f"{sandboxes.shopify_url}/_sandbox/shops/{fast.shopify_shop_domain}",
            json={"plan": "enterprise", "restore_rate": 10**6, "bucket_size": 10**7},
        ).raise_for_status()
        paced = relay_run(sandboxes, fast, fast_skus, args.orders // 2, 1)
        unthrottled = relay_run(sandboxes, fast, fast_skus, args.orders, 16)
        plus, plus_skus = merchant_with_catalog(infra, sandboxes, gateway, "plus")
        at_plus = relay_run(sandboxes, plus, plus_skus, args.orders, 16)
        ceiling = PLUS_RESTORE_RATE / max(at_plus["cost_per_order"], 1e-9)
        print(
            f"[bench order-relay] raw broker, 1 KiB records: produce {raw[0]:,.0f}/s (acks=all),"
            f" consume {raw[1]:,.0f}/s"
        )
        print(
            f"[bench order-relay] unthrottled Shopify, burst of {args.orders} orders:"
            f" {unthrottled['rate']:.1f} orders/s sustained"
            f" ({unthrottled['calls_per_order']:.1f} Shopify calls/order; queueing latency"
            f" p50 {unthrottled['p50'] * 1000:.0f} ms, p99 {unthrottled['p99'] * 1000:.0f} ms)"
        )
        print(
            f"[bench order-relay] unthrottled Shopify, {args.orders // 2} orders from one buyer"
            f" ({paced['rate']:.1f} orders/s, below capacity): webhook->Shopify latency"
            f" p50 {paced['p50'] * 1000:.0f} ms, p99 {paced['p99'] * 1000:.0f} ms"
        )
        print(
            f"[bench order-relay] Shopify Plus limits: {at_plus['rate']:.1f} orders/s"
            f" (p50 {at_plus['p50'] * 1000:.0f} ms, p99 {at_plus['p99'] * 1000:.0f} ms);"
            f" theoretical ceiling {ceiling:.0f} orders/s"
            f" ({PLUS_RESTORE_RATE:.0f} points/s / {at_plus['cost_per_order']:.1f} points per order)"
        )
        metrics = httpx.get(f"{relay.url}/metrics").text
        for line in metrics.splitlines():
            if line.startswith(
                (
                    "connector_handler_duration_seconds_sum",
                    "connector_handler_duration_seconds_count",
                    "connector_external_call_duration_seconds_sum",
                    "connector_external_call_duration_seconds_count",
                )
            ) and ("order" in line):
                print(f"[bench order-relay] {line}")
        sys.stdout.flush()
    finally:
        if stack is not None:
            stack.stop()
        sandboxes.stop()
        infra.stop()


if __name__ == "__main__":
    main()
