"""The Home dashboard's core: an order's facts merge the same in any order, and the per-day
sums moved by each change always equal what the orders finally say, each counted once."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from random import Random
from typing import Any

from connector_contracts import (
    OrderCancelled,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    RelayedLine,
)
from gateway.core.home_facts import (
    ERASED,
    Bucket,
    OrderFacts,
    cancelled_facts,
    failed_facts,
    merge,
    relayed_facts,
    shipped_facts,
)
from gateway.core.home_tally import Tally, contribution, moves
from hypothesis import given
from hypothesis import strategies as st

PAID = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


def relayed(order_id: str, total: str, currency: str = "USD", buyer: str = "b1") -> OrderFacts:
    event = OrderRelayed(
        tiktok_order_id=order_id,
        shopify_order_id=f"gid://shopify/Order/{order_id}",
        total=Decimal(total),
        currency=currency,
        region="US",
        paid_at=PAID,
        buyer_id=buyer,
        buyer_name="S***x B***r",
        lines=[
            RelayedLine(
                tiktok_product_id="p1", tiktok_sku_id="s1", quantity=2, amount=Decimal(total)
            )
        ],
    )
    return relayed_facts(event, LATER)


def failed(order_id: str) -> OrderFacts:
    event = OrderRelayFailed(
        tiktok_order_id=order_id, reason="no", code="unsynced_products", attempt=1, region="US"
    )
    return failed_facts(event, LATER)


def shipped(order_id: str, complete: bool | None = True) -> OrderFacts:
    event = OrderShipped(
        tiktok_order_id=order_id,
        package_ids=["pk"],
        tracking_number="1Z",
        shipping_provider_id="6617675021119438849",
        complete=complete,
    )
    return shipped_facts(event)


def cancelled(order_id: str) -> OrderFacts:
    return cancelled_facts(
        OrderCancelled(tiktok_order_id=order_id, initiator="BUYER", cancelled_at=LATER)
    )


def outcomes(order_id: str) -> st.SearchStrategy[list[OrderFacts]]:
    """Some of an order's outcome events, each possibly delivered more than once."""
    pool = [
        relayed(order_id, "30.00"),
        failed(order_id),
        shipped(order_id),
        shipped(order_id, complete=False),
        cancelled(order_id),
        ERASED,
    ]
    return st.lists(st.sampled_from(pool), max_size=8)


def fold(events: list[OrderFacts]) -> OrderFacts:
    facts = OrderFacts()
    for event in events:
        facts = merge(facts, event)
    return facts


