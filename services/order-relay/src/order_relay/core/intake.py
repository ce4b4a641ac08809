"""Deciding what a TikTok order status change means for the relay."""

from dataclasses import dataclass, replace
from datetime import datetime

from connector_contracts import OrderStatus, OrderStatusChanged

# Statuses after payment: an order first seen in one of these was paid (a missed webhook
# for AWAITING_SHIPMENT must not keep a shipped order out of Shopify).
_PAID = frozenset(
    {
        OrderStatus.AWAITING_SHIPMENT,
        OrderStatus.PARTIALLY_SHIPPING,
        OrderStatus.AWAITING_COLLECTION,
        OrderStatus.IN_TRANSIT,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    }
)


@dataclass(frozen=True)
class TrackedOrder:
    """The relay's knowledge of one TikTok order."""

    tiktok_order_id: str
    connection_id: str
    tiktok_shop_id: str
    status: OrderStatus
    is_on_hold_order: bool
    tiktok_updated_at: datetime
    paid: bool


@dataclass(frozen=True)
class IntakeDecision:
    """New state of the order, and whether it just became paid."""

    order: TrackedOrder
    became_paid: bool


def is_paid(status: OrderStatus, *, relay_on_hold: bool) -> bool:
    """Tell whether an order in this status has been paid and may reach Shopify."""
    return status in _PAID or (relay_on_hold and status is OrderStatus.ON_HOLD)


def decide_intake(
    current: TrackedOrder | None,
    change: OrderStatusChanged,
    connection_id: str,
    *,
    relay_on_hold: bool,
) -> IntakeDecision:
    """Apply a status change: stale changes are ignored; `paid` is reached at most once."""
    if current is not None and change.updated_at < current.tiktok_updated_at:
        return IntakeDecision(current, became_paid=False)
    paid_now = is_paid(change.status, relay_on_hold=relay_on_hold)
    was_paid = current.paid if current else False
    base = current or TrackedOrder(
        tiktok_order_id=change.tiktok_order_id,
        connection_id=connection_id,
        tiktok_shop_id=change.tiktok_shop_id,
        status=change.status,
        is_on_hold_order=change.is_on_hold_order,
        tiktok_updated_at=change.updated_at,
        paid=False,
    )
    order = replace(
        base,
        status=change.status,
        is_on_hold_order=change.is_on_hold_order,
        tiktok_updated_at=change.updated_at,
        paid=was_paid or paid_now,
    )
    return IntakeDecision(order, became_paid=paid_now and not was_paid)
