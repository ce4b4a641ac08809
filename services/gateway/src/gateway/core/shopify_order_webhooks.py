"""Shopify order webhooks (reference B8, REST-shaped bodies): fulfilments, cancels, refunds."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from connector_contracts import (
    Event,
    FulfilledLine,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)
from pydantic import BaseModel, ConfigDict, Field

from gateway.core.shopify_webhooks import ShopifyWebhook

# Bounds of a genuine body: a signed body of another shape is a 400, not a crash in here.
_Text = Annotated[str, Field(max_length=255)]


class _Rest(BaseModel):
    """A REST body object: numeric ids kept as exact strings, unknown fields ignored."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class _FulfillmentLine(_Rest):
    id: _Text | None = None
    admin_graphql_api_id: _Text | None = None
    variant_id: _Text | None = None
    sku: _Text | None = None
    quantity: int | None = Field(default=None, ge=0, le=1_000_000)


class _FulfillmentBody(_Rest):
    line_items: list[_FulfillmentLine] | None = Field(default=None, max_length=1000)
    tracking_numbers: list[_Text | None] | None = Field(default=None, max_length=1000)


class _RefundLine(_Rest):
    quantity: int | None = Field(default=None, ge=0, le=1_000_000)
    restock_type: _Text | None = None


class _RefundBody(_Rest):
    refund_line_items: list[_RefundLine] | None = Field(default=None, max_length=1000)


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
    typed = _FulfillmentBody.model_validate(body)
    numbers = [n for n in typed.tracking_numbers or [] if n]
    if not numbers and body.get("tracking_number"):
        numbers = [str(body["tracking_number"])]
    lines = [
        FulfilledLine(
            shopify_line_item_id=_gid("LineItem", line.admin_graphql_api_id or line.id),
            shopify_variant_id=_gid("ProductVariant", line.variant_id) if line.variant_id else None,
            sku=line.sku,
            quantity=line.quantity or 0,
        )
        for line in typed.line_items or []
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
        line.quantity or 0
        for line in _RefundBody.model_validate(body).refund_line_items or []
        if (line.restock_type or "no_restock") != "no_restock"
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
