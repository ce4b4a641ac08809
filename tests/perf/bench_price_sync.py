"""Benchmark: a Shopify price change to TikTok's price (p50/p99), and N price changes at once
converging next to the floor TikTok's price and promotion QPS set.

Run: `uv run python tests/perf/bench_price_sync.py [--products 10000] [--samples 50]
[--concurrency 8]`.
Starts the broker, PostgreSQL, both sandboxes, the gateway and price-promotions as processes,
connects a merchant through OAuth, links N one-variant products to live sandbox TikTok products
(both catalogs seeded through the sandboxes' control planes: setup, not measured),
then changes prices as the merchant does in Shopify admin (products/update webhooks through the
gateway). Shopify's plan is unthrottled, so TikTok's per-API QPS (sandbox default 50 per API and
shop, the client paces at the same) is the floor: the busiest TikTok API's calls / QPS (APIs are
paced separately, so they overlap). Also prints the TikTok calls made per change (from the
service's `connector_external_calls_total`) and the raw broker throughput of the same run.
Prints the figures and ratios measured in this run; nothing is asserted. Not a pytest test.
"""

import argparse
import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from bench_order_relay import broker_throughput, metric_sums
from connector_contracts import new_envelope
from connector_devstack.infra import start_infra
from connector_devstack.pricing_world import (
    LinkedProduct,
    PricingMerchant,
    connected_pricing_merchant,
)
from connector_devstack.sandboxes import Sandboxes, connect_merchant_sync, start_sandboxes
from connector_devstack.scraping import metric_value
from connector_devstack.services import SERVICES, ServiceProcess
from connector_devstack.wiring import reserve_ports, stack_env

QPS = 50.0  # the sandbox's default per API and shop, and the client's default pacing


def start(name: str, env: dict[str, str], port: int, logs: Path) -> ServiceProcess:
    definition = next(s for s in SERVICES if s.name == name)
    proc = ServiceProcess(definition, env=env, port=port, log_file=logs / f"{name}.log")
    proc.start(timeout=180)
    return proc


def link(pricing: PricingMerchant, infra: Any, n: int) -> list[LinkedProduct]:
    """Setup, not measured: both catalogs seeded through the sandboxes' control planes (Create
    Product one at a time was ~4 products/s, 40+ minutes for 10,000), then `product.pushed` per
    product as catalog-sync records a link."""

    async def run() -> list[LinkedProduct]:
        async with httpx.AsyncClient(timeout=600) as http:
            products = await pricing.link_products(http, n)
        await publish_all_pushed(infra, pricing.connection_id, products)
        return products

    return asyncio.run(run())


async def publish_all_pushed(infra: Any, connection_id: str, products: list[LinkedProduct]) -> None:
    """`product.pushed` for each product as catalog-sync would, through one producer
    (`publish_pushed` starts one per record: minutes for 10,000)."""
    producer = AIOKafkaProducer(bootstrap_servers=infra.broker.bootstrap_servers, acks="all")
    await producer.start()
    try:
        sends = []
        for product in products:
            pushed = product.pushed()
            envelope = new_envelope(pushed, connection_id=connection_id)
            value = envelope.model_dump_json().encode()
            topic = f"{infra.prefix}product.pushed"
            sends.append(await producer.send(topic, value, key=pushed.key().encode()))
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


def wait_metric(url: str, name: str, target: float, timeout: float, **labels: str) -> float:
    """Poll a counter until it reaches `target`; the monotonic time it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if metric_value(url, name, **labels) >= target:
            return time.monotonic()
        time.sleep(0.1)
    raise TimeoutError(f"{name}{labels} did not reach {target}")


def latencies(
    http: httpx.Client, world: dict[str, str], products: list[LinkedProduct]
) -> list[float]:
    """One change at a time: Shopify admin -> TikTok's price, seconds."""
    found = []
    for i, product in enumerate(products):
        price = f"{200 + i}.00"
        body = {"variant_id": product.shopify_variant_id, "price": price, "compare_at_price": None}
        started = time.monotonic()
        http.post(f"{world['shopify']}/prices", json=body).raise_for_status()
        url = f"{world['tiktok']}/products/{product.tiktok_product_id}"
        while http.get(url).json()["skus"][0]["price"]["sale_price"] != price:
            time.sleep(0.01)
        found.append(time.monotonic() - started)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tiktok_calls(service: ServiceProcess) -> dict[str, float]:
    """TikTok calls price-promotions made so far, per endpoint."""
    return metric_sums([service], "connector_external_calls_total", "endpoint", 'platform="tiktok"')


def burst(
    http: httpx.Client, world: dict[str, str], products: list[LinkedProduct], compare_at: bool
) -> tuple[float, float]:
    """Change every product's price at once; (seconds the changes took to make, to converge)."""
    pricing = world["pricing"]
    steps = "connector_price_activity_steps_total"
    synced = metric_value(pricing, "connector_price_sync_results_total", outcome="synced")
    creates = metric_value(pricing, steps, step="create")
    started = time.monotonic()

    def change(i: int) -> None:
        body = {
            "variant_id": products[i].shopify_variant_id,
            "price": f"{50 + i % 40}.00",
            "compare_at_price": "100.00" if compare_at else None,
        }
        http.post(f"{world['shopify']}/prices", json=body).raise_for_status()

    # Merchants' edits arrive side by side (one at a time, the bench made 13 changes/s).
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(change, range(len(products))))
    made = time.monotonic() - started
    timeout = 600 + 10 * len(products) / QPS
    name = steps if compare_at else "connector_price_sync_results_total"
    target = creates + len(products) if compare_at else synced + len(products)
    labels = {"step": "create"} if compare_at else {"outcome": "synced"}
    done = wait_metric(pricing, name, target, timeout, **labels)
    return made, done - started


