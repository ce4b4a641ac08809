"""Bad input is a 4xx that names the problem, never a 500 (each case a probe that once was)."""

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.identity import GatewayIdentity
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import SHOPIFY_CLIENT_SECRET, Merchant, Sandboxes
from connector_devstack.services import ServiceProcess
from shopify.oauth import callback_hmac

pytestmark = pytest.mark.e2e

PostWebhook = Callable[..., httpx.Response]
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def owners(
    gateway: ServiceProcess, merchant: Merchant, start_module_service: Callable[..., ServiceProcess]
) -> str:
    """order-relay and catalog-sync behind the gateway, with the merchant's replica; its id."""
    start_module_service("order-relay")
    catalog = start_module_service("catalog-sync")
    products = f"{catalog.url}/api/v1/catalog/{merchant.connection_id}/products"
    signed = GatewayIdentity([merchant.connection_id])
    assert poll(lambda: httpx.get(products, auth=signed).status_code, lambda s: s == 200) == 200
    return merchant.connection_id


def tiktok(merchant: Merchant, type_: int, data: Any, **envelope: Any) -> bytes:
    fields = {"type": type_, "shop_id": merchant.tiktok_shop_id, "timestamp": 1_750_000_000}
    return json.dumps(
        {**fields, "tts_notification_id": str(uuid.uuid4()), "data": data, **envelope}
    ).encode()


@pytest.mark.parametrize(
    "target",
    [
        "/api/v1/connections/%00",
        "/api/v1/connections?status=%00",
        "/oauth/shopify/callback?state=a%00b",
        "/oauth/tiktok/callback?code=%00&state=x",
        "/api/v1/orders?connection_id=%00",
        "/api/v1/catalog/%00/products",
        "/api/v1/orders/%0Aabc",  # a control character in a proxied path
    ],
)
def test_nul_and_control_characters_in_the_url_are_refused(
    gateway: ServiceProcess, target: str
) -> None:
    answer = httpx.get(f"{gateway.url}{target}")
    assert answer.status_code == 400
    assert "control character" in answer.json()["detail"]


def test_a_non_ascii_authorization_header_is_a_bad_signature(gateway: ServiceProcess) -> None:
    answer = httpx.post(
        f"{gateway.url}/webhooks/tiktok",
        content=b'{"type": 1}',
        headers={"Authorization": "sïgnature".encode()},
    )
    assert answer.status_code == 401


@pytest.mark.parametrize(
    "path",
    ["/api/v1/orders?offset={}", "/api/v1/catalog/{{}}/products?offset={}"],
)
def test_huge_offsets_are_refused_by_the_owning_service(
    gateway: ServiceProcess, owners: str, path: str
) -> None:
    url = gateway.url + path.format(10**20).replace("{}", owners)
    answer = httpx.get(url)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "offset"]


TIKTOK_SHAPES: list[tuple[int, Any, dict[str, Any]]] = [
    (1, {"order_id": "1", "order_status": "AWAITING_SHIPMENT", "update_time": 10**20}, {}),
    (1, {"order_id": "1", "order_status": "AWAITING_SHIPMENT"}, {"timestamp": 10**20}),
    (4, {"package_list": [{"package_id": "p", "order_id_list": 5}]}, {}),
    (4, {"package_list": ["x"]}, {}),
    (5, {"product_id": "1", "status": "LIVE", "update_time": 10**20}, {}),
    (11, {"order_id": "1" * 500, "cancel_status": "CANCELLATION_REQUEST_PENDING"}, {}),
    (12, {"order_id": "1", "return_id": "r", "return_status": 5, "update_time": -1}, {}),
    (1, "not an object", {}),
    (1, {"order_id": "a\u0000b", "order_status": "AWAITING_SHIPMENT"}, {}),
]


@pytest.mark.parametrize(("type_", "data", "envelope"), TIKTOK_SHAPES)
def test_signed_but_malformed_tiktok_webhooks_are_400(
    merchant: Merchant, post_tiktok: PostWebhook, type_: int, data: Any, envelope: dict[str, Any]
) -> None:
    answer = post_tiktok(tiktok(merchant, type_, data, **envelope))
    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_signed_tiktok_json_nested_100000_deep_is_400(post_tiktok: PostWebhook) -> None:
    answer = post_tiktok(DEEP.encode())
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["detail"]


SHOPIFY_SHAPES: list[tuple[str, bytes]] = [
    ("fulfillments/create", b'{"id": 1, "order_id": 2, "line_items": ["x"]}'),
    ("refunds/create", b'{"id": 1, "order_id": 2, "refund_line_items": 5}'),
    ("orders/cancelled", b'{"id": 1, "cancelled_at": "yesterday"}'),
    ("orders/cancelled", b"[1, 2]"),
    ("orders/cancelled", DEEP.encode()),
]


@pytest.mark.parametrize(("topic", "body"), SHOPIFY_SHAPES)
def test_signed_but_malformed_shopify_webhooks_are_400(
    post_shopify: PostWebhook, topic: str, body: bytes
) -> None:
    answer = post_shopify(topic, body)
    assert answer.status_code == 400
    assert "invalid Shopify webhook" in answer.json()["detail"]


def test_an_oversized_shopify_webhook_id_is_400(post_shopify: PostWebhook) -> None:
    answer = post_shopify("orders/create", b"{}", **{"X-Shopify-Webhook-Id": "w" * 20_000})
    assert answer.status_code == 400


async def receipts(infra: Infra) -> int:
    conn = await asyncpg.connect(infra.database_url)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM gateway.webhook_receipts WHERE platform = 'tiktok'"
        )
        return count
    finally:
        await conn.close()


def test_a_19_kb_webhook_without_notification_id_is_accepted_once(
    infra: Infra, merchant: Merchant, post_tiktok: PostWebhook
) -> None:
    data = {"product_id": "1729", "status": "LIVE", "padding": "x" * 19_000}
    body = tiktok(merchant, 5, data, tts_notification_id="")
    before = asyncio.run(receipts(infra))
    assert post_tiktok(body).status_code == 200
    assert post_tiktok(body).status_code == 200  # TikTok's retry: a duplicate
    assert asyncio.run(receipts(infra)) == before + 1


def test_a_shopify_oauth_callback_without_code_is_400_and_keeps_the_state(
    gateway: ServiceProcess, sandboxes: Sandboxes
) -> None:
    shop = f"nocode-{uuid.uuid4().hex[:8]}.myshopify.com"
    httpx.post(f"{sandboxes.shopify_url}/_sandbox/shops", json={"domain": shop}).raise_for_status()
    created = httpx.post(
        f"{gateway.url}/api/v1/connections",
        json={"name": "No code", "shopify_shop_domain": shop, "tiktok_region": "US"},
    ).json()
    callback = httpx.URL(httpx.get(created["shopify_authorize_url"]).headers["location"])
    params = {k: v for k, v in callback.params.items() if k not in ("code", "hmac")}
    signed = {**params, "hmac": callback_hmac(params, SHOPIFY_CLIENT_SECRET)}
    answer = httpx.get(f"{gateway.url}/oauth/shopify/callback", params=signed)
    assert answer.status_code == 400
    assert "`code`" in answer.json()["detail"]
    assert httpx.get(str(callback), timeout=30).status_code == 200


def test_a_brand_lookup_in_a_category_tiktok_rejects_is_422(
    gateway: ServiceProcess, owners: str
) -> None:
    answer = httpx.get(
        f"{gateway.url}/api/v1/catalog/{owners}/tiktok/brands",
        params={"category_id": "999999999"},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("TikTok Shop:")
