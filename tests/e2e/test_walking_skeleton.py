"""The walking skeleton through real processes: webhook -> Kafka -> order-relay -> read model."""

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import Merchant
from connector_devstack.scraping import metric_value
from connector_devstack.services import ServiceProcess
from connector_devstack.topics import produce, read_all
from tiktok_shop.signing import webhook_signature

pytestmark = pytest.mark.e2e

APP_KEY, APP_SECRET = "sandbox-app-key", "sandbox-app-secret"


def signed_order_webhook(
    shop_id: str, order_id: str, status: str, notification: str, update_time: int = 1_760_000_000
) -> tuple[bytes, dict[str, str]]:
    """A TikTok ORDER_STATUS_CHANGE webhook body and its headers, signed like TikTok does."""
    body = json.dumps(
        {
            "type": 1,
            "tts_notification_id": notification,
            "shop_id": shop_id,
            "timestamp": update_time,
            "data": {
                "order_id": order_id,
                "order_status": status,
                "is_on_hold_order": False,
                "update_time": update_time,
            },
        },
        separators=(",", ":"),
    ).encode()
    return body, {
        "Authorization": webhook_signature(APP_KEY, APP_SECRET, body),
        "Content-Type": "application/json",
    }


def test_paid_order_webhook_reaches_the_read_model_once(
    start_service: Callable[..., ServiceProcess], connect_merchant: Callable[..., Merchant]
) -> None:
    gateway = start_service("gateway")
    start_service("order-relay")
    merchant = connect_merchant(gateway)
    body, headers = signed_order_webhook(
        merchant.tiktok_shop_id, "576653688135258178", "AWAITING_SHIPMENT", "n-1"
    )
    for _ in range(3):  # TikTok retries: the same notification three times
        assert (
            httpx.post(f"{gateway.url}/webhooks/tiktok", content=body, headers=headers).status_code
            == 200
        )

    # The order is unknown to the TikTok sandbox, so the relay (once) records why it failed.
    order = poll(
        lambda: httpx.get(f"{gateway.url}/api/v1/orders/576653688135258178"),
        lambda r: r.status_code == 200 and r.json()["relay_attempts"] >= 1,
    )
    assert order.json()["paid"] is True
    assert order.json()["paid_source"] == "webhook"
    assert order.json()["relay_attempts"] == 1  # three deliveries, one relay
    assert order.json()["connection_id"] == merchant.connection_id
    page = httpx.get(
        f"{gateway.url}/api/v1/orders", params={"connection_id": merchant.connection_id}
    ).json()
    assert page["counts"]["total"] == 1


def test_unpaid_order_is_shown_but_never_paid(
    start_service: Callable[..., ServiceProcess], connect_merchant: Callable[..., Merchant]
) -> None:
    gateway = start_service("gateway")
    start_service("order-relay")
    merchant = connect_merchant(gateway, region="GB")
    body, headers = signed_order_webhook(merchant.tiktok_shop_id, "900", "UNPAID", "n-unpaid")
    assert (
        httpx.post(f"{gateway.url}/webhooks/tiktok", content=body, headers=headers).status_code
        == 200
    )
    order = poll(
        lambda: httpx.get(f"{gateway.url}/api/v1/orders/900"), lambda r: r.status_code == 200
    )
    assert order.json()["status"] == "UNPAID"
    assert order.json()["paid"] is False
    assert order.json()["shopify_order_id"] is None


def test_bad_requests_get_a_4xx_naming_the_problem_and_are_counted(
    start_service: Callable[..., ServiceProcess],
) -> None:
    gateway = start_service("gateway")
    bad_domain = httpx.post(
        f"{gateway.url}/api/v1/connections",
        json={
            "name": "X",
            "shopify_shop_domain": "not a shop",
            "tiktok_region": "US",
        },
    )
    assert bad_domain.status_code == 422
    assert "shopify_shop_domain" in bad_domain.text

    body, headers = signed_order_webhook("1", "2", "AWAITING_SHIPMENT", "n-x")
    tampered = body.replace(b"AWAITING_SHIPMENT", b"UNPAID")
    assert (
        httpx.post(f"{gateway.url}/webhooks/tiktok", content=tampered, headers=headers).status_code
        == 401
    )

    garbage = b'{"type":1,"shop_id":"1","timestamp":1,"data":{"order_status":"PAID?"}}'
    signed = {"Authorization": webhook_signature(APP_KEY, APP_SECRET, garbage)}
    rejected = httpx.post(f"{gateway.url}/webhooks/tiktok", content=garbage, headers=signed)
    assert rejected.status_code == 400
    assert "order_id" in rejected.json()["detail"]

    assert metric_value(gateway.url, "connector_http_requests_rejected_total", status="422") >= 1
    assert metric_value(gateway.url, "connector_http_requests_rejected_total", status="401") >= 1
    assert metric_value(gateway.url, "connector_http_requests_rejected_total", status="400") >= 1


def test_malformed_event_lands_in_the_dead_letter_topic_with_its_error(
    infra: Infra,
    start_service: Callable[..., ServiceProcess],
) -> None:
    relay = start_service("order-relay")
    topic = f"{infra.prefix}order.status.changed"
    poison = b'{"event_id": "not-a-uuid", "payload": {}}'
    asyncio.run(produce(infra.broker.bootstrap_servers, topic, poison, key=b"k"))

    dlq = asyncio.run(
        read_all(
            infra.broker.bootstrap_servers,
            f"{infra.prefix}order-relay.dead-letter",
            at_least=1,
            within=60,
        )
    )
    assert [r.value for r in dlq] == [poison]
    headers = dlq[0].headers
    assert headers["x-original-topic"].decode() == topic
    assert b"event_id" in headers["x-error"]
    assert headers["x-attempts"] == b"1"
    assert metric_value(relay.url, "connector_dead_letter_messages_total") == 1
