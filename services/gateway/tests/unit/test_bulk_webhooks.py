"""Shopify bulk_operations/finish as a `shopify.bulk_operation.finished` contract event."""

from typing import Any

import pytest
from connector_contracts import ShopifyBulkOperationFinished
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.webhook_routes import SHOPIFY_TRANSLATORS

# The sandbox's body (reference B4 lists these fields as UNCONFIRMED): enums in lower case.
BODY = {
    "admin_graphql_api_id": "gid://shopify/BulkOperation/1007",
    "completed_at": "2026-01-09T19:36:10-05:00",
    "created_at": "2026-01-09T19:30:00-05:00",
    "error_code": None,
    "status": "completed",
    "type": "query",
}


def translate(body: dict[str, Any]) -> ShopifyBulkOperationFinished:
    webhook = ShopifyWebhook(
        topic="bulk_operations/finish",
        shop_domain="s.myshopify.com",
        webhook_id="w",
        body=body,
    )
    (event,) = SHOPIFY_TRANSLATORS["bulk_operations/finish"](webhook)
    assert isinstance(event, ShopifyBulkOperationFinished)
    return event


def test_finished_operation_carries_its_id_and_upper_case_status() -> None:
    event = translate(BODY)
    assert (event.shop_domain, event.admin_graphql_api_id) == (
        "s.myshopify.com",
        "gid://shopify/BulkOperation/1007",
    )
    assert (event.status, event.error_code, event.type) == ("COMPLETED", None, "QUERY")
    assert event.completed_at is not None
    assert event.completed_at.utcoffset() is not None
    assert event.key() == "gid://shopify/BulkOperation/1007"


def test_failed_operation_keeps_shopifys_error_code() -> None:
    event = translate({**BODY, "status": "failed", "error_code": "internal_server_error"})
    assert (event.status, event.error_code) == ("FAILED", "INTERNAL_SERVER_ERROR")


def test_numeric_id_becomes_a_gid() -> None:
    body = {k: v for k, v in BODY.items() if k != "admin_graphql_api_id"}
    assert translate({**body, "id": 1007}).admin_graphql_api_id == (
        "gid://shopify/BulkOperation/1007"
    )


@pytest.mark.parametrize("missing", ["admin_graphql_api_id", "status"])
def test_a_body_without_id_or_status_is_refused(missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        translate({k: v for k, v in BODY.items() if k != missing})
