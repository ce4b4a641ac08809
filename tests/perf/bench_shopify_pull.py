"""Benchmark: bulk pull of 5,000 products, then a cost-heavy paged workload on a Standard plan.

Run: `uv run python tests/perf/bench_shopify_pull.py [--products 5000] [--seconds 60]`.
Starts the sandbox as a subprocess, prints timings, the achieved cost rate next to the plan's
restore-rate ceiling, and how many THROTTLED errors reached the caller (goal: >=90%, 0).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from shopify import ShopifyClient, ShopifyConfig, ShopifyThrottledError, ThrottleRegistry
from shopify_sandbox.control_client import SandboxControl


def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_process() -> Iterator[str]:
    """Run `python -m shopify_sandbox` and stop exactly that process afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "shopify_sandbox", "--port", str(port), "--bulk-delay", "0.5"]
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/_sandbox/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("sandbox did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


async def bulk_pull(client: ShopifyClient) -> tuple[int, int, float]:
    """Pull the catalog with a bulk operation; return products, variants, seconds."""
    started = time.perf_counter()
    products = variants = 0
    async for product in client.bulk.pull_products():
        products += 1
        variants += len(product.variants)
    return products, variants, time.perf_counter() - started


async def paged_workload(client: ShopifyClient, seconds: float, workers: int) -> tuple[int, int]:
    """Page through products from `workers` tasks until time is up; return pages, surfaced."""
    stop = time.monotonic() + seconds
    pages = surfaced = 0

    async def worker() -> None:
        nonlocal pages, surfaced
        while time.monotonic() < stop:
            try:
                async for _ in client.products.search(page_size=5, variants_per_product=10):
                    pages += 1  # counts products; divided below
                    if time.monotonic() >= stop:
                        return
            except ShopifyThrottledError:
                surfaced += 1

    await asyncio.gather(*(worker() for _ in range(workers)))
    return pages // 5, surfaced


async def run(url: str, products: int, seconds: float, workers: int) -> None:
    """Seed, pull, page, report."""
    control = SandboxControl(url, timeout=600)
    shop = control.create_shop(plan="standard")
    domain, ceiling = shop["domain"], float(shop["restore_rate"])
    app = control.create_app()
    token = control.issue_token(domain, app["client_id"])
    seeded_at = time.perf_counter()
    summary = control.seed(domain, products=products, variants_per_product=3, seed=1)
    print(
        f"seeded {summary['products']} products / {summary['variants']} variants "
        f"in {time.perf_counter() - seeded_at:.1f}s"
    )
    config = ShopifyConfig(base_url_template=control.shop_url_template(), timeout_seconds=120)
    registry = ThrottleRegistry()
    async with ShopifyClient(domain, token, config=config, throttle=registry) as client:
        pulled, variants, took = await bulk_pull(client)
        print(
            f"bulk pull: {pulled} products / {variants} variants in {took:.1f}s "
            f"({pulled / took:.0f} products/s)"
        )
        start_level = await bucket_level(client, registry, domain)
        start_log = len(control.requests(domain))
        started = time.perf_counter()
        pages, surfaced = await paged_workload(client, seconds, workers)
        elapsed = time.perf_counter() - started
        end_level = await bucket_level(client, registry, domain)
    log = control.requests(domain)[start_log:-1]  # the last entry is the closing probe
    control.close()
    actual = sum(entry["actual"] or 0 for entry in log)
    throttled = sum(1 for entry in log if entry.get("throttled"))
    # Points paid from the restore rate = consumed minus what the bucket itself gave up.
    sustained = (actual - (start_level - end_level)) / elapsed
    print(
        f"paged workload: {pages} pages, {len(log)} requests in {elapsed:.1f}s, {workers} workers"
    )
    print(
        f"points consumed: {actual} in {elapsed:.1f}s = {actual / elapsed:.1f} points/s raw "
        f"(bucket {start_level:.0f} -> {end_level:.0f} points)"
    )
    print(
        f"achieved cost rate: {sustained:.1f} points/s = {100 * sustained / ceiling:.1f}% "
        f"of the plan's {ceiling:.0f} points/s restore-rate ceiling"
    )
    print(
        f"THROTTLED responses from the sandbox: {throttled}; THROTTLED errors surfaced: {surfaced}"
    )


async def bucket_level(client: ShopifyClient, registry: ThrottleRegistry, shop: str) -> float:
    """The bucket level the server reports, read with a 1-point query."""
    await client.execute("{ shop { name } }", operation="probe")
    return registry.bucket(shop).available


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with sandbox_process() as url:
        asyncio.run(run(url, args.products, args.seconds, args.workers))


if __name__ == "__main__":
    main()
