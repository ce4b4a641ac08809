"""Shopify's mandatory privacy webhooks: a data report, a customer's redaction, the shop's
erasure after uninstall (in every service), and tokens gone as soon as the app is."""

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.linked_catalog import seed_linked_catalog
from connector_devstack.polling import poll
from connector_devstack.sandboxes import (
    SHOPIFY_CLIENT_ID,
    Merchant,
    Sandboxes,
    connect_merchant_sync,
)
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

PostWebhook = Callable[..., httpx.Response]
Json = dict[str, Any]


@pytest.fixture(scope="module")
def stack(
    gateway: ServiceProcess, start_module_service: Callable[..., ServiceProcess]
) -> ServiceProcess:
    """Every service that holds data, behind the module's gateway."""
    for name in ("catalog-sync", "inventory-guard", "price-promotions"):
        start_module_service(name)
    start_module_service("order-relay", order_timer_poll_seconds="0.2")
    return gateway


async def fetch(infra: Infra, sql: str, *args: Any) -> list[Json]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return [dict(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


def rows(infra: Infra, sql: str, *args: Any) -> list[Json]:
    return asyncio.run(fetch(infra, sql, *args))


@pytest.fixture(scope="module")
def relayed_order(
    infra: Infra, stack: ServiceProcess, merchant: Merchant, sandboxes: Sandboxes
) -> Json:
    """A paid TikTok order of the merchant, relayed into Shopify."""
    catalog = seed_linked_catalog(infra, sandboxes.shopify_url, merchant, variants=1, stock=5)
    variant = catalog.variants[0]
    line = {"sku_id": variant.tiktok_sku_id, "seller_sku": variant.sku, "price": variant.price}
    placed = httpx.post(
        f"{sandboxes.tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}/orders",
        json={"status": "AWAITING_SHIPMENT", "lines": [{**line, "product_name": "P"}]},
    ).raise_for_status()
    order_url = f"{stack.url}/api/v1/orders/{placed.json()['id']}"
    order: Json = poll(
        lambda: httpx.get(order_url).json(), lambda o: o.get("relay_state") == "relayed"
    )
    assert order["relay_state"] == "relayed", order
    return order


def rest_id(gid: str) -> int:
    return int(gid.rsplit("/", 1)[1])


def test_privacy_webhooks_with_a_bad_hmac_are_401(post_shopify: PostWebhook) -> None:
    for topic in ("customers/data_request", "customers/redact", "shop/redact"):
        answer = post_shopify(topic, b"{}", **{"X-Shopify-Hmac-Sha256": "bm90IGl0"})
        assert answer.status_code == 401


def test_a_data_request_is_answered_with_a_report_of_the_customers_orders(
    stack: ServiceProcess, relayed_order: Json, post_shopify: PostWebhook
) -> None:
    request_id = uuid.uuid4().int % 10**12
    body = {
        "shop_domain": "ignored.myshopify.com",
        "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
        "orders_requested": [rest_id(relayed_order["shopify_order_id"])],
        "data_request": {"id": request_id},
    }
    assert post_shopify("customers/data_request", json.dumps(body).encode()).status_code == 200
    url = f"{stack.url}/api/v1/order-privacy/{request_id}"
    report = poll(lambda: httpx.get(url), lambda r: r.status_code == 200).json()
    assert report["shopify_customer_id"] == "191167"
    [held] = report["orders"]
    assert held["tiktok_order_id"] == relayed_order["tiktok_order_id"]
    assert held["shopify_order_id"] == relayed_order["shopify_order_id"]
    assert held["total"] == relayed_order["total"]
    assert "john@example.com" not in json.dumps(report)  # never stored, so never reported


def test_a_malformed_data_request_is_400(post_shopify: PostWebhook) -> None:
    body = b'{"customer": {"id": "x"}, "orders_requested": 5, "data_request": {}}'
    assert post_shopify("customers/data_request", body).status_code == 400


def test_a_customer_redaction_erases_what_their_orders_say_beyond_ids(
    infra: Infra, relayed_order: Json, post_shopify: PostWebhook
) -> None:
    body = {
        "customer": {"id": 191167},
        "orders_to_redact": [rest_id(relayed_order["shopify_order_id"])],
    }
    assert post_shopify("customers/redact", json.dumps(body).encode()).status_code == 200
    sql = (
        "SELECT total, currency, shopify_order_name, relay_state,"
        " (SELECT count(*) FROM order_relay.order_history h"
        "  WHERE h.tiktok_order_id = o.tiktok_order_id) AS history"
        " FROM order_relay.orders o WHERE tiktok_order_id = $1"
    )
    found = poll(
        lambda: rows(infra, sql, relayed_order["tiktok_order_id"]),
        lambda r: bool(r) and r[0]["total"] is None,
    )
    assert found == [
        {
            "total": None,
            "currency": None,
            "shopify_order_name": None,
            "relay_state": "relayed",
            "history": 0,
        }
    ]


def connection_rows(infra: Infra, connection_id: str) -> dict[str, list[Json]]:
    return {
        schema: rows(
            infra,
            f"SELECT status, shopify_access_token, tiktok_access_token FROM {schema}.connections"
            " WHERE connection_id = $1",
            connection_id,
        )
        for schema in (
            "gateway",
            "catalog_sync",
            "order_relay",
            "inventory_guard",
            "price_promotions",
        )
    }


def test_uninstall_deletes_tokens_and_shop_redact_erases_the_shop_everywhere(
    infra: Infra,
    stack: ServiceProcess,
    merchant: Merchant,
    sandboxes: Sandboxes,
    relayed_order: Json,
    post_shopify: PostWebhook,
) -> None:
    cid = merchant.connection_id
    httpx.post(
        f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/uninstall",
        json={"client_id": SHOPIFY_CLIENT_ID},
    ).raise_for_status()
    tokenless = [
        {"status": "disconnected", "shopify_access_token": None, "tiktok_access_token": None}
    ]
    replicas = poll(
        lambda: connection_rows(infra, cid), lambda r: all(v == tokenless for v in r.values())
    )
    assert all(v == tokenless for v in replicas.values()), replicas
    secrets = rows(infra, "SELECT * FROM gateway.connection_secrets WHERE connection_id = $1", cid)
    assert [(s["shopify_refresh_token"], s["tiktok_refresh_token"]) for s in secrets] == [
        (None, None)
    ]

    # 48 hours later Shopify sends shop/redact.
    assert post_shopify("shop/redact", b'{"shop_id": 1}').status_code == 200
    erased = poll(lambda: connection_rows(infra, cid), lambda r: not any(r.values()))
    assert not any(erased.values()), erased
    held = [
        rows(infra, f"SELECT 1 FROM {table} WHERE connection_id = $1", cid)
        for table in (
            "order_relay.orders",
            "catalog_sync.products",
            "catalog_sync.catalog_settings",
            "catalog_sync.catalog_region_settings",
            "catalog_sync.local_listings",
        )
    ]
    assert held == [[], [], [], [], []]
    assert (
        rows(infra, "SELECT 1 FROM gateway.connection_secrets WHERE connection_id = $1", cid) == []
    )
    assert httpx.get(f"{stack.url}/api/v1/connections/{cid}").status_code == 404


def test_the_shopify_sandbox_refuses_an_unregistered_redirect_uri(sandboxes: Sandboxes) -> None:
    shop = f"redirect-{uuid.uuid4().hex[:8]}.myshopify.com"
    httpx.post(f"{sandboxes.shopify_url}/_sandbox/shops", json={"domain": shop}).raise_for_status()
    answer = httpx.get(
        f"{sandboxes.shopify_url}/shops/{shop}/admin/oauth/authorize",
        params={"client_id": SHOPIFY_CLIENT_ID, "redirect_uri": "https://evil.example/cb"},
    )
    assert answer.status_code == 400
    assert "redirect_uri" in answer.json()["errors"]


def test_a_tiktok_deauthorization_deletes_the_tokens(
    infra: Infra,
    stack: ServiceProcess,
    sandboxes: Sandboxes,
    post_tiktok: PostWebhook,
) -> None:
    suffix = uuid.uuid4().hex[:8]
    other = connect_merchant_sync(
        stack.url,
        sandboxes,
        name=f"Deauth {suffix}",
        shopify_shop_domain=f"deauth-{suffix}.myshopify.com",
    )
    body = {
        "type": 6,
        "tts_notification_id": str(uuid.uuid4()),
        "shop_id": other.tiktok_shop_id,
        "timestamp": 1_750_000_000,
        "data": {"message": "seller deauthorized the app"},
    }
    assert post_tiktok(json.dumps(body).encode()).status_code == 200
    tokenless = [
        {"status": "disconnected", "shopify_access_token": None, "tiktok_access_token": None}
    ]
    replicas = poll(
        lambda: connection_rows(infra, other.connection_id),
        lambda r: all(v == tokenless for v in r.values()),
    )
    assert all(v == tokenless for v in replicas.values()), replicas
