"""A gateway with a small pool and a connected merchant, and signed webhooks to send it."""

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from connector_devstack.sandboxes import (
    SHOPIFY_CLIENT_SECRET,
    TIKTOK_APP_KEY,
    TIKTOK_APP_SECRET,
    Merchant,
    Sandboxes,
    connect_merchant_sync,
)
from connector_devstack.services import ServiceProcess
from shopify import webhook_hmac
from tiktok_shop.signing import webhook_signature

PostWebhook = Callable[..., httpx.Response]


@pytest.fixture(scope="session")
def schemathesis_config() -> Path:
    """The edge suites' schemathesis settings (why each: in the file)."""
    return Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def gateway(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """A gateway whose stalled uploads would hold on forever but for the fix under test."""
    return start_module_service(
        "gateway",
        db_pool_size="3",
        db_acquire_timeout_seconds="1",
        http_body_timeout_seconds="600",
    )


@pytest.fixture(scope="module")
def merchant(gateway: ServiceProcess, sandboxes: Sandboxes) -> Merchant:
    """A merchant connected through the gateway."""
    suffix = uuid.uuid4().hex[:8]
    return connect_merchant_sync(
        gateway.url,
        sandboxes,
        name=f"Edge {suffix}",
        shopify_shop_domain=f"edge-{suffix}.myshopify.com",
    )


@pytest.fixture
def post_shopify(gateway: ServiceProcess, merchant: Merchant) -> PostWebhook:
    """POST a Shopify webhook signed with the app secret (a fresh webhook id by default)."""

    def post(topic: str, body: bytes, **headers: str) -> httpx.Response:
        return httpx.post(
            f"{gateway.url}/webhooks/shopify",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Shopify-Hmac-Sha256": webhook_hmac(body, SHOPIFY_CLIENT_SECRET),
                "X-Shopify-Topic": topic,
                "X-Shopify-Shop-Domain": merchant.shopify_shop_domain,
                "X-Shopify-Webhook-Id": str(uuid.uuid4()),
                **headers,
            },
            timeout=30,
        )

    return post


@pytest.fixture
def post_tiktok(gateway: ServiceProcess) -> PostWebhook:
    """POST a TikTok webhook signed with the app secret."""

    def post(body: bytes) -> httpx.Response:
        signature = webhook_signature(TIKTOK_APP_KEY, TIKTOK_APP_SECRET, body)
        return httpx.post(
            f"{gateway.url}/webhooks/tiktok",
            content=body,
            headers={"Content-Type": "application/json", "Authorization": signature},
            timeout=30,
        )

    return post
