"""Benchmark: push products through TikTokShopClient into a QPS-limited sandbox subprocess.

Run: `uv run python tests/perf/bench_tiktok_push.py [--products 1000] [--qps 20] [--concurrency 32]`.
Prints the achieved create rate against the sandbox's ceiling and how many throttle errors the
client let surface (goal: >= 90 % of the ceiling, 0 surfaced). Not a pytest test.
"""

import argparse
import asyncio
import time
from dataclasses import dataclass

from connector_runtime.metrics import THROTTLE_WAITS, THROTTLED_RESPONSES
from connector_runtime.platform_metrics import install_platform_metrics
from tiktok_shop import RateLimited, TikTokShopClient
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import SandboxProcess
from tiktok_shop_sandbox.samples import sample_png, sample_product
from tiktok_shop_sandbox.settings import SandboxSettings

CREATE_API = "POST /product/202309/products"
CREATE_ENDPOINT = "products.create"


@dataclass
class Outcome:
    """What the push achieved."""

    created: int
    surfaced_throttles: int
    other_errors: int
    elapsed: float


async def push(client: TikTokShopClient, shop: ShopHandle, count: int, concurrency: int) -> Outcome:
    """Create `count` products with at most `concurrency` in flight."""
    image = (await client.catalog.upload_image(sample_png())).uri
    gate = asyncio.Semaphore(concurrency)
    outcome = Outcome(0, 0, 0, 0.0)

    async def create_one(n: int) -> None:
        product = sample_product(image, shop.warehouse_id, f"BENCH-{n:05d}").model_copy(
            update={"idempotency_key": f"bench-{n}"}
        )
        async with gate:
            try:
                await client.products.create(product)
                outcome.created += 1
            except RateLimited:
                outcome.surfaced_throttles += 1
            except Exception:
                outcome.other_errors += 1

    started = time.monotonic()
    await asyncio.gather(*(create_one(n) for n in range(count)))
    outcome.elapsed = time.monotonic() - started
    return outcome


async def run(products: int, qps: float, concurrency: int) -> None:
    """Start the sandbox, push, report."""
    install_platform_metrics()  # the counters read below are fed by the client's observer
    settings = SandboxSettings(qps_per_api={CREATE_API: qps}, audit_delay_seconds=3600)
    with SandboxProcess(settings) as base_url:
        async with SandboxControl(base_url) as control:
            shop = await control.new_shop()
        async with TikTokShopClient(
            app_key=shop.app_key,
            app_secret=shop.app_secret,
            access_token=shop.access_token,
            shop_cipher=shop.cipher,
            base_url=base_url,
            qps_per_endpoint={CREATE_ENDPOINT: qps},
        ) as client:
            outcome = await push(client, shop, products, concurrency)
    rate = outcome.created / outcome.elapsed
    throttled = THROTTLED_RESPONSES.labels(platform="tiktok", endpoint=CREATE_ENDPOINT)._value.get()
    waits = THROTTLE_WAITS.labels(platform="tiktok", endpoint=CREATE_ENDPOINT)._value.get()
    print(f"products created        : {outcome.created}/{products} in {outcome.elapsed:.1f} s")
    print(
        f"achieved create rate    : {rate:.2f} req/s vs ceiling {qps:g} QPS = {100 * rate / qps:.1f} %"
    )
    print(f"429s received (retried) : {throttled:.0f}")
    print(f"client throttle waits   : {waits:.0f}")
    print(f"throttle errors surfaced: {outcome.surfaced_throttles}")
    print(f"other errors            : {outcome.other_errors}")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--qps", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    asyncio.run(run(args.products, args.qps, args.concurrency))


if __name__ == "__main__":
    main()
