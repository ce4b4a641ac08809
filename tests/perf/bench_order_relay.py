"""Benchmark: TikTok orders through gateway + order-relay into the Shopify sandbox.

Run: `uv run python tests/perf/bench_order_relay.py [--orders 300]`. Real processes on the
embedded broker and PostgreSQL. Prints, from one run:
  1. raw broker produce -> consume throughput (messages/s), the floor under everything;
  2. sustained orders/s and p50/p99 webhook -> Shopify latency with an unthrottled Shopify;
  3. orders/s against a store on Shopify Plus limits as a ratio of the ceiling set by every
     platform limit on the path: Shopify's restore rate / cost points per order (the sandbox's
     cost log) and each TikTok endpoint's QPS / its calls per order (order-relay's metrics);
  4. CPU seconds per relayed order of each connector process (gateway, order-relay; from
     /proc/<pid>/stat over the run, placement included), apart from the sandboxes', and
     database round trips per order of each (`connector_db_round_trips_total`, every pool);
  5. the Plus run again with 2 order-relay replicas, and its ratio to one replica;
  6. a burst of `--webhooks` signed TikTok webhooks sent straight to the gateway: answer
     p50/p99, the gateway's CPU per webhook, and that every order reached Shopify.
The services run with the production consumer heartbeat (3 s), not the devstack's 200 ms.
Placing the orders (the buyers' POSTs) is timed and printed apart from the relay rate.
Figures only: nothing is asserted on time. Not a pytest test.
"""

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from connector_devstack.infra import Infra, start_infra
from connector_devstack.linked_catalog import LinkedVariant, seed_linked_catalog
from connector_devstack.ports import free_port
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import (
    TIKTOK_APP_KEY,
    TIKTOK_APP_SECRET,
    Merchant,
    Sandboxes,
    connect_merchant_sync,
    start_sandboxes,
)
from connector_devstack.services import ServiceProcess
from tiktok_shop.signing import webhook_signature

PLUS_RESTORE_RATE = 1000.0  # points/s (reference B3)
TIKTOK_QPS = 50.0  # per endpoint per app+shop, the sandbox's default (reference A5)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(process: ServiceProcess) -> float:
    """utime + stime of a service process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    assert process.process is not None
    stat = Path(f"/proc/{process.process.pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def metric_sums(
    processes: list[ServiceProcess], name: str, label: str, where: str = ""
) -> dict[str, float]:
    """A counter's samples summed over processes by one label's value (lines holding `where`)."""
    sums: dict[str, float] = {}
    for process in processes:
        for line in httpx.get(f"{process.url}/metrics").text.splitlines():
            if line.startswith(name + "{") and where in line:
                value = line.split(f'{label}="', 1)[1].split('"', 1)[0]
                sums[value] = sums.get(value, 0.0) + float(line.rsplit(" ", 1)[1])
    return sums


def tiktok_calls(relays: list[ServiceProcess]) -> dict[str, float]:
    """TikTok calls so far per endpoint, summed over the order-relay replicas' metrics."""
    return metric_sums(relays, "connector_external_calls_total", "endpoint", 'platform="tiktok"')


def round_trips(processes: list[ServiceProcess]) -> float:
    """Statements the processes have sent to PostgreSQL so far, every pool."""
    return sum(metric_sums(processes, "connector_db_round_trips_total", "pool").values())


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


def place_orders(
    sandboxes: Sandboxes, merchant: Merchant, skus: list[LinkedVariant], orders: int, buyers: int
) -> dict[str, float]:
    """Place `orders` paid orders, `buyers` at a time: TikTok order id -> when it was placed."""
    placed_at: dict[str, float] = {}

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
        ThreadPoolExecutor(max_workers=buyers) as pool,
    ):
        list(pool.map(place, range(orders)))
    return placed_at


def relayed(sandboxes: Sandboxes, merchant: Merchant, ids: set[str]) -> dict[str, float]:
    """Wait until every order of `ids` is in Shopify, or a minute passes without one more (a
    slow machine is not a loss): id -> when created."""
    shop = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    created: list[dict[str, Any]] = []
    progressed = time.time()
    while time.time() - progressed < 60:
        # Only these orders: the shop may hold an earlier run's.
        every = httpx.get(f"{shop}/orders", timeout=60).json()
        now = [o for o in every if o["source_identifier"] in ids]
        if len(now) > len(created):
            progressed = time.time()
        created = now
        if len(created) >= len(ids):
            break
        time.sleep(0.5)
    return {
        o["source_identifier"]: datetime.fromisoformat(o["created_at"]).timestamp() for o in created
    }


