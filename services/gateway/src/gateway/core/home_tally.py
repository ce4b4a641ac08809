"""What one order adds to the Home dashboard's per-day figures, and how a change moves it.

The dashboard keeps sums per day (counts per tab, revenue per currency, units and amounts per
product, orders and amounts per buyer), so a period's figures sum days, never orders. When an
order's facts change, `delta` takes its old contribution out and puts the new one in: an order
moving from unfulfilled to fulfilled leaves one count for the other, it is never counted twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import ClassVar, Self, TypeVar

from gateway.core.home_facts import SOLD, Bucket, OrderFacts


@dataclass(frozen=True)
class _Row:
    """A row of per-day sums: a key, and numbers that add up."""

    NUMBERS: ClassVar[tuple[str, ...]]

    def key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def scaled(self, factor: int) -> Self:
        return replace(self, **{n: getattr(self, n) * factor for n in self.NUMBERS})

    def plus(self, other: Self) -> Self:
        """Both rows' numbers, with `other`'s labels."""
        return replace(other, **{n: getattr(self, n) + getattr(other, n) for n in self.NUMBERS})

    def is_zero(self) -> bool:
        return not any(getattr(self, n) for n in self.NUMBERS)


R = TypeVar("R", bound=_Row)


@dataclass(frozen=True)
class Counted(_Row):
    """Orders of a day in a tab."""

    NUMBERS: ClassVar[tuple[str, ...]] = ("orders",)

    day: date
    bucket: Bucket
    orders: int

    def key(self) -> tuple[object, ...]:
        return (self.day, self.bucket)


@dataclass(frozen=True)
class Revenue(_Row):
    """What was sold on a day, in one currency (currencies are never added together)."""

    NUMBERS: ClassVar[tuple[str, ...]] = ("amount", "orders")

    day: date
    currency: str
    amount: Decimal
    orders: int

    def key(self) -> tuple[object, ...]:
        return (self.day, self.currency)


@dataclass(frozen=True)
class ProductSold(_Row):
    """Units and amount of one TikTok SKU sold on a day, in one currency."""

    NUMBERS: ClassVar[tuple[str, ...]] = ("quantity", "amount")

    day: date
    currency: str
    product_id: str
    sku_id: str
    quantity: int
    amount: Decimal
    name: str = ""
    seller_sku: str = ""

    def key(self) -> tuple[object, ...]:
        return (self.day, self.currency, self.product_id, self.sku_id)


@dataclass(frozen=True)
class CustomerBought(_Row):
    """Orders and amount of one TikTok buyer on a day, in one currency."""

    NUMBERS: ClassVar[tuple[str, ...]] = ("orders", "amount")

    day: date
    currency: str
    buyer_id: str
    orders: int
    amount: Decimal
    buyer_name: str | None = None

    def key(self) -> tuple[object, ...]:
        return (self.day, self.currency, self.buyer_id)


@dataclass(frozen=True)
class Tally:
    """Rows to add to the per-day sums (negative to take an old contribution out)."""

    counts: tuple[Counted, ...] = ()
    revenue: tuple[Revenue, ...] = ()
    products: tuple[ProductSold, ...] = ()
    customers: tuple[CustomerBought, ...] = ()

    def is_empty(self) -> bool:
        return not (self.counts or self.revenue or self.products or self.customers)


def contribution(facts: OrderFacts) -> Tally:
    """What the order adds to its day; nothing until an event said its region and day."""
    bucket, day, sale = facts.bucket, facts.day, facts.sale
    if bucket is None or day is None or facts.region is None:
        return Tally()
    counts = (Counted(day, bucket, 1),)
    if bucket not in SOLD or sale is None or sale.currency is None or sale.total is None:
        return Tally(counts=counts)
    currency = sale.currency
    products = tuple(
        ProductSold(
            day,
            currency,
            line.tiktok_product_id,
            line.tiktok_sku_id,
            line.quantity,
            line.amount,
            line.product_name,
            line.seller_sku,
        )
        for line in sale.lines
    )
    buyer = facts.buyer_id
    customers = (
        (CustomerBought(day, currency, buyer, 1, sale.total, sale.buyer_name),) if buyer else ()
    )
    revenue = (Revenue(day, currency, sale.total, 1),)
    return Tally(counts, revenue, products, customers)


def delta(old: OrderFacts, new: OrderFacts) -> Tally:
    """The rows that turn `old`'s contribution into `new`'s (zero rows left out)."""
    before, after = contribution(old), contribution(new)
    return Tally(
        counts=_sum(_negated(before.counts), after.counts),
        revenue=_sum(_negated(before.revenue), after.revenue),
        products=_sum(_negated(before.products), after.products),
        customers=_sum(_negated(before.customers), after.customers),
    )


def moves(old: OrderFacts, new: OrderFacts) -> list[tuple[str, Tally]]:
    """The changes to each region's sums when an order's facts go from `old` to `new`."""
    if old.region == new.region:
        change = delta(old, new)
        return [] if new.region is None or change.is_empty() else [(new.region, change)]
    # Only when events disagreed on the region: out of one, into the other.
    out = [(old.region, delta(old, NOTHING))] if old.region else []
    into = [(new.region, delta(NOTHING, new))] if new.region else []
    return [(region, change) for region, change in [*out, *into] if not change.is_empty()]


NOTHING = OrderFacts()


def _negated(rows: Iterable[R]) -> list[R]:
    return [row.scaled(-1) for row in rows]


def _sum(removed: list[R], added: Iterable[R]) -> tuple[R, ...]:
    # Added rows come last, so a key present in both keeps the new labels (names).
    summed: dict[tuple[object, ...], R] = {}
    for row in [*removed, *added]:
        key = row.key()
        summed[key] = summed[key].plus(row) if key in summed else row
    return tuple(row for row in summed.values() if not row.is_zero())
