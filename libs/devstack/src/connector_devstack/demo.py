"""The merchant journey on embedded defaults, narrated: what `make demo` shows."""

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync
from connector_devstack.stack import start_stack

Json = dict[str, Any]


def say(text: str) -> None:
    """Print one narrated step."""
    print(f"==> {text}", flush=True)


def detail(text: str) -> None:
    """Print a detail under a step."""
    print(f"    {text}", flush=True)


def wait_for(
    fetch: Callable[[], httpx.Response],
    done: Callable[[Json], bool],
    what: str,
    timeout: float = 60,
) -> Json:
    """Poll an API until `done(json)`; TimeoutError names what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = fetch()
        if response.status_code == 200 and done(response.json()):
            result: Json = response.json()
            return result
        time.sleep(0.25)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")


def connect(gateway: str, sandboxes: Sandboxes) -> Merchant:
    """Connect a Shopify store and a TikTok shop through OAuth."""
    say("Connect a Shopify store and a TikTok Shop (OAuth on both sides)")
    merchant = connect_merchant_sync(
        gateway,
        sandboxes,
        name="Demo store",
        shopify_shop_domain="demo-store.myshopify.com",
        region="US",
    )
    view = httpx.get(f"{gateway}/api/v1/connections/{merchant.connection_id}").json()
    detail(
        f"connection {view['connection_id']}: {view['status']}, Shopify "
        f"{view['shopify_shop_domain']}, TikTok shop {view['tiktok_shop_id']} ({view['tiktok_region']})"
    )
    return merchant


def catalog(gateway: str, sandboxes: Sandboxes, merchant: Merchant) -> None:
    """Pull the Shopify catalog, push it to TikTok, explain a failure, fix it, push again."""
    api = f"{gateway}/api/v1/catalog/{merchant.connection_id}"
    wait_for(lambda: httpx.get(f"{api}/settings"), lambda _: True, "catalog-sync knowing the shop")
    seeded = (
        httpx.post(
            f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/seed",
            json={
                "products": 12,
                "variants_per_product": 2,
                "seed": 7,
                "product_types": ["Storage Jar", "Candle"],
                "missing_product_type_ratio": 0,
                "missing_images_ratio": 0,
                "long_title_ratio": 0,
                "duplicate_sku_ratio": 0,
            },
            timeout=60,
        )
        .raise_for_status()
        .json()
    )
    say(
        f"The Shopify store has {len(seeded.get('product_ids', [])) or 12} products; set a default "
        "package weight for the store"
    )
    httpx.put(f"{api}/settings", json={"listing": {"package": {"weight": 1}}}).raise_for_status()

    def run_task(path: str, body: Json, what: str) -> Json:
        task_id = httpx.post(f"{api}{path}", json=body).raise_for_status().json()["task_id"]
        return wait_for(
            lambda: httpx.get(f"{gateway}/api/v1/catalog/tasks/{task_id}"),
            lambda t: t["status"] != "running",
            what,
            timeout=240,
        )

    say("Pull products from Shopify (one bulk operation)")
    task = run_task("/pull", {"updated_from": "2020-01-01T00:00:00Z"}, "the pull")
    detail(f"pull task {task['status']}: {task.get('done')} of {task.get('total')} products")
    for category in httpx.get(f"{api}/categories").json()[:4]:
        m = category["mapping"]
        detail(
            f"category {m['source_key']!r} -> TikTok {m.get('tiktok_category_name')} ({m['origin']})"
        )

    say("Push every product to TikTok Shop")
    run_task("/push", {"all_products": True}, "the push")
    failed = httpx.get(f"{api}/products", params={"status": "sync_failed"}).json()
    counts = failed["counts"]
    detail(f"synced {counts.get('synced', 0)}, failed {counts.get('sync_failed', 0)}")
    for product in failed["products"][:2]:
        detail(f"{product['title'][:40]!r}: {product.get('reason')}")

    say(
        "Fix it the way the reason says (fill the Candle category's required attribute), push again"
    )
    httpx.put(
        f"{api}/categories/Candle",
        json={"listing": {"attributes": [{"attribute_id": "101001", "value_ids": ["1010012"]}]}},
    ).raise_for_status()
    run_task("/push", {"all_products": True, "status": "sync_failed"}, "the re-push")
    counts = httpx.get(f"{api}/products", params={"limit": 1}).json()["counts"]
    detail(f"synced {counts.get('synced', 0)}, failed {counts.get('sync_failed', 0)}")


def orders(gateway: str, sandboxes: Sandboxes, merchant: Merchant) -> None:
    """TikTok buyers place orders; the connector picks up the paid ones."""
    tiktok = f"{sandboxes.tiktok_url}/_sandbox"
    say("A buyer pays for an order on TikTok Shop (the sandbox sends the signed webhook)")
    paid = (
        httpx.post(
            f"{tiktok}/shops/{merchant.tiktok_shop_id}/orders",
            json={
                "status": "AWAITING_SHIPMENT",
                "lines": [{"sku_id": "1729592969712207099", "price": "25.00", "quantity": 1}],
                "shipping_fee": "4.99",
            },
        )
        .raise_for_status()
        .json()
    )
    order = wait_for(
        lambda: httpx.get(f"{gateway}/api/v1/orders/{paid['id']}"),
        lambda o: bool(o.get("paid")),
        "the paid order reaching the connector",
    )
    detail(
        f"order {order['tiktok_order_id']}: {order['status']}, queued for Shopify once "
        f"(relay: {order['relay_state']}{': ' + order['failure_reason'] if order['failure_reason'] else ''})"
    )

    say("Another buyer has not paid yet: the order is tracked, never sent to Shopify")
    unpaid = (
        httpx.post(
            f"{tiktok}/shops/{merchant.tiktok_shop_id}/orders",
            json={
                "status": "UNPAID",
                "lines": [{"sku_id": "1729592969712207099", "price": "9.00"}],
            },
        )
        .raise_for_status()
        .json()
    )
    order = wait_for(
        lambda: httpx.get(f"{gateway}/api/v1/orders/{unpaid['id']}"),
        lambda o: o.get("status") == "UNPAID",
        "the unpaid order reaching the connector",
    )
    detail(f"order {order['tiktok_order_id']}: {order['status']}, paid={order['paid']}")

    say("A forged webhook is refused")
    forged = httpx.post(
        f"{gateway}/webhooks/tiktok", content=b'{"type":1}', headers={"Authorization": "0" * 64}
    )
    detail(f"bad signature -> HTTP {forged.status_code}")
    counts = httpx.get(f"{gateway}/api/v1/orders").json()["counts"]
    say(f"Orders by state: {counts}")


def run_demo() -> int:
    """Start everything, run the journey, stop everything; logs go to a temporary folder."""
    log_dir = Path(tempfile.mkdtemp(prefix="connector-demo-"))
    say(
        "Starting the Kafka-compatible broker, PostgreSQL, both platform sandboxes and the "
        "five services"
    )
    stack = start_stack(log_sink=None, log_dir=log_dir)
    try:
        detail(stack.infra.describe())
        detail(
            f"sandboxes: TikTok Shop {stack.sandboxes.tiktok_url}, "
            f"Shopify {stack.sandboxes.shopify_url}"
        )
        gateway = stack.services["gateway"].url
        merchant = connect(gateway, stack.sandboxes)
        catalog(gateway, stack.sandboxes, merchant)
        orders(gateway, stack.sandboxes, merchant)
        say(f"Done. Service logs: {log_dir}")
        return 0
    finally:
        stack.stop()
