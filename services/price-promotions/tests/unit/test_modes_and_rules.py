"""Price rules, pricing modes and the discount band (pure, property-tested)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from price_promotions.core.modes import (
    MAX_DISCOUNT_PERCENT,
    MIN_DISCOUNT_PERCENT,
    NoDeal,
    PricingMode,
    SkuPrices,
    discount_percent,
    target_for,
)
from price_promotions.core.money import currency_of, to_money
from price_promotions.core.pricing import (
    RegionPricing,
    VariantPrices,
    price_product,
    two_prices_since,
)
from price_promotions.core.rules import (
    Adjustment,
    AmountType,
    PriceRule,
    ProductScope,
    RuleScope,
    apply_rule,
    round_to_ending,
    rule_for,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
modes = st.sampled_from(list(PricingMode))
sync_prices = st.booleans()


@given(money, st.one_of(st.none(), money), modes, sync_prices)
def test_a_deal_exists_only_in_two_price_mode_with_origin_inside_the_band(
    sale: Decimal, compare_at: Decimal | None, mode: PricingMode, rule: bool
) -> None:
    target = target_for(SkuPrices(sale=sale, compare_at=compare_at), mode, rule)
    if target.deal_price is None:
        assert target.no_deal is not None
        return
    assert mode is PricingMode.SAME_AS_SHOPIFY
    assert rule
    assert compare_at is not None
    assert target.list_price == compare_at
    assert target.deal_price == sale < compare_at
    assert MIN_DISCOUNT_PERCENT <= discount_percent(compare_at, sale) <= MAX_DISCOUNT_PERCENT


@given(money, st.one_of(st.none(), money))
def test_one_price_modes_never_discount(sale: Decimal, compare_at: Decimal | None) -> None:
    prices = SkuPrices(sale=sale, compare_at=compare_at)
    shopify = target_for(prices, PricingMode.SHOPIFY_PRICE, True)
    compare = target_for(prices, PricingMode.COMPARE_AT_PRICE, True)
    assert (shopify.list_price, shopify.deal_price) == (sale, None)
    assert (compare.list_price, compare.deal_price) == (compare_at or sale, None)


@given(money, money)
def test_two_prices_outside_the_band_or_not_below_sell_at_the_sale_price(
    sale: Decimal, compare_at: Decimal
) -> None:
    target = target_for(
        SkuPrices(sale=sale, compare_at=compare_at),
        PricingMode.SAME_AS_SHOPIFY,
        True,
    )
    inside = sale < compare_at and (
        MIN_DISCOUNT_PERCENT <= discount_percent(compare_at, sale) <= MAX_DISCOUNT_PERCENT
    )
    assert (target.deal_price is not None) == inside
    if not inside:
        assert target.list_price == sale


@pytest.mark.parametrize(
    ("sale", "compare_at", "deal", "reason"),
    [
        ("95.00", "100.00", "95.00", None),  # exactly 5 %
        ("10.00", "100.00", "10.00", None),  # exactly 90 %
        ("95.01", "100.00", None, NoDeal.OUTSIDE_BAND),
        ("9.99", "100.00", None, NoDeal.OUTSIDE_BAND),
        ("100.00", "100.00", None, NoDeal.NOT_BELOW_COMPARE_AT),
        ("120.00", "100.00", None, NoDeal.NOT_BELOW_COMPARE_AT),
        ("50.00", None, None, NoDeal.NO_COMPARE_AT),
    ],
)
def test_band_edges(sale: str, compare_at: str | None, deal: str | None, reason: NoDeal) -> None:
    prices = SkuPrices(sale=Decimal(sale), compare_at=Decimal(compare_at) if compare_at else None)
    target = target_for(prices, PricingMode.SAME_AS_SHOPIFY, True)
    assert target.deal_price == (Decimal(deal) if deal else None)
    assert target.no_deal == reason


def test_sync_rule_tiktok_never_creates_a_deal() -> None:
    prices = SkuPrices(sale=Decimal(50), compare_at=Decimal(100))
    target = target_for(prices, PricingMode.SAME_AS_SHOPIFY, False)
    assert target.deal_price is None
    assert target.no_deal is NoDeal.SYNC_RULE_TIKTOK


def _rule(scope: RuleScope, target: str = "", **kw: object) -> PriceRule:
    return PriceRule.model_validate({"scope": scope, "target": target, **kw})


PRODUCT = ProductScope(
    shopify_product_id="p1", collection_ids=frozenset({"c1"}), tags=frozenset({"sale"})
)


def test_product_rule_beats_collection_and_tag_which_beat_store() -> None:
    store = _rule(RuleScope.STORE, amount=1)
    tag = _rule(RuleScope.TAG, "sale", amount=2, priority=2)
    collection = _rule(RuleScope.COLLECTION, "c1", amount=3, priority=1)
    product = _rule(RuleScope.PRODUCT, "p1", amount=4)
    other = _rule(RuleScope.PRODUCT, "p2", amount=5)
    assert rule_for([store, tag, collection, product, other], PRODUCT) == product
    assert rule_for([store, tag, collection, other], PRODUCT) == collection
    assert rule_for([store, tag, other], PRODUCT) == tag
    assert rule_for([store, other], PRODUCT) == store
    assert rule_for([other], PRODUCT) is None


@pytest.mark.parametrize(
    ("adjustment", "amount_type", "amount", "expected"),
    [
        (Adjustment.MARKUP, AmountType.PERCENT, "10", "22.00"),
        (Adjustment.MARKDOWN, AmountType.PERCENT, "10", "18.00"),
        (Adjustment.MARKUP, AmountType.FIXED, "2.50", "22.50"),
        (Adjustment.MARKDOWN, AmountType.FIXED, "2.50", "17.50"),
    ],
)
def test_markup_and_markdown_after_conversion(
    adjustment: Adjustment, amount_type: AmountType, amount: str, expected: str
) -> None:
    rule = _rule(RuleScope.STORE, adjustment=adjustment, amount_type=amount_type, amount=amount)
    assert apply_rule(Decimal("10.00"), rule, Decimal(2), "EUR") == Decimal(expected)


@given(money, st.sampled_from(["0.99", "0.95", "0.00", "0.49"]))
def test_rounding_goes_up_to_the_nearest_ending(price: Decimal, ending: str) -> None:
    rounded = round_to_ending(price, Decimal(ending), "USD")
    assert rounded >= price
    assert rounded - price < 1
    assert rounded % 1 == Decimal(ending)


def test_whole_unit_currencies_round_to_whole_units() -> None:
    assert to_money(Decimal("1234.5"), currency_of("JP")) == Decimal(1235)
    assert round_to_ending(Decimal("1234.2"), Decimal("0.99"), "JPY") == Decimal(1235)


@given(money, st.decimals(min_value=Decimal("0.01"), max_value=Decimal(200), places=4))
def test_conversion_is_decimal_and_in_minor_units(price: Decimal, rate: Decimal) -> None:
    result = apply_rule(price, None, rate, "GBP")
    expected = to_money(price * rate, "GBP")
    assert result == (expected if expected > 0 else None)
    assert result is None or result == result.quantize(Decimal("0.01"))


def test_a_markdown_to_zero_is_a_problem_not_a_price() -> None:
    region = RegionPricing(
        region="US",
        rules=[
            _rule(
                RuleScope.STORE,
                adjustment=Adjustment.MARKDOWN,
                amount_type=AmountType.FIXED,
                amount=20,
            )
        ],
    )
    variant = VariantPrices(tiktok_sku_id="s1", price=Decimal(10))
    result = price_product(PRODUCT, [variant], region, NOW)
    assert result.targets == {}
    assert "zero" in result.problems["s1"]


def test_rules_apply_to_both_prices_before_the_mode() -> None:
    region = RegionPricing(
        region="GB",
        mode=PricingMode.SAME_AS_SHOPIFY,
        two_prices_enabled_at=NOW,
        exchange_rate=Decimal("0.8"),
        rules=[_rule(RuleScope.TAG, "sale", amount=25, rounding=Decimal("0.99"))],
    )
    variant = VariantPrices(tiktok_sku_id="s1", price=Decimal(60), compare_at_price=Decimal(100))
    result = price_product(PRODUCT, [variant], region, NOW)
    # 60 * 0.8 * 1.25 = 60 -> 60.99; 100 * 0.8 * 1.25 = 100 -> 100.99
    assert result.targets["s1"].list_price == Decimal("100.99")
    assert result.deals == {"s1": Decimal("60.99")}


def test_invalid_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="store rule"):
        _rule(RuleScope.STORE, "x")
    with pytest.raises(ValueError, match="names one"):
        _rule(RuleScope.TAG)
    with pytest.raises(ValueError, match="below 100"):
        _rule(RuleScope.STORE, adjustment=Adjustment.MARKDOWN, amount=100)


def test_the_window_starts_the_first_time_two_prices_are_switched_on() -> None:

    t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
    off = RegionPricing(region="US")
    assert two_prices_since(off, PricingMode.COMPARE_AT_PRICE, t0) is None
    assert two_prices_since(off, PricingMode.SAME_AS_SHOPIFY, t0) == t0
    on = RegionPricing(region="US", mode=PricingMode.SAME_AS_SHOPIFY, two_prices_enabled_at=t0)
    assert two_prices_since(on, PricingMode.SHOPIFY_PRICE, t1) == t0  # still counting
    assert two_prices_since(on, PricingMode.SAME_AS_SHOPIFY, t1) == t0  # never restarts


@given(money, money, st.booleans())
def test_after_the_window_two_prices_sell_at_the_sale_price(
    sale: Decimal, compare_at: Decimal, rule: bool
) -> None:
    prices = SkuPrices(sale=sale, compare_at=compare_at)
    open_ = target_for(prices, PricingMode.SAME_AS_SHOPIFY, rule, window_open=True)
    closed = target_for(prices, PricingMode.SAME_AS_SHOPIFY, rule, window_open=False)
    assert closed.deal_price is None
    if open_.deal_price is not None:
        assert (closed.list_price, closed.no_deal) == (sale, NoDeal.WINDOW_ENDED)
    else:
        assert closed == open_


def test_a_region_whose_window_ended_gets_no_deal() -> None:
    region = RegionPricing(
        region="US",
        mode=PricingMode.SAME_AS_SHOPIFY,
        two_prices_enabled_at=NOW - timedelta(days=181),
    )
    variant = VariantPrices(tiktok_sku_id="s1", price=Decimal(50), compare_at_price=Decimal(100))
    result = price_product(PRODUCT, [variant], region, NOW)
    assert result.deals == {}
    assert result.targets["s1"].list_price == Decimal(50)
