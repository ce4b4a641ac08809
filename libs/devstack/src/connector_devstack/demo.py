"""The merchant journey on embedded defaults, narrated: what `make demo` shows.

So far the journey is the walking skeleton: connect a shop, receive TikTok order webhooks
(paid, unpaid, duplicated), and watch the order read model.
"""

import json
import tempfile
import time
from pathlib import Path

import httpx
from tiktok_shop.signing import webhook_signature

from connector_devstack.stack import start_stack

APP_KEY, APP_SECRET = "sandbox-app-key", "sandbox-app-secret"
SHOP_ID = "7495540735365777507"


def say(text: str) -> None:
    """Print one narrated step."""
    print(f"==> {text}", flush=True)


def _order_webhook(order_id: str, status: str, notification: str) -> tuple[bytes, dict[str, str]]:
    now = int(time.time())
    body = json.dumps(
        {
            "type": 1,
            "tts_notification_id": notification,
            "shop_id": SHOP_ID,
            "timestamp": now,
            "data": {
                "order_id": order_id,
                "order_status": status,
                "is_on_hold_order": False,
                "update_time": now,
            },
        }
    ).encode()
    return body, {"Authorization": webhook_signature(APP_KEY, APP_SECRET, body)}


def _wait_for(http: httpx.Client, path: str, ready: str, timeout: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = http.get(path)
        if response.status_code == 200 and response.json().get(ready):
            result: dict[str, object] = response.json()
            return result
        time.sleep(0.2)
    raise TimeoutError(f"{path} did not show {ready} within {timeout}s")


def journey(gateway_url: str) -> None:
    """Drive the journey through the gateway's public HTTP API."""
    with httpx.Client(base_url=gateway_url, timeout=10) as http:
        say("Connect a Shopify store to a TikTok shop")
        conn = (
            http.post(
                "/api/v1/connections",
                json={
                    "name": "Demo store",
                    "shopify_shop_domain": "demo-store.myshopify.com",
                    "tiktok_shop_id": SHOP_ID,
                    "tiktok_region": "US",
                },
            )
            .raise_for_status()
            .json()
        )
        print(f"    connection {conn['connection_id']}")

        say("TikTok sends a paid order (AWAITING_SHIPMENT) -- three times, as its retries do")
        body, headers = _order_webhook("576653688135258178", "AWAITING_SHIPMENT", "n-1")
        for _ in range(3):
            print(
                f"    POST /webhooks/tiktok -> {http.post('/webhooks/tiktok', content=body, headers=headers).status_code}"
            )
        order = _wait_for(http, "/api/v1/orders/576653688135258178", "paid")
        print(
            f"    order {order['tiktok_order_id']}: status {order['status']}, paid, "
            f"applied {order['paid_events']} time(s)"
        )

        say("TikTok sends an unpaid order: it is tracked but never queued for Shopify")
        body, headers = _order_webhook("576653688135258999", "UNPAID", "n-2")
        http.post("/webhooks/tiktok", content=body, headers=headers).raise_for_status()
        order = _wait_for(http, "/api/v1/orders/576653688135258999", "status")
        print(
            f"    order {order['tiktok_order_id']}: status {order['status']}, paid={order['paid']}"
        )

        say("A forged webhook is refused")
        forged = http.post(
            "/webhooks/tiktok",
            content=body.replace(b"UNPAID", b"AWAITING_SHIPMENT"),
            headers=headers,
        )
        print(f"    tampered body -> HTTP {forged.status_code}")

        page = http.get("/api/v1/orders").json()
        say(f"Orders by state: {page['counts']}")


def run_demo() -> int:
    """Start everything, run the journey, stop everything; logs go to a temporary folder."""
    log_dir = Path(tempfile.mkdtemp(prefix="connector-demo-"))
    say("Starting the Kafka-compatible broker, PostgreSQL and the five services")
    stack = start_stack(log_sink=None, log_dir=log_dir)
    try:
        say(stack.infra.describe())
        journey(stack.services["gateway"].url)
        say(f"Done. Service logs: {log_dir}")
        return 0
    finally:
        stack.stop()
