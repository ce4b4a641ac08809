"""Money math, retry schedule, shipment planning and the other after-relay decisions."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from connector_contracts import OrderStatus
from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.decisions import (
    StatusEffect,
    cancel_reason_for_shopify,
    is_oversold,
    lines_for_fulfilment,
    next_retry_at,
    plan_shipment,
    provider_for,
    should_restock_return,
    status_effect,
)
from order_relay.core.intake import RelayState, TrackedOrder
from order_relay.core.pricing import money, tax_rate, tiktok_unit_price, totals
from order_relay.core.settings import OrderSettings
from pydantic import ValidationError

NOW = datetime(2026, 1, 1, tzinfo=UTC)
amounts = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)


@given(amounts, amounts)
def test_unit_price_is_never_negative_and_never_above_the_list_price(
    original: Decimal, discount: Decimal
) -> None:
    price = tiktok_unit_price(original, discount)
    assert Decimal(0) <= price <= original


@given(st.lists(st.tuples(amounts, st.integers(1, 5)), max_size=10), amounts, amounts)
def test_total_is_the_sum_of_its_parts_in_cents(
    units: list[tuple[Decimal, int]], ship: Decimal, tax: Decimal
) -> None:
    t = totals(units, ship, tax)
    assert t.total == money(sum((p * q for p, q in units), Decimal(0)) + ship + tax)
    assert t.total.as_tuple().exponent == -2


def test_tax_rate_is_zero_without_a_base() -> None:
    assert tax_rate(Decimal("2.00"), Decimal(0)) == 0
    assert tax_rate(Decimal("8.25"), Decimal("100.00")) == Decimal("0.0825")


def test_retries_every_interval_three_times_when_enabled() -> None:
    every = timedelta(minutes=10)
    schedule = [
        next_retry_at(a, enabled=True, max_retries=3, interval=every, now=NOW) for a in range(1, 6)
    ]
    assert schedule == [NOW + every] * 3 + [None, None]
    assert next_retry_at(1, enabled=False, max_retries=3, interval=every, now=NOW) is None


def tracked(state: RelayState, held: bool = False) -> TrackedOrder:
    return TrackedOrder("1", "c", "s", OrderStatus.ON_HOLD, True, NOW, True, state, held)


@pytest.mark.parametrize(
    ("state", "held", "status", "effect"),
    [
        (RelayState.RELAYED, True, OrderStatus.AWAITING_SHIPMENT, StatusEffect.RELEASE_HOLD),
        (RelayState.RELAYED, True, OrderStatus.ON_HOLD, StatusEffect.NONE),
        (RelayState.RELAYED, False, OrderStatus.AWAITING_SHIPMENT, StatusEffect.NONE),
        (RelayState.RELAYED, True, OrderStatus.CANCELLED, StatusEffect.CANCEL),
        (RelayState.PENDING, True, OrderStatus.CANCELLED, StatusEffect.NONE),
        (RelayState.CANCELLED, False, OrderStatus.CANCELLED, StatusEffect.NONE),
    ],
)
def test_status_effects(
    state: RelayState, held: bool, status: OrderStatus, effect: StatusEffect
) -> None:
    assert status_effect(tracked(state, held), status) is effect


def test_oversold_only_when_the_platform_cancels_for_stock() -> None:
    assert is_oversold("SYSTEM", "ecom_order_system_cancel_out_of_stock")
    assert not is_oversold("BUYER", "out of stock")
    assert not is_oversold("SYSTEM", "payment timeout")
    assert cancel_reason_for_shopify("SYSTEM", "out_of_stock") == "INVENTORY"
    assert cancel_reason_for_shopify("BUYER", "changed mind") == "CUSTOMER"
    assert cancel_reason_for_shopify("SELLER", "x") == "OTHER"


def test_whole_packages_ship_as_they_are_and_partial_ones_split() -> None:
    package_of = {"a": "P1", "b": "P1", "c": "P2"}
    assert plan_shipment(["a", "b", "c"], package_of).whole_packages == ("P1", "P2")
    partial = plan_shipment(["a", "c"], package_of)
    assert partial.whole_packages == ("P2",)
    assert partial.partial_line_ids == ("a",)


@given(
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=2), st.sampled_from(["P1", "P2", "P3"]), max_size=8
    ),
    st.data(),
)
def test_a_shipment_covers_exactly_the_wanted_unshipped_lines(
    package_of: dict[str, str], data: st.DataObject
) -> None:
    wanted = data.draw(st.lists(st.sampled_from(sorted(package_of) or ["x"]), unique=True))
    plan = plan_shipment(wanted, package_of)
    covered = {line for line, p in package_of.items() if p in plan.whole_packages} | set(
        plan.partial_line_ids
    )
    assert covered == set(wanted) & set(package_of)


def test_fulfilled_quantities_pick_unshipped_tiktok_units() -> None:
    line_map = {"S1": ["t1", "t2", "t3"], "S2": ["t4"]}
    assert lines_for_fulfilment({"S1": 2}, line_map, {"t1"}) == ["t2", "t3"]
    assert lines_for_fulfilment({"S2": 1, "S9": 1}, line_map, set()) == ["t4"]


def test_provider_mapping_matches_exact_then_case_blind() -> None:
    mapping = {"UPS": "1", "DHL eCommerce": "2"}
    assert provider_for("UPS", mapping) == "1"
    assert provider_for("dhl ecommerce", mapping) == "2"
    assert provider_for("Royal Mail", mapping) is None
    assert provider_for(None, mapping) is None


def test_returns_restock_only_goods_sent_back_and_when_enabled() -> None:
    assert should_restock_return(
        "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_SUCCESS", enabled=True
    )
    assert not should_restock_return("REFUND", "RETURN_OR_REFUND_REQUEST_SUCCESS", enabled=True)
    assert not should_restock_return("RETURN_AND_REFUND", "AWAITING_BUYER_SHIP", enabled=True)
    assert not should_restock_return(
        "RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_SUCCESS", enabled=False
    )


def test_settings_validation_names_the_field() -> None:
    with pytest.raises(ValidationError) as bad:
        OrderSettings.model_validate(
            {
                "payment_method": " ",
                "shipping_provider_map": {"UPS": "x"},
            }
        )
    fields = {e["loc"][0] for e in bad.value.errors()}
    assert fields == {"payment_method", "shipping_provider_map"}
    assert OrderSettings().payment_method == "TikTokPAY"
