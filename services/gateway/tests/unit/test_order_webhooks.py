"""TikTok order webhooks 4/11/12 and Shopify order webhooks, translated into contract events."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from connector_contracts import (
    OrderAddressChanged,
    OrderCancellationChanged,
    OrderInvoiceChanged,
    OrderPackagesChanged,
    OrderReturnChanged,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)
from gateway.core import shopify_order_webhooks as shopify
from gateway.core import tiktok_order_webhooks as tiktok
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.webhook_routes import SHOPIFY_TRANSLATORS, TIKTOK_TRANSLATORS
from tiktok_shop.webhook_events import Webhook


def tiktok_webhook(kind: int, data: dict[str, object]) -> Webhook:
    return Webhook(
        type=kind,
        tts_notification_id="n",
        shop_id="7495540735365777507",
        timestamp=1_718_305_585,
        data=data,
    )


def shopify_webhook(topic: str, body: dict[str, object]) -> ShopifyWebhook:
    return ShopifyWebhook(topic=topic, shop_domain="demo.myshopify.com", webhook_id="w", body=body)


def test_cancellation_webhook_uses_the_api_spelling() -> None:
    [event] = tiktok.to_cancellation_changed(
        tiktok_webhook(
            11,
            {
                "order_id": "576653688135258178",
                "cancellations_role": "BUYER",
                "cancel_status": "CANCELLATION_REQUEST_CANCELLED",
                "cancel_id": "4035",
                "create_time": 1_718_305_000,
            },
        )
    )
    assert isinstance(event, OrderCancellationChanged)
    assert event.cancel_status == "CANCELLATION_REQUEST_CANCEL"
    assert (event.role, event.cancel_id) == ("BUYER", "4035")


def test_return_webhook() -> None:
    [event] = tiktok.to_return_changed(
        tiktok_webhook(
            12,
            {
                "order_id": "1",
                "return_id": "2",
                "return_status": "RETURN_OR_REFUND_REQUEST_SUCCESS",
                "return_type": "RETURN_AND_REFUND",
                "return_role": "BUYER",
                "update_time": 1_718_305_600,
            },
        )
    )
    assert isinstance(event, OrderReturnChanged)
    assert event.updated_at == datetime.fromtimestamp(1_718_305_600, UTC)


def test_package_webhook_keeps_numeric_ids_as_strings() -> None:
    [event] = tiktok.to_packages_changed(
        tiktok_webhook(
            4,
            {
                "sc_type": "SPLIT",
                "package_list": [
                    {"package_id": 1152921504606846976, "order_id_list": [576653688135258178]}
                ],
            },
        )
    )
    assert isinstance(event, OrderPackagesChanged)
    assert event.packages[0].package_id == "1152921504606846976"
    assert event.key() == "576653688135258178"
    with pytest.raises(ValueError, match="package_id"):
        tiktok.to_packages_changed(tiktok_webhook(4, {"sc_type": "SPLIT", "package_list": []}))


def test_fulfillment_webhook_gives_gids_tracking_and_lines() -> None:
    [event] = shopify.to_fulfillment_created(
        shopify_webhook(
            "fulfillments/create",
            {
                "id": 2009,
                "admin_graphql_api_id": "gid://shopify/Fulfillment/2009",
                "order_id": 2001,
                "status": "success",
                "tracking_company": "UPS",
                "tracking_number": "1Z9",
                "tracking_numbers": [],
                "updated_at": "2026-01-09T19:36:10-05:00",
                "line_items": [{"id": 3001, "variant_id": 1004, "sku": "RED", "quantity": 2}],
            },
        )
    )
    assert isinstance(event, ShopifyFulfillmentCreated)
    assert event.shopify_order_id == "gid://shopify/Order/2001"
    assert event.tracking_numbers == ["1Z9"]
    assert event.lines[0].shopify_line_item_id == "gid://shopify/LineItem/3001"
    assert event.lines[0].shopify_variant_id == "gid://shopify/ProductVariant/1004"


def test_cancel_and_refund_webhooks() -> None:
    [cancelled] = shopify.to_order_cancelled(
        shopify_webhook(
            "orders/cancelled",
            {
                "id": 2001,
                "source_identifier": "576",
                "cancel_reason": "customer",
                "cancelled_at": "2026-01-09T19:36:10Z",
            },
        )
    )
    assert isinstance(cancelled, ShopifyOrderCancelled)
    assert cancelled.source_identifier == "576"
    [refund] = shopify.to_refund_created(
        shopify_webhook(
            "refunds/create",
            {
                "id": 5,
                "order_id": 2001,
                "created_at": "2026-01-09T19:36:10Z",
                "refund_line_items": [
                    {"quantity": 2, "restock_type": "return"},
                    {"quantity": 1, "restock_type": "no_restock"},
                ],
            },
        )
    )
    assert isinstance(refund, ShopifyRefundCreated)
    assert refund.restocked_quantity == 2


def test_missing_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="Order"):
        shopify.to_order_cancelled(shopify_webhook("orders/cancelled", {"cancelled_at": None}))


def test_translators_are_registered() -> None:
    assert {4, 11, 12} <= set(TIKTOK_TRANSLATORS)
    assert {
        "fulfillments/create",
        "fulfillments/update",
        "orders/cancelled",
        "refunds/create",
    } <= set(SHOPIFY_TRANSLATORS)


def test_recipient_address_webhook_is_an_address_change_of_the_order() -> None:
    """Guide: "Orders" (recipient address updates, TikTok webhook type 3)."""
    webhook = tiktok_webhook(3, {"order_id": 576653688135258178, "update_time": 1_718_305_600})
    [event] = TIKTOK_TRANSLATORS[3](webhook)
    assert isinstance(event, OrderAddressChanged)
    assert (event.tiktok_order_id, event.tiktok_shop_id) == (
        "576653688135258178",
        "7495540735365777507",
    )
    assert event.updated_at == datetime.fromtimestamp(1_718_305_600, UTC)
    assert event.key() == "576653688135258178"


def test_invoice_webhook_carries_the_package_orders_and_outcome() -> None:
    [event] = tiktok.to_invoice_changed(
        tiktok_webhook(
            36,
            {
                "package_id": 1161235029,
                "order_ids": ["5361235029"],
                "invoice_status": "INVALID",
                "invalid_reason": "ACCESS_KEY_DUPLICATE",
            },
        )
    )
    assert isinstance(event, OrderInvoiceChanged)
    assert (event.package_id, event.tiktok_order_ids) == ("1161235029", ["5361235029"])
    assert (event.invoice_status, event.invalid_reason) == ("INVALID", "ACCESS_KEY_DUPLICATE")
    assert event.key() == "5361235029"


def test_refund_webhook_says_which_lines_how_much_and_which_app_made_it() -> None:
    [refund] = shopify.to_refund_created(
        shopify_webhook(
            "refunds/create",
            {
                "id": 6,
                "order_id": 2001,
                "refund_line_items": [
                    {"line_item_id": 77, "quantity": 1, "restock_type": "return"}
                ],
                "transactions": [
                    {"kind": "refund", "amount": "9.50", "currency": "USD", "source_name": "loop"},
                    {"kind": "refund", "amount": "1.00", "status": "failure", "source_name": "x"},
                ],
            },
        )
    )
    assert isinstance(refund, ShopifyRefundCreated)
    assert [(li.shopify_line_item_id, li.quantity) for li in refund.lines] == [
        ("gid://shopify/LineItem/77", 1)
    ]
    assert (refund.amount, refund.currency, refund.source_name) == (Decimal("9.50"), "USD", "loop")
