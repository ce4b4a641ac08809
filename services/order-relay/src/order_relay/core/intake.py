"""Deciding what a TikTok order status change means for the relay."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

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


class RelayState(StrEnum):
    """Where an order stands with Shopify."""

    NONE = "none"  # not paid (yet): never sent to Shopify
    PENDING = "pending"  # paid, `order.paid` emitted, not handled yet
    RELAYED = "relayed"  # exists in Shopify
    FAILED = "failed"  # could not be created; reason stored, maybe retrying
    SKIPPED = "skipped"  # deliberately not created (e.g. FBT with the setting off)
    CANCELLED = "cancelled"  # cancelled before or after it reached Shopify


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
    relay_state: RelayState = RelayState.NONE
    held: bool = False  # fulfilment held in Shopify for the grace period
    state_changed_at: datetime | None = None
    relay_attempts: int = 0  # tries made so far (read with the row: no second query)


@dataclass(frozen=True)
class IntakeDecision:
    """New state of the order, and whether `order.paid` must be emitted."""

    order: TrackedOrder
    became_paid: bool
    repaired: bool = False

    @property
    def emit_paid(self) -> bool:
        """True when the relay must (again) be asked to create the order."""
        return self.became_paid or self.repaired


def is_paid(status: OrderStatus, *, relay_on_hold: bool) -> bool:
    """Tell whether an order in this status has been paid and may reach Shopify."""
    return status in _PAID or (relay_on_hold and status is OrderStatus.ON_HOLD)


def is_stuck(order: TrackedOrder, now: datetime, stale_after: timedelta) -> bool:
    """A paid order whose `order.paid` was never handled (e.g. dead-lettered) for too long."""
    changed = order.state_changed_at or order.tiktok_updated_at
    return order.paid and order.relay_state is RelayState.PENDING and now - changed > stale_after


def decide_intake(
    current: TrackedOrder | None,
    change: OrderStatusChanged,
    connection_id: str,
    *,
    relay_on_hold: bool,
    now: datetime | None = None,
    stale_after: timedelta = timedelta(minutes=10),
    relay_queued: bool = False,
) -> IntakeDecision:
    """Apply a status change: stale changes are ignored; `paid` is reached at most once.

    A sweep that finds a paid order stuck in PENDING with no relay job queued (its
    `order.paid` was lost, e.g. dead-lettered) asks for the relay again (repair).
    """
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
    became_paid = paid_now and not was_paid and base.relay_state is RelayState.NONE
    repaired = (
        current is not None
        and change.source != "webhook"
        and now is not None
        and not relay_queued
        and is_stuck(current, now, stale_after)
    )
    state = RelayState.PENDING if became_paid else base.relay_state
    if change.status is OrderStatus.CANCELLED and state in (RelayState.NONE, RelayState.PENDING):
        state = RelayState.CANCELLED  # never created, or the pending relay will skip it
    order = replace(
        base,
        status=change.status,
        is_on_hold_order=change.is_on_hold_order,
        tiktok_updated_at=change.updated_at,
        paid=was_paid or became_paid,
        relay_state=state,
    )
    return IntakeDecision(order, became_paid=became_paid, repaired=repaired)


@dataclass(frozen=True)
class LocalView:
    """What the relay stored about an order, as a sweep compares it with TikTok."""

    status: OrderStatus
    tiktok_updated_at: datetime
    paid: bool
    relay_state: RelayState
    state_changed_at: datetime
    relay_queued: bool = False  # a relay job is waiting: not stuck, just queued


@dataclass(frozen=True)
class SweepEmission:
    """The status a sweep last emitted for an order, and when."""

    status: OrderStatus
    emitted_at: datetime


def sweep_already_emitted(
    last: SweepEmission | None, status: OrderStatus, *, now: datetime, floor: timedelta
) -> bool:
    """Whether a sweep emitted this same status less than `floor` ago. Not consumed yet (the
    broker is away, the consumer behind), emitting it again would only amplify the backlog."""
    return last is not None and last.status is status and now - last.emitted_at < floor


def sweep_should_emit(
    local: LocalView | None,
    status: OrderStatus,
    updated_at: datetime,
    *,
    now: datetime,
    stuck_after: timedelta,
) -> bool:
    """Whether a swept TikTok order tells the relay something it missed."""
    if local is None:
        return True
    if updated_at >= local.tiktok_updated_at and status is not local.status:
        return True
    stuck = local.paid and local.relay_state is RelayState.PENDING and not local.relay_queued
    return stuck and now - local.state_changed_at > stuck_after
