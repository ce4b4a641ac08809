"""The merchant journey on embedded defaults, narrated: what `make demo` shows."""

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tiktok_shop.signing import webhook_signature

from connector_devstack.accounts import PASSWORD, browser_headers, create_owner, login
from connector_devstack.sandboxes import (
    TIKTOK_APP_KEY,
    TIKTOK_APP_SECRET,
    Merchant,
    Sandboxes,
    connect_merchant_sync,
)
from connector_devstack.services import ServiceProcess
from connector_devstack.stack import start_stack

Json = dict[str, Any]
# The demo's calls to the gateway's API, with the owner's personal API token once logged in
# (the demo runs with login enforced, as production does).
API = httpx.Client(timeout=30)
OWNER_EMAIL = "owner@demo-store.example"


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


def log_in(gateway: ServiceProcess) -> None:
    """Create the first owner with the command line, log in, and make a personal API token
    for the rest of the journey."""
    say("Create the first owner (python -m gateway create-owner) and log in")
    created = create_owner(gateway, OWNER_EMAIL)
    if created.returncode != 0:
        raise RuntimeError(f"create-owner failed: {created.stderr.strip()}")
    detail(created.stdout.strip())
    refused = API.get(f"{gateway.url}/api/v1/connections")
    detail(f"without a login the API answers {refused.status_code}")
    browser = browser_headers(login(gateway, OWNER_EMAIL))
    made = API.post(
        f"{gateway.url}/api/v1/auth/tokens", json={"name": "demo"}, headers=browser
    ).raise_for_status()
    API.headers["Authorization"] = f"Bearer {made.json()['token']}"
    me = API.get(f"{gateway.url}/api/v1/auth/me").raise_for_status().json()
    detail(f"logged in as {me['email']} ({me['role']}), account {me['account_id']}")
    detail("the API calls below send the owner's personal API token")


def connect(gateway: str, sandboxes: Sandboxes) -> Merchant:
    """Connect a Shopify store and a TikTok shop through OAuth."""
    say("Connect a Shopify store and a TikTok Shop (OAuth on both sides)")
    merchant = connect_merchant_sync(
        gateway,
        sandboxes,
        headers=dict(API.headers),
        name="Demo store",
        shopify_shop_domain="demo-store.myshopify.com",
        region="US",
    )
    view = API.get(f"{gateway}/api/v1/connections/{merchant.connection_id}").json()
    detail(
        f"connection {view['connection_id']}: {view['status']}, Shopify "
        f"{view['shopify_shop_domain']}, TikTok shop {view['tiktok_shop_id']} ({view['tiktok_region']})"
    )
    return merchant


def catalog(gateway: str, sandboxes: Sandboxes, merchant: Merchant) -> None:
    """Pull the Shopify catalog, push it to TikTok, explain a failure, fix it, push again."""
    api = f"{gateway}/api/v1/catalog/{merchant.connection_id}"
    wait_for(lambda: API.get(f"{api}/settings"), lambda _: True, "catalog-sync knowing the shop")
    seeded = _seed_store(sandboxes, merchant)
    say(
        f"The Shopify store has {len(seeded.get('product_ids', [])) or 12} products; set a default "
        "package weight for the store"
    )
    API.put(f"{api}/settings", json={"listing": {"package": {"weight": 1}}}).raise_for_status()

    say("Pull products from Shopify (one bulk operation)")
    pull = {"updated_from": "2020-01-01T00:00:00Z"}
    task = _run_task(gateway, f"{api}/pull", pull, "the pull")
    detail(f"pull task {task['status']}: {task.get('done')} of {task.get('total')} products")
    for category in API.get(f"{api}/categories").json()[:4]:
        m = category["mapping"]
        detail(
            f"category {m['source_key']!r} -> TikTok {m.get('tiktok_category_name')} ({m['origin']})"
        )

    say("Push every product to TikTok Shop")
    _run_task(gateway, f"{api}/push", {"all_products": True}, "the push")
    failed = API.get(f"{api}/products", params={"status": "sync_failed"}).json()
    counts = failed["counts"]
    detail(f"synced {counts.get('synced', 0)}, failed {counts.get('sync_failed', 0)}")
    for product in failed["products"][:2]:
        detail(f"{product['title'][:40]!r}: {product.get('reason')}")

    say(
        "Fix it the way the reason says (fill the Candle category's required attribute), push again"
    )
    API.put(
        f"{api}/categories/Candle",
        json={"listing": {"attributes": [{"attribute_id": "101001", "value_ids": ["1010012"]}]}},
    ).raise_for_status()
    repush = {"all_products": True, "status": "sync_failed"}
    _run_task(gateway, f"{api}/push", repush, "the re-push")
    counts = API.get(f"{api}/products", params={"limit": 1}).json()["counts"]
    detail(f"synced {counts.get('synced', 0)}, failed {counts.get('sync_failed', 0)}")