class Sums:
    """Per-day sums kept the way the store keeps them: only by the moves of each change."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, date, Bucket]] = Counter()
        self.revenue: defaultdict[tuple[str, date, str], Decimal] = defaultdict(Decimal)
        self.customers: defaultdict[tuple[str, date, str, str], Decimal] = defaultdict(Decimal)
        self.units: Counter[tuple[str, date, str, str]] = Counter()

    def apply(self, old: OrderFacts, new: OrderFacts) -> OrderFacts:
        for region, change in moves(old, new):
            self.add(region, change)
        return new

    def add(self, region: str, change: Tally) -> None:
        for c in change.counts:
            self.counts[(region, c.day, c.bucket)] += c.orders
        for r in change.revenue:
            self.revenue[(region, r.day, r.currency)] += r.amount
        for b in change.customers:
            self.customers[(region, b.day, b.currency, b.buyer_id)] += b.amount
        for p in change.products:
            self.units[(region, p.day, p.currency, p.sku_id)] += p.quantity

    def nonzero(self) -> tuple[dict[Any, object], ...]:
        return tuple(
            {k: v for k, v in c.items() if v}
            for c in (self.counts, self.revenue, self.customers, self.units)
        )


def sums_of(final: list[OrderFacts]) -> Sums:
    sums = Sums()
    for facts in final:
        sums.apply(OrderFacts(), facts)
    return sums


@given(outcomes("o1"), outcomes("o1"), outcomes("o1"))
def test_merging_facts_is_commutative_associative_and_idempotent(
    a: list[OrderFacts], b: list[OrderFacts], c: list[OrderFacts]
) -> None:
    x, y, z = fold(a), fold(b), fold(c)
    assert merge(x, y) == merge(y, x)
    assert merge(merge(x, y), z) == merge(x, merge(y, z))
    assert merge(x, x) == x


@given(outcomes("o1"), st.randoms())
def test_an_order_ends_in_the_same_bucket_whatever_order_its_events_arrive_in(
    events: list[OrderFacts], rnd: Random
) -> None:
    shuffled = list(events) + list(events[:2])  # some delivered twice
    rnd.shuffle(shuffled)
    assert fold(shuffled) == fold(events)


@given(st.lists(outcomes("o1"), min_size=1, max_size=4), outcomes("o2"))
def test_sums_moved_change_by_change_equal_the_final_orders_counted_once(
    batches: list[list[OrderFacts]], other: list[OrderFacts]
) -> None:
    sums, facts = Sums(), {"o1": OrderFacts(), "o2": OrderFacts()}
    for order_id, event in [*(("o1", e) for b in batches for e in b), *(("o2", e) for e in other)]:
        facts[order_id] = sums.apply(facts[order_id], merge(facts[order_id], event))
    assert sums.nonzero() == sums_of(list(facts.values())).nonzero()
    placed = [f for f in facts.values() if f.bucket is not None and f.region is not None]
    assert sum(sums.counts.values()) == len(placed)


def test_a_shipped_order_moves_from_unfulfilled_to_fulfilled_without_a_second_count() -> None:
    sums = Sums()
    unfulfilled = sums.apply(OrderFacts(), relayed("o1", "12.50"))
    sums.apply(unfulfilled, merge(unfulfilled, shipped("o1")))
    assert {k: v for k, v in sums.counts.items() if v} == {("US", PAID.date(), Bucket.FULFILLED): 1}
    assert sums.revenue[("US", PAID.date(), "USD")] == Decimal("12.50")


def test_a_partial_shipment_leaves_the_order_unfulfilled() -> None:
    assert merge(relayed("o1", "5.00"), shipped("o1", complete=False)).bucket is Bucket.UNFULFILLED


def test_a_failed_order_that_is_relayed_later_leaves_unsynced_and_keeps_its_first_day() -> None:
    facts = merge(failed("o1"), relayed("o1", "5.00"))
    assert facts.bucket is Bucket.UNFULFILLED
    assert facts.day == PAID.date()  # the paid day comes before the failure's
    assert merge(relayed("o1", "5.00"), failed("o1")) == facts


def test_a_cancelled_order_leaves_revenue_products_and_customers() -> None:
    tally = contribution(merge(relayed("o1", "9.00"), cancelled("o1")))
    assert [c.bucket for c in tally.counts] == [Bucket.CANCELLED]
    assert (tally.revenue, tally.products, tally.customers) == ((), (), ())


def test_currencies_are_never_added_together() -> None:
    sums = sums_of([relayed("o1", "10.00", "USD"), relayed("o2", "7.00", "EUR")])
    assert sums.nonzero()[1] == {
        ("US", PAID.date(), "USD"): Decimal("10.00"),
        ("US", PAID.date(), "EUR"): Decimal("7.00"),
    }


def test_an_erased_buyer_stays_erased_when_the_order_is_relayed_again() -> None:
    erased = merge(relayed("o1", "10.00"), ERASED)
    again = merge(erased, relayed("o1", "10.00"))
    assert again.buyer_id is None
    assert again.sale is not None
    assert again.sale.buyer_name is None
    tally = contribution(again)
    assert tally.customers == ()
    assert [r.amount for r in tally.revenue] == [Decimal("10.00")]  # the sale still counts


def test_an_order_no_event_placed_in_a_region_adds_nothing() -> None:
    assert contribution(merge(shipped("o1"), cancelled("o1"))) == Tally()
