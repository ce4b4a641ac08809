"""Is an order stuck, and why: the answer to the operator's first question, in merchant words."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# The region of an order whose connection the service no longer knows (not expected: orders
# are erased with their connection), so it is still counted rather than dropped.
UNKNOWN_REGION = "unknown"


class StuckReason(StrEnum):
    """Why a paid order is not in Shopify."""

    RETRYING = "retrying"  # creating it failed; a retry is scheduled
    FAILED = "failed"  # creating it failed; no retry is scheduled (the merchant must act)
    NOT_RELAYED = "not_relayed"  # paid, not handled past the stuck threshold
    WAITING = "waiting"  # paid, its relay job queued and waiting for a platform past the threshold


@dataclass(frozen=True)
class RelayStanding:
    """Where a paid order stands with Shopify, as the relay stores it."""

    tiktok_order_id: str
    connection_id: str
    tiktok_shop_id: str
    relay_state: str
    state_changed_at: datetime
    relay_attempts: int
    failure_reason: str | None
    next_retry_at: datetime | None
    # Why its queued relay job was put back (postponed for the store's API budget, or failed
    # and retrying), when it was.
    waiting_for: str | None = None
    # The shop's market (e.g. `DE`), from the connection; None when the connection is unknown.
    region: str | None = None


@dataclass(frozen=True)
class StuckOrder:
    """A paid order not in Shopify: why, since when, after how many attempts."""

    tiktok_order_id: str
    connection_id: str
    tiktok_shop_id: str
    region: str | None
    reason: StuckReason
    since: datetime
    attempts: int
    last_error: str


def stuck_order(
    order: RelayStanding, *, now: datetime, stuck_after: timedelta
) -> StuckOrder | None:
    """The order as stuck, or None while it is on its way (relayed, or pending a short while)."""
    if order.relay_state == "failed":
        reason = StuckReason.RETRYING if order.next_retry_at else StuckReason.FAILED
        error = order.failure_reason or "Shopify did not accept the order."
    elif order.relay_state == "pending" and now - order.state_changed_at > stuck_after:
        if order.waiting_for:
            reason, error = StuckReason.WAITING, order.waiting_for
        else:
            reason, error = StuckReason.NOT_RELAYED, _not_relayed(now - order.state_changed_at)
    else:
        return None
    return StuckOrder(
        tiktok_order_id=order.tiktok_order_id,
        connection_id=order.connection_id,
        tiktok_shop_id=order.tiktok_shop_id,
        region=order.region,
        reason=reason,
        since=order.state_changed_at,
        attempts=order.relay_attempts,
        last_error=error,
    )


def count_by_reason(orders: Iterable[StuckOrder]) -> dict[str, int]:
    """How many orders are stuck for each reason (every reason, zero included)."""
    found = Counter(o.reason for o in orders)
    return {reason.value: found[reason] for reason in StuckReason}


def count_by_region(
    orders: Iterable[StuckOrder], regions: Iterable[str] = ()
) -> dict[str, dict[str, int]]:
    """How many orders are stuck per region and reason: every region with a stuck order and
    every one of `regions` (so a region with none shows its zeros)."""
    by_region: dict[str, list[StuckOrder]] = {region: [] for region in regions}
    for order in orders:
        by_region.setdefault(order.region or UNKNOWN_REGION, []).append(order)
    return {region: count_by_reason(found) for region, found in sorted(by_region.items())}


def _not_relayed(waited: timedelta) -> str:
    minutes = int(waited.total_seconds() // 60)
    return (
        f"Paid {minutes} minutes ago and not sent to Shopify yet; the next reconciliation"
        " sweep sends it again."
    )