def _seed_store(sandboxes: Sandboxes, merchant: Merchant) -> Json:
    """Twelve defect-free products of two categories in the merchant's Shopify store."""
    seeded: Json = (
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
    return seeded


def _run_task(gateway: str, url: str, body: Json, what: str) -> Json:
    """Start a catalog task at `url` and wait until it is no longer running."""
    task_id = API.post(url, json=body).raise_for_status().json()["task_id"]
    return wait_for(
        lambda: API.get(f"{gateway}/api/v1/catalog/tasks/{task_id}"),
        lambda t: t["status"] != "running",
        what,
        timeout=240,
    )


UPS = "6617675021119438850"  # the TikTok sandbox's UPS shipping provider


def orders(gateway: str, sandboxes: Sandboxes, merchant: Merchant) -> None:
    """A paid TikTok order lands in Shopify once; its Shopify fulfilment ships it on TikTok."""
    catalog_api = f"{gateway}/api/v1/catalog/{merchant.connection_id}"
    synced = API.get(f"{catalog_api}/products", params={"status": "synced", "limit": 1}).json()
    sku = synced["products"][0]["variants"][0]["sku"]
    API.put(
        f"{gateway}/api/v1/order-settings/{merchant.connection_id}",
        json={"shipping_provider_map": {"UPS": UPS}},
    ).raise_for_status()
    paid_id = _paid_order(gateway, sandboxes, merchant, sku)
    shopify_order = _replayed_notification(gateway, sandboxes, merchant, paid_id)
    _fulfilled_in_shopify(gateway, sandboxes, merchant, paid_id, shopify_order)
    _unpaid_order(gateway, sandboxes, merchant, sku)
    _forged_webhook(gateway, merchant)


def _tiktok_control(sandboxes: Sandboxes) -> str:
    return f"{sandboxes.tiktok_url}/_sandbox"


def _shopify_control(sandboxes: Sandboxes, merchant: Merchant) -> str:
    return f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"


def _paid_order(gateway: str, sandboxes: Sandboxes, merchant: Merchant, sku: str) -> str:
    """A buyer pays on TikTok; the order reaches Shopify. Returns the TikTok order id."""
    say(f"A buyer pays on TikTok Shop for 2 x {sku} (the sandbox sends the signed webhook)")
    paid = (
        httpx.post(
            f"{_tiktok_control(sandboxes)}/shops/{merchant.tiktok_shop_id}/orders",
            json={
                "status": "AWAITING_SHIPMENT",
                "lines": [{"seller_sku": sku, "quantity": 2}],
                "shipping_fee": "4.99",
            },
        )
        .raise_for_status()
        .json()
    )
    order = wait_for(
        lambda: API.get(f"{gateway}/api/v1/orders/{paid['id']}"),
        lambda o: o.get("relay_state") in ("relayed", "failed"),
        "the order reaching Shopify",
    )
    detail(
        f"TikTok order {order['tiktok_order_id']} -> Shopify order {order['shopify_order_name']} "
        f"({order['relay_state']}, total {order['total']} {order['currency']}, "
        f"attempts {order['relay_attempts']}) {order['failure_reason'] or ''}"
    )
    paid_id: str = paid["id"]
    return paid_id


def _replayed_notification(
    gateway: str, sandboxes: Sandboxes, merchant: Merchant, paid_id: str
) -> Json:
    """TikTok delivers the order's notification twice more; returns the one Shopify order."""
    say("TikTok delivers the same notification twice more: still exactly one Shopify order")
    deliveries = httpx.get(
        f"{_tiktok_control(sandboxes)}/webhooks/deliveries",
        params={"shop_id": merchant.tiktok_shop_id},
    ).json()["deliveries"]
    notification = next(
        d["body"] for d in deliveries if d["body"].get("data", {}).get("order_id") == paid_id
    )
    raw = json.dumps(notification).encode()
    for _ in range(2):
        replay = httpx.post(
            f"{gateway}/webhooks/tiktok",
            content=raw,
            headers={"Authorization": webhook_signature(TIKTOK_APP_KEY, TIKTOK_APP_SECRET, raw)},
        )
        detail(
            f"replayed notification {notification['tts_notification_id']} -> HTTP {replay.status_code}"
        )
    time.sleep(2)  # give a wrong second order time to appear before counting
    shopify_orders = [
        o
        for o in httpx.get(f"{_shopify_control(sandboxes, merchant)}/orders").json()
        if o["source_identifier"] == paid_id
    ]
    detail(f"Shopify orders for {paid_id}: {len(shopify_orders)}")
    first: Json = shopify_orders[0]
    return first


def _fulfilled_in_shopify(
    gateway: str, sandboxes: Sandboxes, merchant: Merchant, paid_id: str, shopify_order: Json
) -> None:
    """The merchant fulfils the order in Shopify; the tracking reaches TikTok."""
    say("The merchant fulfils it in Shopify with UPS tracking: TikTok ships the package")
    httpx.post(
        f"{_shopify_control(sandboxes, merchant)}/orders/fulfil",
        json={
            "order_id": shopify_order["admin_graphql_api_id"],
            "tracking_company": "UPS",
            "tracking_number": "1Z999AA10123456784",
        },
    ).raise_for_status()
    wait_for(
        lambda: API.get(f"{gateway}/api/v1/orders/{paid_id}"),
        lambda o: o.get("fulfillment_status") == "fulfilled" or bool(o.get("fulfillment_error")),
        "the shipment reaching TikTok",
    )
    on_tiktok = httpx.get(f"{_tiktok_control(sandboxes)}/orders/{paid_id}").json()
    detail(
        f"TikTok order status {on_tiktok['status']}, tracking "
        f"{sorted({line['tracking_number'] for line in on_tiktok['line_items']})}"
    )


def _unpaid_order(gateway: str, sandboxes: Sandboxes, merchant: Merchant, sku: str) -> None:
    """An unpaid TikTok order is tracked and never sent to Shopify."""
    say("Another buyer has not paid: the order is tracked and never sent to Shopify")
    unpaid = (
        httpx.post(
            f"{_tiktok_control(sandboxes)}/shops/{merchant.tiktok_shop_id}/orders",
            json={"status": "UNPAID", "lines": [{"seller_sku": sku, "quantity": 1}]},
        )
        .raise_for_status()
        .json()
    )
    order = wait_for(
        lambda: API.get(f"{gateway}/api/v1/orders/{unpaid['id']}"),
        lambda o: o.get("status") == "UNPAID",
        "the unpaid order reaching the connector",
    )
    detail(f"order {order['tiktok_order_id']}: {order['status']}, relay {order['relay_state']}")


def _forged_webhook(gateway: str, merchant: Merchant) -> None:
    """A webhook with a bad signature is refused; then the orders by state."""
    say("A forged webhook is refused")
    forged = httpx.post(
        f"{gateway}/webhooks/tiktok", content=b'{"type":1}', headers={"Authorization": "0" * 64}
    )
    detail(f"bad signature -> HTTP {forged.status_code}")
    counts = API.get(
        f"{gateway}/api/v1/orders", params={"connection_id": merchant.connection_id}
    ).json()["counts"]
    say(f"Orders by state: {counts}")


def console(gateway: str) -> None:
    """Where a merchant would go next: the console the gateway serves, and the demo's login."""
    page = httpx.get(f"{gateway}/", timeout=30)
    served = page.status_code == 200 and '<div id="app">' in page.text
    say(f"Merchant console: {gateway}/ ({'served' if served else 'not built: run make console'})")
    detail(f"log in as {OWNER_EMAIL} with password {PASSWORD!r}; it stops with the demo,")
    detail("`make up` keeps a stack running (development mode: one account, no login)")


def run_demo() -> int:
    """Start everything, run the journey, stop everything; logs go to a temporary folder."""
    log_dir = Path(tempfile.mkdtemp(prefix="connector-demo-"))
    say(
        "Starting the Kafka-compatible broker, PostgreSQL, both platform sandboxes and the "
        "five services"
    )
    stack = start_stack(log_sink=None, log_dir=log_dir, extra_env={"GATEWAY_REQUIRE_LOGIN": "true"})
    try:
        detail(stack.infra.describe())
        detail(
            f"sandboxes: TikTok Shop {stack.sandboxes.tiktok_url}, "
            f"Shopify {stack.sandboxes.shopify_url}"
        )
        log_in(stack.services["gateway"])
        gateway = stack.services["gateway"].url
        merchant = connect(gateway, stack.sandboxes)
        catalog(gateway, stack.sandboxes, merchant)
        orders(gateway, stack.sandboxes, merchant)
        console(gateway)
        say(f"Done. Service logs: {log_dir}")
        return 0
    finally:
        stack.stop()