def unthrottled_merchant(
    infra: Infra, sandboxes: Sandboxes, gateway: ServiceProcess
) -> tuple[Merchant, list[LinkedVariant]]:
    """A merchant whose Shopify store never throttles (restore rate and bucket far above use)."""
    merchant, skus = merchant_with_catalog(infra, sandboxes, gateway, "enterprise")
    httpx.patch(
        f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}",
        json={"plan": "enterprise", "restore_rate": 10**6, "bucket_size": 10**7},
    ).raise_for_status()
    return merchant, skus


def relay_run(
    sandboxes: Sandboxes,
    merchant: Merchant,
    skus: list[LinkedVariant],
    orders: int,
    buyers_in_parallel: int,
) -> dict[str, Any]:
    """Place `orders` paid orders; wait until all exist in Shopify; return rate and latencies."""
    started = time.time()
    # With many buyers in parallel orders arrive faster than one replica relays them
    # (throughput); with one they arrive below capacity (latency without queueing).
    placed_at = place_orders(sandboxes, merchant, skus, orders, buyers_in_parallel)
    placing = time.time() - started
    done_at = relayed(sandboxes, merchant, set(placed_at))
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
        "placing": placing,
    }


async def send_webhooks(url: str, bodies: list[bytes], in_flight: int) -> tuple[list[float], int]:
    """POST each signed body to `url`, `in_flight` at a time: answer latencies, non-200 count."""
    latencies: list[float] = []
    refused = 0
    gate = asyncio.Semaphore(in_flight)
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def send(raw: bytes) -> None:
            nonlocal refused
            signature = webhook_signature(TIKTOK_APP_KEY, TIKTOK_APP_SECRET, raw)
            async with gate:
                started = time.perf_counter()
                response = await client.post(url, content=raw, headers={"Authorization": signature})
                latencies.append(time.perf_counter() - started)
            refused += response.status_code != 200

        await asyncio.gather(*(send(raw) for raw in bodies))
    return sorted(latencies), refused


def webhook_burst(
    stack: RelayStack, merchant: Merchant, skus: list[LinkedVariant], count: int
) -> str:
    """`count` signed ORDER_STATUS_CHANGE webhooks (one per paid order, placed beforehand with
    the sandbox's own webhooks off) sent to the gateway 64 at a time: answer p50/p99, the
    gateway's CPU per webhook, and whether every order reached Shopify (nothing lost)."""
    sandboxes, gateway = stack.sandboxes, stack.gateway
    httpx.put(
        f"{sandboxes.tiktok_url}/_sandbox/apps/{TIKTOK_APP_KEY}/webhook", json={"url": None}
    ).raise_for_status()
    try:
        ids = list(place_orders(sandboxes, merchant, skus, count, 16))
    finally:
        sandboxes.point_tiktok_webhooks_at(f"{gateway.url}/webhooks/tiktok")
    now = int(time.time())
    bodies = [
        json.dumps(
            {
                "type": 1,
                "tts_notification_id": f"bench-{uuid.uuid4().hex}",
                "shop_id": merchant.tiktok_shop_id,
                "timestamp": now,
                "data": {
                    "order_id": order_id,
                    "order_status": "AWAITING_SHIPMENT",
                    "is_on_hold_order": False,
                    "update_time": now,
                },
            },
            separators=(",", ":"),
        ).encode()
        for order_id in ids
    ]
    cpu_before, started = cpu_seconds(gateway), time.perf_counter()
    latencies, refused = asyncio.run(send_webhooks(f"{gateway.url}/webhooks/tiktok", bodies, 64))
    answered_in = time.perf_counter() - started
    cpu = (cpu_seconds(gateway) - cpu_before) / count
    done = relayed(sandboxes, merchant, set(ids))
    return (
        f"[bench order-relay] webhook burst: {count} signed TikTok webhooks answered in"
        f" {answered_in:.1f} s ({count / answered_in:.0f}/s, 64 in flight), {refused} not 200;"
        f" answer p50 {statistics.median(latencies) * 1000:.0f} ms,"
        f" p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms;"
        f" gateway CPU per webhook {cpu * 1000:.1f} ms (while answering);"
        f" {len(done)} of {count} orders in Shopify, {count - len(done)} lost"
    )


