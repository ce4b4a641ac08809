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
        f"(applied {order['paid_events']} time)"
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
        orders(gateway, stack.sandboxes, merchant)
        say(f"Done. Service logs: {log_dir}")
        return 0
    finally:
        stack.stop()