def run(n: int, samples: int, concurrency: int) -> None:
    infra = start_infra(isolated=True)
    sandboxes = start_sandboxes()
    logs = Path(mkdtemp(prefix="bench-price-sync-"))
    ports = reserve_ports()
    env = {**stack_env(infra, sandboxes, ports), "LOG_LEVEL": "WARNING"}
    procs: list[ServiceProcess] = []
    try:
        gateway = start("gateway", env, ports["gateway"], logs)
        procs.append(gateway)
        sandboxes.point_tiktok_webhooks_at(f"{gateway.url}/webhooks/tiktok")
        service_env = {**env, "PRICE_SYNC_CONCURRENCY": str(concurrency)}
        service = start("price-promotions", service_env, ports["price-promotions"], logs)
        procs.append(service)
        measure(infra, sandboxes, gateway, service, n, samples)
    finally:
        for proc in reversed(procs):
            proc.stop()
        sandboxes.stop()
        infra.stop()


def measure(
    infra: Any,
    sandboxes: Sandboxes,
    gateway: ServiceProcess,
    service: ServiceProcess,
    n: int,
    samples: int,
) -> None:
    merchant = connect_merchant_sync(
        gateway.url, sandboxes, name="Bench", shopify_shop_domain="bench-prices.myshopify.com"
    )
    http = httpx.Client(timeout=60)
    shopify = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    http.patch(shopify, json={"plan": "enterprise", "restore_rate": 10**6, "bucket_size": 10**7})
    region = (
        f"{gateway.url}/api/v1/pricing/{merchant.connection_id}/regions/{merchant.tiktok_shop_id}"
    )
    while http.get(region).status_code != 200:
        time.sleep(0.2)

    async def pricing_merchant() -> PricingMerchant:
        async with httpx.AsyncClient(timeout=30) as client:
            return await connected_pricing_merchant(client, sandboxes, merchant)

    pricing = asyncio.run(pricing_merchant())
    started = time.monotonic()
    products = link(pricing, infra, n)
    linked = time.monotonic()
    # Each link's first sync is one Update Price (seeded TikTok twins are at 12.90, Shopify at
    # 100.00): n calls paced at QPS before the measured part starts.
    wait_metric(service.url, "connector_price_sync_results_total", n, 600 + n, outcome="synced")
    print(
        f"[bench price-sync] seeded and linked {n} products in {linked - started:.1f} s,"
        f" first-synced in {time.monotonic() - linked:.1f} s more (floor {n / QPS:.1f} s)"
    )
    world = {
        "shopify": shopify,
        "tiktok": f"{sandboxes.tiktok_url}/_sandbox",
        "pricing": service.url,
    }
    one = latencies(http, world, products[:samples])
    print(
        f"[bench price-sync] one change at a time, Shopify price -> TikTok price ({samples}):"
        f" p50 {percentile(one, 0.5) * 1000:.0f} ms, p99 {percentile(one, 0.99) * 1000:.0f} ms,"
        f" mean {statistics.mean(one) * 1000:.0f} ms"
    )
    before = tiktok_calls(service)
    times = burst(http, world, products, False)
    report("one price (Update Price only)", times, n, calls_since(service, before))
    http.put(region, json={"mode": "same_as_shopify"}).raise_for_status()
    # Per product: Update Price, Search Activities, Create Activity, Update Activity Product.
    before = tiktok_calls(service)
    times = burst(http, world, products, True)
    report("two prices (price + new activity)", times, n, calls_since(service, before))
    http.close()
    raw = asyncio.run(broker_throughput(infra.broker.bootstrap_servers, 20_000))
    print(
        f"[bench price-sync] raw broker, 1 KiB records (same run): produce {raw[0]:,.0f}/s"
        f" (acks=all), consume {raw[1]:,.0f}/s; {n} changes need {n / raw[0]:.2f} s of it"
    )


def calls_since(service: ServiceProcess, before: dict[str, float]) -> dict[str, float]:
    """TikTok calls per endpoint made since `before` (the burst's calls: the run settles before
    and after, so nothing else calls TikTok meanwhile)."""
    after = tiktok_calls(service)
    return {k: v - before.get(k, 0.0) for k, v in after.items() if v - before.get(k, 0.0) > 0}


def report(label: str, times: tuple[float, float], n: int, calls: dict[str, float]) -> None:
    made, converged = times
    busiest = max(calls, key=lambda k: calls[k]) if calls else "none"
    floor = max(calls.values(), default=float(n)) / QPS
    total = sum(calls.values())
    per_api = ", ".join(f"{k} {v:.0f}" for k, v in sorted(calls.items()))
    print(
        f"[bench price-sync] {n} changes, {label}: made in {made:.1f} s, converged in"
        f" {converged:.1f} s; TikTok QPS floor {floor:.1f} s (busiest API {busiest} at"
        f" {QPS:.0f}/s); ratio {converged / floor:.2f}x, {n / converged:.0f} products/s;"
        f" TikTok calls {total:.0f} for {n} changes ({total / n:.2f} per change: {per_api})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8, help="PRICE_SYNC_CONCURRENCY")
    args = parser.parse_args()
    print(f"[bench price-sync] PRICE_SYNC_CONCURRENCY={args.concurrency}")
    run(args.products, min(args.samples, args.products), args.concurrency)


if __name__ == "__main__":
    main()
