"""What to do in Shopify or TikTok when an order's status, cancellation, shipment or return moves."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from connector_contracts import OrderStatus

from order_relay.core.intake import RelayState, TrackedOrder

SHIPPED = frozenset(
    {
        OrderStatus.AWAITING_COLLECTION,
        OrderStatus.IN_TRANSIT,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    }
)


class StatusEffect(StrEnum):
    """The Shopify-side consequence of a TikTok status change."""

    NONE = "none"
    RELEASE_HOLD = "release_hold"  # the grace period ended: the order may be fulfilled
    CANCEL = "cancel"  # TikTok cancelled it: cancel in Shopify too


def status_effect(order: TrackedOrder, status: OrderStatus) -> StatusEffect:
    """What a new TikTok status means for an order already in Shopify."""
    if order.relay_state is not RelayState.RELAYED:
        return StatusEffect.NONE
    if status is OrderStatus.CANCELLED:
        return StatusEffect.CANCEL
    if order.held and status is not OrderStatus.ON_HOLD and status is not OrderStatus.UNPAID:
        return StatusEffect.RELEASE_HOLD
    return StatusEffect.NONE


def is_oversold(initiator: str, reason: str) -> bool:
    """TikTok (the platform) cancelled the order because a product was out of stock."""
    by_platform = initiator.upper() in {"SYSTEM", "PLATFORM"}
    return by_platform and ("stock" in reason.lower() or "inventory" in reason.lower())


def cancel_reason_for_shopify(initiator: str, reason: str) -> str:
    """Shopify's OrderCancelReason for a TikTok cancellation."""
    if is_oversold(initiator, reason):
        return "INVENTORY"
    return "CUSTOMER" if initiator.upper() == "BUYER" else "OTHER"


def next_retry_at(
    attempt: int, *, enabled: bool, max_retries: int, interval: timedelta, now: datetime
) -> datetime | None:
    """When a failed relay (attempt `attempt`, 1-based) runs again; None when it won't.

    With "retry orders" on, the first attempt is followed by `max_retries` more, one every
    `interval` (the guide: every 10 minutes, 3 times).
    """
    if not enabled or attempt > max_retries:
        return None
    return now + interval


@dataclass(frozen=True)
class ShipmentPlan:
    """TikTok calls for one Shopify fulfilment."""

    whole_packages: tuple[str, ...]  # ship these packages as they are
    partial_line_ids: tuple[str, ...]  # mark these lines shipped in a new package


def plan_shipment(lines_to_ship: Sequence[str], package_of_line: Mapping[str, str]) -> ShipmentPlan:
    """Ship whole packages when the fulfilment covers them; split off lines otherwise.

    `package_of_line` maps every unshipped TikTok line of the order to its package.
    """
    wanted = set(lines_to_ship) & set(package_of_line)
    by_package: dict[str, set[str]] = {}
    for line, package in package_of_line.items():
        by_package.setdefault(package, set()).add(line)
    whole = tuple(sorted(p for p, lines in by_package.items() if lines and lines <= wanted))
    covered = {line for p in whole for line in by_package[p]}
    partial = tuple(sorted(wanted - covered))
    return ShipmentPlan(whole, partial)


def lines_for_fulfilment(
    fulfilled: Mapping[str, int],
    line_map: Mapping[str, Sequence[str]],
    already_shipped: set[str],
) -> list[str]:
    """TikTok line ids for fulfilled quantities of Shopify lines (one TikTok line per unit)."""
    chosen: list[str] = []
    for shopify_line, quantity in fulfilled.items():
        candidates = [t for t in line_map.get(shopify_line, ()) if t not in already_shipped]
        chosen += candidates[:quantity]
    return chosen


@dataclass(frozen=True)
class TrackingChange:
    """New tracking for the TikTok packages of an already shipped Shopify fulfilment."""

    package_ids: tuple[str, ...]
    tracking_number: str
    provider_id: str


def tracking_change(
    package_ids: Sequence[str],
    shipped_tracking: str,
    shipped_provider: str,
    tracking_numbers: Sequence[str],
    provider: str | None,
) -> TrackingChange | None:
    """What to send TikTok when a shipped fulfilment's tracking is edited (None: nothing).

    `provider` is the mapped carrier of the edit, None to keep the shipped one.
    """
    if not tracking_numbers or not package_ids:
        return None
    tracking, carrier = tracking_numbers[0], provider or shipped_provider
    if (tracking, carrier) == (shipped_tracking, shipped_provider):
        return None
    return TrackingChange(tuple(package_ids), tracking, carrier)


def provider_for(company: str | None, mapping: Mapping[str, str]) -> str | None:
    """TikTok shipping provider id of a Shopify tracking company (exact name, then case-blind)."""
    if not company:
        return None
    if company in mapping:
        return mapping[company]
    folded = {k.casefold(): v for k, v in mapping.items()}
    return folded.get(company.casefold())


RESTOCKING_RETURNS = frozenset({"RETURN_AND_REFUND"})
RETURN_DONE = frozenset({"RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE"})


def should_restock_return(return_type: str, return_status: str, *, enabled: bool) -> bool:
    """Restock in Shopify once a return with goods sent back has succeeded."""
    return enabled and return_type in RESTOCKING_RETURNS and return_status in RETURN_DONE
