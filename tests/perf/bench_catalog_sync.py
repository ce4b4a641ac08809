"""Benchmark: catalog-sync pulls 10,000 products / 50,000 variants and pushes 1,000 products.

Run: `uv run python tests/perf/bench_catalog_sync.py [--products 10000] [--variants 5]
[--push 1000] [--create-qps 20]`. Starts the broker, PostgreSQL, both sandboxes, the gateway
and catalog-sync as processes, connects a merchant through OAuth, then drives the public API.
Prints each phase's time next to the rate-limit floor for the same work, and the throttle
errors that surfaced (goal: <= 1.1x the floor, 0 surfaced). Not a pytest test.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from connector_devstack.infra import start_infra
from connector_devstack.ports import free_port
from connector_devstack.sandboxes import SHOPIFY_CLIENT_ID, connect_merchant_sync, start_sandboxes
from connector_devstack.scraping import metric_value
from connector_devstack.services import SERVICES, ServiceProcess
from connector_devstack.wiring import DEVELOPMENT_MODE
from shopify import ShopifyClient, ShopifyConfig

CREATE_API = "POST /product/202309/products"
UPLOAD_API = "POST /product/202309/images/upload"
JARS = {
    "product_types": ["Storage Jar"],
    "missing_product_type_ratio": 0,
    "missing_images_ratio": 0,
    "long_title_ratio": 0,
    "duplicate_sku_ratio": 0,
    "stock_min": 1,
    "stock_max": 50,
}


def wait_task(api: str, task_id: str, timeout: float = 3600) -> dict[str, Any]:
    """Poll the task until it stops running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = httpx.get(f"{api}/tasks/{task_id}", timeout=30).json()
        if task["status"] != "running":
            return task  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise TimeoutError(task_id)


PROBE = (
    "query { products(first: 5) { nodes { id title variants(first: 5) { nodes { id sku price"
    " inventoryItem { id inventoryLevels(first: 2) { nodes { id quantities(names: "
    '["available"]) { name quantity } } } } } } } } }'
)


async def last_bulk_operation(shopify_url: str, shop: str, token: str) -> float:
    """The last bulk operation's platform time; then one page of a paged crawl (logged)."""
    config = ShopifyConfig(base_url_template=f"{shopify_url}/shops/{{shop}}")
    async with ShopifyClient(shop, token, config=config) as client:
        operation = await client.bulk.current()
        assert operation is not None
        await client.execute(PROBE, operation="probe")
    started = datetime.fromisoformat(str(operation.created_at))
    return (datetime.fromisoformat(str(operation.completed_at)) - started).total_seconds()


def bulk_window_and_paged_floor(shopify_url: str, shop: str, products: int) -> tuple[float, float]:
    """The bulk operation's platform time, and the floor of a page-by-page crawl instead."""
    token = httpx.post(
        f"{shopify_url}/_sandbox/shops/{shop}/tokens", json={"client_id": SHOPIFY_CLIENT_ID}
    ).json()["access_token"]
    window = asyncio.run(last_bulk_operation(shopify_url, shop, token))
    log = httpx.get(f"{shopify_url}/_sandbox/requests", params={"shop": shop}).json()
    probe = next(e for e in reversed(log) if "products" in e.get("operations", []))
    restore = float(httpx.get(f"{shopify_url}/_sandbox/shops/{shop}").json()["restore_rate"])
    return window, products / 5 * float(probe["actual"]) / restore


def start(name: str, env: dict[str, str], port: int, logs: Path) -> ServiceProcess:
    """One service process."""
    definition = next(s for s in SERVICES if s.name == name)
    proc = ServiceProcess(definition, env=env, port=port, log_file=logs / f"{name}.log")
    proc.start(timeout=120)
    return proc


