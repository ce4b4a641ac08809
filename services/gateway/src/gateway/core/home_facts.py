"""What the Home dashboard knows about one order, merged from the relay's outcome events.

Events of one order arrive on different topics, so in any order and possibly more than once.
`merge` is a join (commutative, associative, idempotent): flags only turn on, days take the
earliest, the relay's details come from the relayed event, and an erased buyer stays erased.
Whatever order the events come in, an order ends in the same bucket, counted once.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from connector_contracts import (
    OrderCancelled,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    RelayedLine,
)
from pydantic import BaseModel, ConfigDict


class Bucket(StrEnum):
    """The merchant's order tabs (Silk "Orders"), as order-relay's list filters them."""

    FULFILLED = "fulfilled"
    UNFULFILLED = "unfulfilled"
    UNSYNCED = "unsynced"
    CANCELLED = "cancelled"


# Revenue, top products and top customers count what was sold: orders in Shopify, not cancelled.
SOLD = frozenset({Bucket.FULFILLED, Bucket.UNFULFILLED})


class Sale(BaseModel):
    """What the relayed event says the order sold, and to whom."""

    model_config = ConfigDict(frozen=True)

    shopify_order_id: str
    shopify_order_name: str = ""
    total: Decimal | None = None
    currency: str | None = None
    lines: tuple[RelayedLine, ...] = ()
    buyer_id: str | None = None
    buyer_name: str | None = None


class OrderFacts(BaseModel):
    """Everything the dashboard holds about one TikTok order."""

    model_config = ConfigDict(frozen=True)

    region: str | None = None
    day: date | None = None
    failed: bool = False
    fulfilled: bool = False
    cancelled: bool = False
    sale: Sale | None = None
    buyer_erased: bool = False

    @property
    def bucket(self) -> Bucket | None:
        """Where the order counts; None while no event placed it in a tab."""
        if self.cancelled:
            return Bucket.CANCELLED
        if self.sale is not None:
            return Bucket.FULFILLED if self.fulfilled else Bucket.UNFULFILLED
        return Bucket.UNSYNCED if self.failed else None

    @property
    def buyer_id(self) -> str | None:
        """The TikTok buyer, unless erased by a redaction request."""
        return None if self.buyer_erased or self.sale is None else self.sale.buyer_id


def merge(a: OrderFacts, b: OrderFacts) -> OrderFacts:
    """Both sets of facts at once (a join: the result never depends on their order)."""
    erased = a.buyer_erased or b.buyer_erased
    sale = _first_sale(a.sale, b.sale)
    return OrderFacts(
        region=_least(a.region, b.region),
        day=_least(a.day, b.day),
        failed=a.failed or b.failed,
        fulfilled=a.fulfilled or b.fulfilled,
        cancelled=a.cancelled or b.cancelled,
        sale=_without_buyer(sale) if erased else sale,
        buyer_erased=erased,
    )


Ordered = TypeVar("Ordered", str, date)


def _least(a: Ordered | None, b: Ordered | None) -> Ordered | None:
    known = [v for v in (a, b) if v is not None]
    return min(known) if known else None


def _first_sale(a: Sale | None, b: Sale | None) -> Sale | None:
    # Two relayed events of one order describe the same Shopify order; a fixed choice keeps
    # the merge commutative should they ever differ.
    known = [s for s in (a, b) if s is not None]
    return min(known, key=lambda s: s.model_dump_json()) if known else None


def _without_buyer(sale: Sale | None) -> Sale | None:
    return None if sale is None else sale.model_copy(update={"buyer_id": None, "buyer_name": None})


def relayed_facts(event: OrderRelayed, occurred_at: datetime) -> OrderFacts:
    """The order is in Shopify: what it sold, to whom, on which (paid) day."""
    sale = Sale(
        shopify_order_id=event.shopify_order_id,
        shopify_order_name=event.shopify_order_name,
        total=event.total,
        currency=event.currency,
        lines=tuple(event.lines),
        buyer_id=event.buyer_id,
        buyer_name=event.buyer_name,
    )
    return OrderFacts(region=event.region, day=(event.paid_at or occurred_at).date(), sale=sale)


def failed_facts(event: OrderRelayFailed, occurred_at: datetime) -> OrderFacts:
    """The order could not be relayed (yet): unsynced from the day of its first failure."""
    return OrderFacts(region=event.region, day=occurred_at.date(), failed=True)


def shipped_facts(event: OrderShipped) -> OrderFacts:
    """A shipment; only one that completes the order makes it fulfilled (None is from before
    the relay said so, when each shipment covered what the Shopify fulfilment held)."""
    return OrderFacts(fulfilled=event.complete is not False)


def cancelled_facts(event: OrderCancelled) -> OrderFacts:
    """Cancelled on either platform (an order cancelled before it was relayed counts from the
    day of its cancellation)."""
    return OrderFacts(region=event.region, day=event.cancelled_at.date(), cancelled=True)


ERASED = OrderFacts(buyer_erased=True)
