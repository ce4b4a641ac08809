"""Money of a relayed order: unit prices, shipping, tax and the total paid, all Decimal."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATE = Decimal("0.0001")


def money(value: Decimal) -> Decimal:
    """Round to cents, half up (TikTok amounts are already in cents)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tiktok_unit_price(original: Decimal, seller_discount: Decimal) -> Decimal:
    """What the seller earns for one unit: the list price less the seller-funded discount.

    Platform-funded discounts are paid to the seller by TikTok, so they don't lower it.
    """
    return money(max(original - seller_discount, Decimal(0)))


def tax_rate(tax: Decimal, base: Decimal) -> Decimal:
    """The rate Shopify requires on a tax line, from an amount (0 when there is no base)."""
    if base <= 0 or tax <= 0:
        return Decimal(0)
    return (tax / base).quantize(RATE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    """An order's money as it will appear in Shopify."""

    subtotal: Decimal
    shipping: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        """What the buyer paid as far as the merchant is concerned."""
        return money(self.subtotal + self.shipping + self.tax)


def totals(units: Sequence[tuple[Decimal, int]], shipping: Decimal, tax: Decimal) -> Totals:
    """Totals from (unit price, quantity) pairs, shipping and tax."""
    subtotal = sum((price * quantity for price, quantity in units), Decimal(0))
    return Totals(money(subtotal), money(shipping), money(tax))
