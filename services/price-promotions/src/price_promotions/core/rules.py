"""Price rules: markup or markdown (fixed or %), conversion at the merchant's rate, rounding.

The most specific rule wins: a product rule beats a collection or tag rule, which beats the
store rule; among several matching collection/tag rules the lowest `priority` wins. Conversion
comes first, so fixed amounts and roundings are in the region's currency.
"""

from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from price_promotions.core.money import minor_unit, to_money


class RuleScope(StrEnum):
    """What a rule applies to."""

    PRODUCT = "product"
    COLLECTION = "collection"
    TAG = "tag"
    STORE = "store"


class Adjustment(StrEnum):
    """Raise or lower the price."""

    MARKUP = "markup"
    MARKDOWN = "markdown"


class AmountType(StrEnum):
    """A fixed amount (region currency) or a percentage of the price."""

    FIXED = "fixed"
    PERCENT = "percent"


class PriceRule(BaseModel):
    """One merchant price rule of a region."""

    model_config = ConfigDict(frozen=True)

    scope: RuleScope
    target: str = Field(
        default="", description="Shopify product id, collection id or tag; empty for the store."
    )
    adjustment: Adjustment = Adjustment.MARKUP
    amount_type: AmountType = AmountType.PERCENT
    amount: Decimal = Field(default=Decimal(0), ge=0, description="Fixed amount or percent.")
    rounding: Decimal | None = Field(
        default=None,
        ge=0,
        lt=1,
        description="Price ending to round up to, e.g. 0.99; None keeps the cents.",
    )
    priority: int = Field(default=0, description="Lower wins among collection/tag rules.")

    @model_validator(mode="after")
    def _targeted(self) -> "PriceRule":
        if (self.scope is RuleScope.STORE) != (self.target == ""):
            raise ValueError("a store rule has no target; every other rule names one")
        percent_markdown = self.adjustment is Adjustment.MARKDOWN and (
            self.amount_type is AmountType.PERCENT
        )
        if percent_markdown and self.amount >= 100:
            raise ValueError("a markdown is below 100 %")
        return self


class ProductScope(BaseModel):
    """What a rule can match of a product."""

    model_config = ConfigDict(frozen=True)

    shopify_product_id: str
    collection_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


def rule_for(rules: list[PriceRule], product: ProductScope) -> PriceRule | None:
    """The rule that applies to `product`: product, then collection/tag, then store."""
    by_product = [r for r in rules if r.scope is RuleScope.PRODUCT]
    grouped = [
        r
        for r in rules
        if (r.scope is RuleScope.COLLECTION and r.target in product.collection_ids)
        or (r.scope is RuleScope.TAG and r.target in product.tags)
    ]
    for candidates in (
        [r for r in by_product if r.target == product.shopify_product_id],
        sorted(grouped, key=lambda r: (r.priority, r.scope.value, r.target)),
        [r for r in rules if r.scope is RuleScope.STORE],
    ):
        if candidates:
            return candidates[0]
    return None


def _adjusted(price: Decimal, rule: PriceRule) -> Decimal:
    delta = rule.amount if rule.amount_type is AmountType.FIXED else price * rule.amount / 100
    return price + delta if rule.adjustment is Adjustment.MARKUP else price - delta


def round_to_ending(price: Decimal, ending: Decimal, currency: str) -> Decimal:
    """The smallest price >= `price` that ends in `ending` (12.30 -> 12.99, 13.00 -> 13.99)."""
    step = minor_unit(currency)
    ending = ending.quantize(step) if step < 1 else Decimal(0)
    whole = (price - ending).to_integral_value(rounding=ROUND_CEILING)
    return whole + ending


def apply_rule(
    price: Decimal, rule: PriceRule | None, rate: Decimal, currency: str
) -> Decimal | None:
    """The price TikTok gets from a Shopify `price`: converted at `rate`, adjusted, rounded;
    None when the result is not a positive price."""
    converted = price * rate
    result = converted if rule is None else _adjusted(converted, rule)
    result = to_money(result, currency)
    if rule is not None and rule.rounding is not None:
        result = round_to_ending(result, rule.rounding, currency)
    return result if result > 0 else None