def idle_cpu(processes: dict[str, list[ServiceProcess]], seconds: float = 5.0) -> dict[str, float]:
    """CPU seconds per second each group of processes spends with nothing to do (polls,
    heartbeats, gauges): the share of "CPU per order" a longer run adds on a busier machine."""
    before = {name: sum(map(cpu_seconds, procs)) for name, procs in processes.items()}
    time.sleep(seconds)
    return {
        name: (sum(map(cpu_seconds, procs)) - before[name]) / seconds
        for name, procs in processes.items()
    }


def measured_run(
    processes: dict[str, list[ServiceProcess]], run: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """`run` with the connector's CPU seconds per relayed order (all of it, and net of the
    processes' idle rate over the run's length) and TikTok calls per order."""
    relays = processes["order-relay"]
    idle = idle_cpu(processes)
    cpu_before = {name: sum(map(cpu_seconds, procs)) for name, procs in processes.items()}
    started = time.time()
    trips_before = {name: round_trips(procs) for name, procs in processes.items()}
    calls_before = tiktok_calls(relays)
    result = run()
    relayed = max(result["relayed"], 1)
    result["round_trips"] = {
        name: (round_trips(procs) - trips_before[name]) / relayed
        for name, procs in processes.items()
    }
    took = time.time() - started
    result["cpu"] = {
        name: (sum(map(cpu_seconds, procs)) - cpu_before[name]) / relayed
        for name, procs in processes.items()
    }
    result["cpu_net"] = {
        name: max(0.0, cpu - idle[name] * took / relayed) for name, cpu in result["cpu"].items()
    }
    result["tiktok_calls"] = {
        endpoint: (count - calls_before.get(endpoint, 0.0)) / relayed
        for endpoint, count in tiktok_calls(relays).items()
        if count > calls_before.get(endpoint, 0.0)
    }
    return result


def ceiling(result: dict[str, Any]) -> tuple[float, str]:
    """Orders/s the tightest platform limit allows, and which limit that is."""
    limits = {"Shopify cost": PLUS_RESTORE_RATE / max(result["cost_per_order"], 1e-9)}
    for endpoint, per_order in result["tiktok_calls"].items():
        limits[f"TikTok {endpoint}"] = TIKTOK_QPS / per_order
    binding = min(limits, key=lambda name: limits[name])
    return limits[binding], binding


def describe(label: str, result: dict[str, Any]) -> str:
    """One line: rate, placement, latency, CPU per order and calls per order of a run."""
    cpu = ", ".join(
        f"{name} {s * 1000:.1f} ms ({result['cpu_net'][name] * 1000:.1f} net of idle)"
        for name, s in result["cpu"].items()
    )
    calls = ", ".join(f"{e} {n:.2f}" for e, n in sorted(result["tiktok_calls"].items()))
    trips = ", ".join(f"{name} {n:.1f}" for name, n in result["round_trips"].items())
    return (
        f"[bench order-relay] {label}: {result['rate']:.1f} orders/s"
        f" (placing took {result['placing']:.1f} s; p50 {result['p50'] * 1000:.0f} ms,"
        f" p99 {result['p99'] * 1000:.0f} ms); CPU per relayed order: {cpu};"
        f" database round trips per order: {trips};"
        f" per order: {result['calls_per_order']:.1f} Shopify calls,"
        f" {result['cost_per_order']:.1f} points, TikTok calls {calls}"
    )


@contextlib.contextmanager
def profiled(processes: dict[str, list[ServiceProcess]], into: Path | None) -> Iterator[None]:
    """Sample each process with py-spy (collapsed stacks in `into`/<name>.txt) while inside."""
    spy = shutil.which("py-spy")
    if into is None or spy is None:
        yield
        return
    into.mkdir(parents=True, exist_ok=True)
    samplers = [
        subprocess.Popen(
            [
                *(spy, "record", "--nonblocking", "--format", "raw", "--rate", "200"),
                *("--pid", str(p.process.pid), "--output", str(into / f"{name}-{n}.txt")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, procs in processes.items()
        for n, p in enumerate(procs)
        if p.process is not None
    ]
    try:
        yield
    finally:
        for sampler in samplers:
            sampler.send_signal(signal.SIGINT)
        for sampler in samplers:
            sampler.wait(timeout=60)
        print(f"[bench order-relay] py-spy profiles of the Plus run in {into}")


def start_second_relay(stack: RelayStack, logs: Path) -> ServiceProcess:
    """Another order-relay replica with the first one's environment on its own port."""
    first = stack.relay
    second = ServiceProcess(
        first.definition, first.env, free_port(), log_file=logs / "order-relay-2.log"
    )
    second.start(timeout=120)
    return second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--raw", type=int, default=20_000, help="records for the broker baseline")
    parser.add_argument(
        "--webhooks", type=int, default=5000, help="signed webhooks in the burst (0: no burst)"
    )
    parser.add_argument(
        "--profile", type=Path, help="py-spy profiles of the Plus 1-replica run in this folder"
    )
    args = parser.parse_args()
    infra = start_infra(isolated=True)
    sandboxes = start_sandboxes()
    logs = Path(mkdtemp(prefix="bench-order-relay-"))
    stack: RelayStack | None = None
    try:
        raw = asyncio.run(broker_throughput(infra.broker.bootstrap_servers, args.raw))
        # The production consumer heartbeat, not the devstack's fast-failover one (15 times as
        # many heartbeats, which this benchmark would count as CPU per order).
        production = {"KAFKA_SESSION_TIMEOUT_MS": "10000", "KAFKA_HEARTBEAT_INTERVAL_MS": "3000"}
        stack = start_relay_stack(
            infra, sandboxes, logs, common_env={"LOG_LEVEL": "WARNING", **production}
        )
        gateway, relay = stack.gateway, stack.relay
        fast, fast_skus = unthrottled_merchant(infra, sandboxes, gateway)
        one = {"gateway": [gateway], "order-relay": [relay]}
        paced = measured_run(
            one, lambda: relay_run(sandboxes, fast, fast_skus, args.orders // 2, 1)
        )
        unthrottled = measured_run(
            one, lambda: relay_run(sandboxes, fast, fast_skus, args.orders, 16)
        )
        plus, plus_skus = merchant_with_catalog(infra, sandboxes, gateway, "plus")
        with profiled(one, args.profile):
            at_plus = measured_run(
                one, lambda: relay_run(sandboxes, plus, plus_skus, args.orders, 16)
            )
        second = start_second_relay(stack, logs)
        time.sleep(8)  # the consumer groups rebalance onto the new replica (heartbeat 3 s)
        try:
            two = {"gateway": [gateway], "order-relay": [relay, second]}
            plus2, plus2_skus = merchant_with_catalog(infra, sandboxes, gateway, "plus")
            at_plus_2 = measured_run(
                two, lambda: relay_run(sandboxes, plus2, plus2_skus, args.orders, 16)
            )
        finally:
            second.stop()
        print(
            f"[bench order-relay] raw broker, 1 KiB records: produce {raw[0]:,.0f}/s (acks=all),"
            f" consume {raw[1]:,.0f}/s"
        )
        print(describe(f"unthrottled Shopify, burst of {args.orders} orders", unthrottled))
        print(describe(f"unthrottled Shopify, {args.orders // 2} orders from one buyer", paced))
        for label, result in (("1 replica", at_plus), ("2 replicas", at_plus_2)):
            limit, binding = ceiling(result)
            own = min(limit, unthrottled["rate"])
            print(describe(f"Shopify Plus limits, {label}", result))
            print(
                f"[bench order-relay] Shopify Plus limits, {label}: ceiling {limit:.0f} orders/s"
                f" ({binding} binds); achieved {result['rate'] / limit:.2f} of it,"
                f" {result['rate'] / own:.2f} of min(ceiling, unthrottled 1 replica)"
            )
        print(
            f"[bench order-relay] 2 replicas / 1 replica at Plus limits:"
            f" {at_plus_2['rate'] / max(at_plus['rate'], 1e-9):.2f}"
        )
        if args.webhooks:
            burst, burst_skus = unthrottled_merchant(infra, sandboxes, gateway)
            print(webhook_burst(stack, burst, burst_skus, args.webhooks))
        metrics = httpx.get(f"{relay.url}/metrics").text
        for line in metrics.splitlines():
            if line.startswith(
                (
                    "connector_handler_duration_seconds_sum",
                    "connector_handler_duration_seconds_count",
                    "connector_external_call_duration_seconds_sum",
                    "connector_external_call_duration_seconds_count",
                    "connector_throttle_wait_seconds_total",
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
