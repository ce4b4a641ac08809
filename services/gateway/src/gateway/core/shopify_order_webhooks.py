"""Shopify order webhooks (reference B8, REST-shaped bodies): fulfilments, cancels, refunds."""

from collections.abc import Sequence
from decimal import Decimal

from connector_contracts import (
    Event,
    FulfilledLine,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)

from gateway.core.shopify_bodies import (
    FulfillmentBody,
    FulfillmentLine,
    OrderCancelBody,
    RefundBody,
    aware,
    gid,
)
from gateway.core.shopify_webhooks import ShopifyWebhook


def _fulfilled(line: FulfillmentLine) -> FulfilledLine:
    return FulfilledLine(
        shopify_line_item_id=line.gid("LineItem"),
        shopify_variant_id=gid("ProductVariant", line.variant_id) if line.variant_id else None,
        sku=line.sku,
        quantity=line.quantity or 0,
    )


def to_fulfillment_created(webhook: ShopifyWebhook) -> Sequence[Event]:
    """fulfillments/create and fulfillments/update: what shipped, with which tracking."""
    body = FulfillmentBody.model_validate(webhook.body)
    numbers = [n for n in body.tracking_numbers or [] if n]
    if not numbers and body.tracking_number:
        numbers = [body.tracking_number]
    return [
        ShopifyFulfillmentCreated(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=gid("Order", body.order_id),
            fulfillment_id=body.gid("Fulfillment"),
            status=body.status or "",
            tracking_company=body.tracking_company,
            tracking_numbers=numbers,
            lines=[_fulfilled(line) for line in body.line_items or []],
            updated_at=aware(body.updated_at, webhook.triggered_at),
        )
    ]


def to_order_cancelled(webhook: ShopifyWebhook) -> Sequence[Event]:
    """orders/cancelled."""
    body = OrderCancelBody.model_validate(webhook.body)
    return [
        ShopifyOrderCancelled(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=body.gid("Order"),
            source_identifier=body.source_identifier,
            reason=body.cancel_reason,
            cancelled_at=aware(body.cancelled_at, webhook.triggered_at),
        )
    ]


def to_refund_created(webhook: ShopifyWebhook) -> Sequence[Event]:
    """refunds/create."""
    body = RefundBody.model_validate(webhook.body)
    restocked = sum(
        line.quantity or 0
        for line in body.refund_line_items or []
        if (line.restock_type or "no_restock") != "no_restock"
    )
    paid = [t for t in body.transactions or [] if (t.status or "success") == "success"]
    return [
        ShopifyRefundCreated(
            shopify_shop_domain=webhook.shop_domain,
            shopify_order_id=gid("Order", body.order_id),
            refund_id=body.gid("Refund"),
            restocked_quantity=restocked,
            created_at=aware(body.created_at, webhook.triggered_at),
            lines=[
                FulfilledLine(
                    shopify_line_item_id=gid("LineItem", line.line_item_id),
                    quantity=line.quantity or 0,
                )
                for line in body.refund_line_items or []
                if line.line_item_id
            ],
            amount=sum((t.amount or Decimal(0) for t in paid), Decimal(0)) if paid else None,
            currency=next((t.currency for t in paid if t.currency), None),
            source_name=next((t.source_name for t in paid if t.source_name), None),
        )
    ]
