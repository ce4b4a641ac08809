"""Connecting a merchant: OAuth on both sides, replicas everywhere, refresh, uninstall."""

import asyncio
import uuid
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


def uninstalled_webhook(
    gateway: ServiceProcess, shop_domain: str, secret: str, webhook_id: str
) -> httpx.Response:
    """Post an app/uninstalled webhook for a store, signed with `secret`."""
    body = b'{"id": 1}'
    return httpx.post(
        f"{gateway.url}/webhooks/shopify",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": webhook_hmac(body, secret),
            "X-Shopify-Topic": "app/uninstalled",
            "X-Shopify-Shop-Domain": shop_domain,
            "X-Shopify-Webhook-Id": webhook_id,
        },
    )


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
    forged = uninstalled_webhook(gateway, merchant.shopify_shop_domain, "wrong-secret", "w-1")
    assert forged.status_code == 401
    unknown = uninstalled_webhook(gateway, "nobody.myshopify.com", SHOPIFY_CLIENT_SECRET, "w-2")
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


def test_a_store_connects_with_its_custom_apps_access_token(
    infra: Infra, start_service: Callable[..., ServiceProcess], sandboxes: Sandboxes
) -> None:
    """Guide, FAQ: "What's an APP key, APP secret, and Access Token?" — a store connected with
    its own custom app's token instead of OAuth: the token is tried on the store, kept sealed,
    the store's webhooks are registered and their custom-app signatures accepted."""
    gateway = start_service("gateway")
    domain = f"custom-{uuid.uuid4().hex[:8]}.myshopify.com"
    control = f"{sandboxes.shopify_url}/_sandbox"
    httpx.post(f"{control}/shops", json={"domain": domain, "plan": "standard"}).raise_for_status()
    app = httpx.post(f"{control}/apps", json={}).raise_for_status().json()
    token = (
        httpx.post(f"{control}/shops/{domain}/tokens", json={"client_id": app["client_id"]})
        .raise_for_status()
        .json()["access_token"]
    )
    created = httpx.post(
        f"{gateway.url}/api/v1/connections",
        json={"name": "Custom app store", "shopify_shop_domain": domain, "tiktok_region": "US"},
    )
    assert created.status_code == 201, created.text
    cid = created.json()["connection"]["connection_id"]
    url = f"{gateway.url}/api/v1/connections/{cid}/shopify-token"

    wrong = httpx.post(url, json={"access_token": "shpat_not-issued", "api_secret_key": "s"})
    assert wrong.status_code == 422, wrong.text
    assert f"Shopify refused this access token for {domain}" in wrong.json()["detail"]
    assert httpx.post(url, json={"access_token": token}).status_code == 422  # no secret key

    secret = app["client_secret"]
    done = httpx.post(url, json={"access_token": token, "api_secret_key": secret}, timeout=60)
    assert done.status_code == 200, done.text
    assert done.json()["shopify_authorized"] is True
    stored = asyncio.run(gateway_secrets(infra, cid))
    assert stored["shopify_webhook_secret"].startswith("gAAAA")  # sealed, not the secret
    assert stored["shopify_refresh_token"] is None  # a custom app's token is never refreshed

    # Shopify signs the custom app's webhooks with its secret: the gateway accepts them. The
    # merchant removes the custom app: its app/uninstalled disconnects the connection.
    forged = uninstalled_webhook(gateway, domain, "not-the-custom-secret", "custom-w-1")
    assert forged.status_code == 401
    httpx.post(
        f"{control}/shops/{domain}/uninstall", json={"client_id": app["client_id"]}
    ).raise_for_status()
    view = poll(
        lambda: httpx.get(f"{gateway.url}/api/v1/connections/{cid}").json(),
        lambda v: v["status"] == "disconnected",
    )
    assert view["shopify_authorized"] is False
    (delivery,) = httpx.get(
        f"{control}/webhooks/deliveries", params={"shop": domain, "topic": "app/uninstalled"}
    ).json()
    assert delivery["uri"] == f"{gateway.url}/webhooks/shopify"


async def gateway_secrets(infra: Infra, connection_id: str) -> dict[str, Any]:
    """The gateway's stored secrets of a connection."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        row = await conn.fetchrow(
            "SELECT * FROM gateway.connection_secrets WHERE connection_id = $1", connection_id
        )
        assert row is not None
        return dict(row)
    finally:
        await conn.close()
