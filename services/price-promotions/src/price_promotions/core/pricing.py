"""A product's TikTok prices in one region: price rules first, then the pricing mode."""

from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from price_promotions.core.modes import PricingMode, SkuPrices, SkuTarget, target_for
from price_promotions.core.money import currency_of
from price_promotions.core.rules import PriceRule, ProductScope, apply_rule, rule_for
from price_promotions.core.schedule import WindowState, window_state


class RegionPricing(BaseModel):
    """A region's pricing settings."""

    model_config = ConfigDict(frozen=True)

    region: str
    mode: PricingMode = PricingMode.SHOPIFY_PRICE
    exchange_rate: Decimal = Field(
        default=Decimal(1), gt=0, description="Region currency per unit of the store's currency."
    )
    rules: list[PriceRule] = Field(default_factory=list)
    two_prices_enabled_at: AwareDatetime | None = Field(
        default=None, description="When two-price mode was switched on (the 180-day window)."
    )

    @property
    def currency(self) -> str:
        """The region's currency."""
        return currency_of(self.region)


class VariantPrices(BaseModel):
    """A Shopify variant's prices (store currency) and the TikTok SKU it is linked to."""

    model_config = ConfigDict(frozen=True)

    tiktok_sku_id: str
    price: Decimal
    compare_at_price: Decimal | None = None


class ProductPricing(BaseModel):
    """Per TikTok SKU: the target, or why it has none."""

    model_config = ConfigDict(frozen=True)

    targets: dict[str, SkuTarget] = Field(default_factory=dict)
    problems: dict[str, str] = Field(default_factory=dict)

    @property
    def deals(self) -> dict[str, Decimal]:
        """TikTok SKU id -> deal price, for the SKUs that get a discount."""
        return {s: t.deal_price for s, t in self.targets.items() if t.deal_price is not None}


def price_product(
    product: ProductScope,
    variants: list[VariantPrices],
    region: RegionPricing,
    now: datetime,
    sync_price: bool = True,
) -> ProductPricing:
    """Each linked variant's TikTok price and deal in `region` at `now`; `sync_price` is the
    product's "Product price" rule as catalog-sync resolved it (False: "TikTok Shop")."""
    rule = rule_for(region.rules, product)
    window_open = window_state(region.two_prices_enabled_at, now) is WindowState.ACTIVE
    targets: dict[str, SkuTarget] = {}
    problems: dict[str, str] = {}
    for variant in variants:
        sale = apply_rule(variant.price, rule, region.exchange_rate, region.currency)
        if sale is None:
            problems[variant.tiktok_sku_id] = "the price rules bring the price to zero or below"
            continue
        compare_at = _compare_at(variant.compare_at_price, rule, region)
        prices = SkuPrices(sale=sale, compare_at=compare_at)
        targets[variant.tiktok_sku_id] = target_for(prices, region.mode, sync_price, window_open)
    return ProductPricing(targets=targets, problems=problems)


def _compare_at(
    amount: Decimal | None, rule: PriceRule | None, region: RegionPricing
) -> Decimal | None:
    # Shopify sends 0 or an empty compare-at for "none".
    if amount is None or amount <= 0:
        return None
    return apply_rule(amount, rule, region.exchange_rate, region.currency)


def two_prices_since(old: RegionPricing, new_mode: PricingMode, now: datetime) -> datetime | None:
    """The window start after a mode change: kept while two prices stay on, set when they are
    switched on the first time, kept (and so still counting) when they are switched off."""
    if new_mode.two_prices and old.two_prices_enabled_at is None:
        return now
    return old.two_prices_enabled_at
