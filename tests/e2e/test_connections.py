"""Connecting a merchant: OAuth on both sides, replicas everywhere, refresh, uninstall."""

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import SHOPIFY_CLIENT_SECRET, Merchant, Sandboxes
from connector_devstack.services import ServiceProcess
from shopify import webhook_hmac

pytestmark = pytest.mark.e2e


async def replica(infra: Infra, schema: str, connection_id: str) -> dict[str, Any] | None:
    """A service's stored copy of a connection."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        row = await conn.fetchrow(
            f"SELECT * FROM {schema}.connections WHERE connection_id = $1", connection_id
        )
        return dict(row) if row else None
    finally:
        await conn.close()


def test_connected_merchant_is_known_to_every_service_with_encrypted_tokens(
    infra: Infra,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    gateway = start_service("gateway")
    start_service("inventory-guard")
    merchant = connect_merchant(gateway, region="GB")
    view = httpx.get(f"{gateway.url}/api/v1/connections/{merchant.connection_id}").json()
    assert view["status"] == "active"
    assert view["tiktok_shop_id"] == merchant.tiktok_shop_id
    assert view["tiktok_region"] == "GB"

    row = poll(
        lambda: asyncio.run(replica(infra, "inventory_guard", merchant.connection_id)),
        lambda r: r is not None and r["status"] == "active",
    )
    assert row["tiktok_shop_cipher"] == merchant.tiktok_shop_cipher
    assert row["shopify_access_token"].startswith("gAAAA")  # Fernet token, not the secret
    assert row["tiktok_access_token"].startswith("gAAAA")


def test_forged_or_replayed_oauth_callbacks_are_refused(
    start_service: Callable[..., ServiceProcess],
    sandboxes: Sandboxes,
) -> None:
    gateway = start_service("gateway")
    httpx.post(
        f"{sandboxes.shopify_url}/_sandbox/shops",
        json={"domain": "forge.myshopify.com", "plan": "standard"},
    ).raise_for_status()
    created = httpx.post(
        f"{gateway.url}/api/v1/connections",
        json={"name": "F", "shopify_shop_domain": "forge.myshopify.com", "tiktok_region": "US"},
    ).json()
    approve = httpx.get(created["shopify_authorize_url"])  # sandbox answers 302 to our callback
    callback = httpx.URL(approve.headers["location"])
    tampered = callback.copy_set_param("shop", "other.myshopify.com")
    assert httpx.get(str(tampered)).status_code == 400
    assert httpx.get(str(callback)).status_code == 200
    replay = httpx.get(str(callback))
    assert replay.status_code == 400
    assert "state" in replay.json()["detail"]
    denied = httpx.get(
        f"{gateway.url}/oauth/tiktok/callback",
        params={"code": "null", "error": "auth_denied", "state": "x"},
    )
    assert denied.status_code == 400
    assert "auth_denied" in denied.json()["detail"]


def test_uninstalling_the_app_disconnects_and_forged_shopify_webhooks_are_refused(
    start_service: Callable[..., ServiceProcess],
    sandboxes: Sandboxes,
    connect_merchant: Callable[..., Merchant],
) -> None:
    gateway = start_service("gateway")
    merchant = connect_merchant(gateway)
    body = b'{"id": 1}'
    forged = httpx.post(
        f"{gateway.url}/webhooks/shopify",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": webhook_hmac(body, "wrong-secret"),
            "X-Shopify-Topic": "app/uninstalled",
            "X-Shopify-Shop-Domain": merchant.shopify_shop_domain,
            "X-Shopify-Webhook-Id": "w-1",
        },
    )
    assert forged.status_code == 401
    unsigned_ok = webhook_hmac(body, SHOPIFY_CLIENT_SECRET)
    unknown = httpx.post(
        f"{gateway.url}/webhooks/shopify",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": unsigned_ok,
            "X-Shopify-Topic": "app/uninstalled",
            "X-Shopify-Shop-Domain": "nobody.myshopify.com",
            "X-Shopify-Webhook-Id": "w-2",
        },
    )
    assert unknown.status_code == 404

    # The merchant uninstalls the app in Shopify: Shopify sends app/uninstalled.
    httpx.post(
        f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/uninstall",
        json={"client_id": "sandbox-client-id"},
    ).raise_for_status()
    view = poll(
        lambda: httpx.get(f"{gateway.url}/api/v1/connections/{merchant.connection_id}").json(),
        lambda v: v["status"] == "disconnected",
    )
    assert view["status"] == "disconnected"


def test_tokens_are_refreshed_before_they_expire_and_published(
    infra: Infra,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    # A lead time longer than the tokens' life makes every token due at once.
    gateway = start_service(
        "gateway",
        token_refresh_interval_seconds="1",
        token_refresh_ahead_seconds=str(10 * 365 * 86400),
    )
    merchant = connect_merchant(gateway)
    first = asyncio.run(replica(infra, "gateway", merchant.connection_id))
    assert first is not None
    later = poll(
        lambda: asyncio.run(replica(infra, "gateway", merchant.connection_id)),
        lambda r: r["revision"] > first["revision"] + 2,
    )
    assert later["tiktok_access_token"] != first["tiktok_access_token"]
    assert later["status"] == "active"
