"""The three pricing modes: which Shopify price becomes TikTok's price, and when a discount
activity shows the compare-at price struck through (the guide's "Strike-Through Price")."""

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# TikTok accepts a product discount between 5 % and 90 % (guide, "Configure Price Updates").
MIN_DISCOUNT_PERCENT = Decimal(5)
MAX_DISCOUNT_PERCENT = Decimal(90)


class PricingMode(StrEnum):
    """Per region; `SHOPIFY_PRICE` by default."""

    SHOPIFY_PRICE = "shopify_price"  # "Sync-up Shopify price only"
    COMPARE_AT_PRICE = "compare_at_price"  # "Sync-up compare-at price only"
    SAME_AS_SHOPIFY = "same_as_shopify"  # "Keep the same experience as Shopify"

    @property
    def two_prices(self) -> bool:
        """Whether the mode creates discount activities."""
        return self is PricingMode.SAME_AS_SHOPIFY


class NoDeal(StrEnum):
    """Why a SKU in "same as Shopify" mode gets no discount (shown to the merchant)."""

    NO_COMPARE_AT = "no compare-at price: the sale price is TikTok's price"
    NOT_BELOW_COMPARE_AT = "sale price is not below the compare-at price"
    OUTSIDE_BAND = "discount outside TikTok's 5-90 % band: the sale price is TikTok's price"
    SYNC_RULE_TIKTOK = "price sync rule is TikTok Shop: no discount is created"
    NOT_TWO_PRICES = "pricing mode syncs one price"
    WINDOW_ENDED = "the 180-day strike-through window has ended: the sale price is TikTok's price"


class SkuPrices(BaseModel):
    """A SKU's Shopify prices after the region's price rules (region currency)."""

    model_config = ConfigDict(frozen=True)

    sale: Decimal
    compare_at: Decimal | None = None


class SkuTarget(BaseModel):
    """What TikTok should show for a SKU: its price, and the deal price of an activity."""

    model_config = ConfigDict(frozen=True)

    list_price: Decimal
    deal_price: Decimal | None = None
    no_deal: NoDeal | None = None


def discount_percent(list_price: Decimal, deal_price: Decimal) -> Decimal:
    """How much below the list price the deal is, in percent."""
    return (list_price - deal_price) * 100 / list_price


def target_for(
    prices: SkuPrices, mode: PricingMode, sync_price: bool = True, window_open: bool = True
) -> SkuTarget:
    """TikTok's price (and deal) for a SKU under `mode`; the caller skips the price update
    itself when `sync_price` is False (the "Product price" rule is TikTok Shop, owned by
    catalog-sync and carried by `product.pushed`). Once the strike-through window is over no deal can be
    shown, so two-price mode sells at the sale price (never at the compare-at price)."""
    if mode is PricingMode.SHOPIFY_PRICE:
        return SkuTarget(list_price=prices.sale, no_deal=NoDeal.NOT_TWO_PRICES)
    if mode is PricingMode.COMPARE_AT_PRICE:
        return SkuTarget(list_price=prices.compare_at or prices.sale, no_deal=NoDeal.NOT_TWO_PRICES)
    target = _two_prices(prices, sync_price)
    if target.deal_price is not None and not window_open:
        return SkuTarget(list_price=prices.sale, no_deal=NoDeal.WINDOW_ENDED)
    return target


def _two_prices(prices: SkuPrices, sync_price: bool) -> SkuTarget:
    compare_at = prices.compare_at
    if compare_at is None:
        return SkuTarget(list_price=prices.sale, no_deal=NoDeal.NO_COMPARE_AT)
    if prices.sale >= compare_at:
        return SkuTarget(list_price=prices.sale, no_deal=NoDeal.NOT_BELOW_COMPARE_AT)
    if (
        not MIN_DISCOUNT_PERCENT
        <= discount_percent(compare_at, prices.sale)
        <= MAX_DISCOUNT_PERCENT
    ):
        return SkuTarget(list_price=prices.sale, no_deal=NoDeal.OUTSIDE_BAND)
    if not sync_price:
        return SkuTarget(list_price=compare_at, no_deal=NoDeal.SYNC_RULE_TIKTOK)
    return SkuTarget(list_price=compare_at, deal_price=prices.sale)
