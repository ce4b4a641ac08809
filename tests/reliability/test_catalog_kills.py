"""Fault experiment on catalog-sync: SIGKILLed twice during a 200-product push, restarted each
time. The push must still end with one TikTok product per Shopify product (none missing, none
created twice by a chunk replayed after a kill) and no dead letters for the merchant.
"""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from connector_devstack.ledger import dead_letters, product_ledger
from connector_devstack.polling import poll
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

PRODUCTS = 200
# catalog-sync paces its own product creation to 8/s, so the push lasts ~25 s and both kills
# land inside it; small chunks give the kills chunks in flight to interrupt.
CATALOG_ENV = {
    "catalog_image_placeholder": "true",
    "catalog_push_chunk_size": "25",
    "tiktok_qps_per_endpoint": '{"products.create": 8}',
}
CLEAN_JARS = {
    "products": PRODUCTS,
    "variants_per_product": 2,
    "product_types": ["Storage Jar"],
    "stock_min": 1,
    "stock_max": 9,
    "missing_product_type_ratio": 0,
    "missing_images_ratio": 0,
    "long_title_ratio": 0,
    "duplicate_sku_ratio": 0,
    "seed": 11,
}


def task(gateway: ServiceProcess, task_id: str) -> dict[str, Any]:
    """A catalog task as the API shows it."""
    url = f"{gateway.url}/api/v1/catalog/tasks/{task_id}"
    return httpx.get(url, timeout=30).raise_for_status().json()  # type: ignore[no-any-return]


def pulled_catalog(gateway: ServiceProcess, sandboxes: Sandboxes, merchant: Merchant) -> str:
    """Seed and pull the merchant's catalog; the connection's catalog API URL."""
    api = f"{gateway.url}/api/v1/catalog/{merchant.connection_id}"
    poll(lambda: httpx.get(f"{api}/settings").status_code, lambda s: s == 200, 60)
    shop = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    httpx.post(f"{shop}/seed", json=CLEAN_JARS, timeout=120).raise_for_status()
    package = {"weight": 1, "length": 20, "width": 15, "height": 5}
    httpx.put(f"{api}/settings", json={"listing": {"package": package}}).raise_for_status()
    pull = httpx.post(f"{api}/pull", json={}, timeout=60).raise_for_status().json()
    pulled = poll(lambda: task(gateway, pull["task_id"]), lambda t: t["status"] != "running", 240)
    assert (pulled["status"], pulled["done"]) == ("completed", PRODUCTS), pulled
    return api


def test_a_push_survives_two_catalog_sync_sigkills_with_one_tiktok_product_each(
    start_module_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
    sandboxes: Sandboxes,
    infra: Any,
) -> None:
    gateway = start_module_service("gateway")
    catalog = start_module_service("catalog-sync", **CATALOG_ENV)
    merchant = connect_merchant(gateway)
    api = pulled_catalog(gateway, sandboxes, merchant)

    push = httpx.post(f"{api}/push", json={"all_products": True}, timeout=60)
    task_id = push.raise_for_status().json()["task_id"]
    done_at_kill = []
    for point in (40, 120):
        done = poll(lambda: task(gateway, task_id)["done"], lambda n, at=point: n >= at, 240)
        catalog.kill()
        done_at_kill.append(done)
        catalog.start(timeout=120)
    pushed = poll(lambda: task(gateway, task_id), lambda t: t["status"] != "running", 300)

    ledger = product_ledger(sandboxes.shopify_url, sandboxes.tiktok_url, merchant)
    letters = dead_letters(infra)
    label = "catalog-sync SIGKILLed twice in a push"
    print(f"\n[{label}] killed at {done_at_kill} of {PRODUCTS} products done; task: {pushed}")
    print(f"[{label}] ledger: {ledger.line()}")
    print(f"[{label}] dead letters on the run's topics: {len(letters)}")
    for letter in letters:
        print(f"[{label}]   {letter.line()[:400]}")
    assert catalog.starts == 3
    assert all(done < PRODUCTS for done in done_at_kill), "a kill landed after the push"
    assert (pushed["status"], pushed["done"], pushed["failed"]) == ("completed", PRODUCTS, 0)
    assert ledger.balanced, (ledger.unlisted[:5], ledger.duplicated[:5])
    assert ledger.tiktok_products == ledger.shopify_products == PRODUCTS
    assert [d for d in letters if d.connection_id == merchant.connection_id] == []
