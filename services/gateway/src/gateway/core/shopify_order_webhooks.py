"""Shopify order webhooks (reference B8, REST-shaped bodies): fulfilments, cancels, refunds."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connector_contracts import (
    Event,
    FulfilledLine,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)

from gateway.core.shopify_webhooks import ShopifyWebhook


def _gid(kind: str, value: Any) -> str:
    """REST bodies carry numeric ids (and sometimes the gid): always give the gid."""
    if value is None or value == "":
        raise ValueError(f"missing {kind} id")
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def _time(value: Any, fallback: datetime | None) -> datetime:
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return fallback or datetime.now(UTC)


def to_fulfillment_created(webhook: ShopifyWebhook) -> Sequence[Event]:
    """fulfillments/create and fulfillments/update: what shipped, with which tracking."""
    body = webhook.body
    numbers = [str(n) for n in body.get("tracking_numbers") or [] if n]
    if not numbers and body.get("tracking_number"):
        numbers = [str(body["tracking_number"])]
    lines = [
        FulfilledLine(
            shopify_line_item_id=_gid(
                "LineItem", line.get("admin_graphql_api_id") or line.get("id")
            ),
            shopify_variant_id=_gid("ProductVariant", line["variant_id"])
            if line.get("variant_id")
            else None,
            sku=line.get("sku"),
            quantity=int(line.get("quantity") or 0),
        )
        for line in body.get("line_items") or []
    ]
    return [
        ShopifyFulfillmentCreated(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=_gid("Order", body.get("order_id")),
            fulfillment_id=_gid("Fulfillment", body.get("admin_graphql_api_id") or body.get("id")),
            status=str(body.get("status") or ""),
            tracking_company=body.get("tracking_company"),
            tracking_numbers=numbers,
            lines=lines,
            updated_at=_time(body.get("updated_at"), webhook.triggered_at),
        )
    ]


def to_order_cancelled(webhook: ShopifyWebhook) -> Sequence[Event]:
    """orders/cancelled."""
    body = webhook.body
    return [
        ShopifyOrderCancelled(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=_gid("Order", body.get("admin_graphql_api_id") or body.get("id")),
            source_identifier=body.get("source_identifier"),
            reason=body.get("cancel_reason"),
            cancelled_at=_time(body.get("cancelled_at"), webhook.triggered_at),
        )
    ]


def to_refund_created(webhook: ShopifyWebhook) -> Sequence[Event]:
    """refunds/create."""
    body = webhook.body
    restocked = sum(
        int(line.get("quantity") or 0)
        for line in body.get("refund_line_items") or []
        if str(line.get("restock_type") or "no_restock") != "no_restock"
    )
    return [
        ShopifyRefundCreated(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=_gid("Order", body.get("order_id")),
            refund_id=_gid("Refund", body.get("admin_graphql_api_id") or body.get("id")),
            restocked_quantity=restocked,
            created_at=_time(body.get("created_at"), webhook.triggered_at),
        )
    ]
