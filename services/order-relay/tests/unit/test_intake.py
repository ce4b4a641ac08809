"""The intake decision: paid at most once, stale changes ignored, unpaid never paid."""

from datetime import UTC, datetime, timedelta

from connector_contracts import OrderStatus, OrderStatusChanged
from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.intake import decide_intake, is_paid

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def change(status: OrderStatus, minutes: int = 0, on_hold: bool = False) -> OrderStatusChanged:
    return OrderStatusChanged(
        tiktok_order_id="576653688135258178",
        tiktok_shop_id="1",
        status=status,
        is_on_hold_order=on_hold,
        updated_at=T0 + timedelta(minutes=minutes),
        source="webhook",
    )


def test_first_awaiting_shipment_makes_the_order_paid() -> None:
    decision = decide_intake(None, change(OrderStatus.AWAITING_SHIPMENT), "c", relay_on_hold=True)
    assert decision.became_paid
    assert decision.order.paid


def test_unpaid_order_is_tracked_but_not_paid() -> None:
    decision = decide_intake(None, change(OrderStatus.UNPAID), "c", relay_on_hold=True)
    assert not decision.became_paid
    assert decision.order.status is OrderStatus.UNPAID


def test_on_hold_order_is_paid_only_when_the_setting_relays_it() -> None:
    on_hold = change(OrderStatus.ON_HOLD, on_hold=True)
    assert decide_intake(None, on_hold, "c", relay_on_hold=True).became_paid
    assert not decide_intake(None, on_hold, "c", relay_on_hold=False).became_paid


def test_order_first_seen_already_shipped_is_still_paid() -> None:
    # The AWAITING_SHIPMENT webhook was missed: the order must still reach Shopify.
    assert decide_intake(None, change(OrderStatus.IN_TRANSIT), "c", relay_on_hold=True).became_paid


def test_cancelled_before_payment_is_never_paid() -> None:
    assert not decide_intake(
        None, change(OrderStatus.CANCELLED), "c", relay_on_hold=False
    ).became_paid


def test_stale_change_is_ignored() -> None:
    current = decide_intake(
        None, change(OrderStatus.AWAITING_SHIPMENT, 10), "c", relay_on_hold=True
    ).order
    stale = decide_intake(current, change(OrderStatus.UNPAID, 5), "c", relay_on_hold=True)
    assert stale.order == current
    assert not stale.became_paid


statuses = st.sampled_from(list(OrderStatus))


@given(st.lists(st.tuples(statuses, st.integers(0, 1000)), min_size=1, max_size=30), st.booleans())
def test_any_sequence_becomes_paid_at_most_once_and_only_via_a_paid_status(
    steps: list[tuple[OrderStatus, int]], relay_on_hold: bool
) -> None:
    order, paid_times = None, 0
    for status, minute in steps:
        decision = decide_intake(order, change(status, minute), "c", relay_on_hold=relay_on_hold)
        if decision.became_paid:
            paid_times += 1
            assert is_paid(status, relay_on_hold=relay_on_hold)
        order = decision.order
    assert paid_times <= 1
    assert order is not None
    assert order.paid == (paid_times == 1)