def run(products: int, variants: int, push: int, create_qps: float) -> None:
    """Start everything, pull, push, report."""
    infra = start_infra(isolated=True)
    sandboxes = start_sandboxes()
    procs: list[ServiceProcess] = []
    logs = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    try:
        ports = {"gateway": free_port(), "catalog-sync": free_port()}
        urls = {
            f"{n.replace('-', '_').upper()}_URL": f"http://127.0.0.1:{p}" for n, p in ports.items()
        }
        env = {
            **infra.service_env(),
            **sandboxes.platform_env(),
            **urls,
            "PUBLIC_URL": urls["GATEWAY_URL"],
            **DEVELOPMENT_MODE,
            "LOG_LEVEL": "WARNING",
        }
        procs.append(start("gateway", env, ports["gateway"], logs))
        sandboxes.point_tiktok_webhooks_at(f"{procs[0].url}/webhooks/tiktok")
        catalog_env = env | {
            "CATALOG_IMAGE_PLACEHOLDER": "true",
            "TIKTOK_QPS_PER_ENDPOINT": f'{{"products.create": {create_qps}}}',
        }
        procs.append(start("catalog-sync", catalog_env, ports["catalog-sync"], logs))
        httpx.put(
            f"{sandboxes.tiktok_url}/_sandbox/qps",
            json={"default_qps": 50, "qps_per_api": {CREATE_API: create_qps}},
        ).raise_for_status()
        merchant = connect_merchant_sync(
            procs[0].url,
            sandboxes,
            name="Bench",
            region="US",
            shopify_shop_domain=f"bench-{free_port()}.myshopify.com",
        )
        api = f"{procs[0].url}/api/v1/catalog"
        conn = f"{api}/{merchant.connection_id}"
        while httpx.get(f"{conn}/settings").status_code != 200:
            time.sleep(0.2)
        seeded = time.perf_counter()
        summary = httpx.post(
            f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/seed",
            json={"products": products, "variants_per_product": variants, "seed": 3, **JARS},
            timeout=1200,
        ).json()
        print(
            f"seeded           : {summary['products']} products / {summary['variants']} variants "
            f"in {time.perf_counter() - seeded:.1f} s"
        )
        httpx.put(
            f"{conn}/settings", json={"listing": {"package": {"weight": 1}}}
        ).raise_for_status()

        started = time.perf_counter()
        task = httpx.post(f"{conn}/pull", json={}, timeout=60).json()
        pulled = wait_task(api, task["task_id"])
        pull_seconds = time.perf_counter() - started
        window, paged_floor = bulk_window_and_paged_floor(
            sandboxes.shopify_url, merchant.shopify_shop_domain, products
        )
        print(
            f"pull             : {pulled['done']}/{pulled['total']} products in {pull_seconds:.1f} s "
            f"({pulled['status']}); Shopify's bulk operation ran {window:.1f} s of it"
        )
        print(
            f"pull floor       : bulk queries are not cost-limited; a page-by-page crawl of the same "
            f"catalog would need >= {paged_floor:.0f} s at the plan's restore rate"
        )

        product_ids: list[str] = []
        while len(product_ids) < push:
            page = httpx.get(
                f"{conn}/products",
                params={"limit": min(500, push - len(product_ids)), "offset": len(product_ids)},
            ).json()
            product_ids += [p["shopify_product_id"] for p in page["products"]]
        started = time.perf_counter()
        task = httpx.post(f"{conn}/push", json={"product_ids": product_ids}, timeout=60).json()
        pushed = wait_task(api, task["task_id"])
        push_seconds = time.perf_counter() - started
        images = int(
            metric_value(
                procs[1].url,
                "connector_external_calls_total",
                endpoint="images.upload",
                status="200",
            )
        )
        floor = max(len(product_ids) / create_qps, images / 50)
        throttled = metric_value(
            procs[1].url, "connector_throttled_responses_total", platform="tiktok"
        )
        counts = httpx.get(f"{conn}/products", params={"limit": 1}).json()["counts"]
        failed = httpx.get(
            f"{conn}/products", params={"status": "sync_failed", "limit": 500}
        ).json()
        surfaced = sum(
            1
            for p in failed["products"]
            if "Too many requests" in (p["reason"] or "") or "36009002" in (p["reason"] or "")
        )
        print(
            f"push             : {pushed['done']} synced, {pushed['failed']} failed of {len(product_ids)} "
            f"in {push_seconds:.1f} s ({images} image uploads)"
        )
        print(
            f"push floor       : {floor:.1f} s ({len(product_ids)} creates at {create_qps:g} QPS, "
            f"{images} uploads at 50 QPS) -> {push_seconds / floor:.2f}x the floor"
        )
        print(f"429s retried     : {throttled:.0f}; throttle errors surfaced: {surfaced}")
        print(f"status counts    : {counts}")
    finally:
        for proc in reversed(procs):
            proc.stop()
        sandboxes.stop()
        infra.stop()
        print(f"service logs     : {logs}", file=sys.stderr)


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--variants", type=int, default=5)
    parser.add_argument("--push", type=int, default=1000)
    parser.add_argument("--create-qps", type=float, default=20.0)
    args = parser.parse_args()
    run(args.products, args.variants, args.push, args.create_qps)


if __name__ == "__main__":
    main()
