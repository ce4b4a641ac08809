"""The intake decision: paid at most once, stale changes ignored, unpaid never paid."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from connector_contracts import OrderStatus, OrderStatusChanged
from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.intake import (
    LocalView,
    RelayState,
    SweepEmission,
    decide_intake,
    is_paid,
    sweep_already_emitted,
    sweep_should_emit,
)

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


def test_cancelled_while_pending_stops_the_relay() -> None:
    paid = decide_intake(None, change(OrderStatus.AWAITING_SHIPMENT, 1), "c", relay_on_hold=True)
    cancelled = decide_intake(paid.order, change(OrderStatus.CANCELLED, 2), "c", relay_on_hold=True)
    assert cancelled.order.relay_state is RelayState.CANCELLED
    assert not cancelled.emit_paid


def test_sweep_repairs_an_order_stuck_pending() -> None:
    paid = decide_intake(
        None, change(OrderStatus.AWAITING_SHIPMENT, 1), "c", relay_on_hold=True
    ).order
    stuck = replace(paid, state_changed_at=T0)
    swept = OrderStatusChanged(
        **{**change(OrderStatus.AWAITING_SHIPMENT, 1).model_dump(), "source": "sweep"}
    )
    later = T0 + timedelta(hours=1)
    assert decide_intake(stuck, swept, "c", relay_on_hold=True, now=later).repaired
    webhook = change(OrderStatus.AWAITING_SHIPMENT, 1)
    assert not decide_intake(stuck, webhook, "c", relay_on_hold=True, now=later).repaired
    fresh = decide_intake(stuck, swept, "c", relay_on_hold=True, now=T0 + timedelta(minutes=1))
    assert not fresh.repaired


def test_sweep_emits_only_what_the_relay_missed() -> None:
    view = LocalView(OrderStatus.AWAITING_SHIPMENT, T0, True, RelayState.RELAYED, T0)
    kw = {"now": T0 + timedelta(hours=1), "stuck_after": timedelta(minutes=10)}
    assert sweep_should_emit(None, OrderStatus.UNPAID, T0, **kw)
    assert not sweep_should_emit(view, OrderStatus.AWAITING_SHIPMENT, T0, **kw)
    assert sweep_should_emit(view, OrderStatus.CANCELLED, T0 + timedelta(seconds=5), **kw)
    assert not sweep_should_emit(view, OrderStatus.CANCELLED, T0 - timedelta(seconds=5), **kw)
    pending = replace(view, relay_state=RelayState.PENDING)
    assert sweep_should_emit(pending, OrderStatus.AWAITING_SHIPMENT, T0, **kw)


def test_a_queued_relay_is_not_stuck() -> None:
    kw = {"now": T0 + timedelta(hours=1), "stuck_after": timedelta(minutes=10)}
    queued = LocalView(OrderStatus.AWAITING_SHIPMENT, T0, True, RelayState.PENDING, T0, True)
    assert not sweep_should_emit(queued, OrderStatus.AWAITING_SHIPMENT, T0, **kw)
    paid = decide_intake(
        None, change(OrderStatus.AWAITING_SHIPMENT, 1), "c", relay_on_hold=True
    ).order
    swept = OrderStatusChanged(
        **{**change(OrderStatus.AWAITING_SHIPMENT, 1).model_dump(), "source": "sweep"}
    )
    stuck = replace(paid, state_changed_at=T0)
    assert not decide_intake(
        stuck, swept, "c", relay_on_hold=True, now=kw["now"], relay_queued=True
    ).repaired


def test_a_sweep_does_not_emit_again_what_it_emitted_within_the_floor() -> None:
    last = SweepEmission(OrderStatus.AWAITING_SHIPMENT, T0)
    floor = timedelta(minutes=10)
    kw = {"floor": floor}
    assert sweep_already_emitted(last, OrderStatus.AWAITING_SHIPMENT, now=T0, **kw)
    assert sweep_already_emitted(
        last, OrderStatus.AWAITING_SHIPMENT, now=T0 + floor - timedelta(seconds=1), **kw
    )
    assert not sweep_already_emitted(last, OrderStatus.AWAITING_SHIPMENT, now=T0 + floor, **kw)
    assert not sweep_already_emitted(last, OrderStatus.CANCELLED, now=T0, **kw)  # news
    assert not sweep_already_emitted(None, OrderStatus.AWAITING_SHIPMENT, now=T0, **kw)


@given(sweeps=st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=200))
def test_sweeps_during_an_outage_emit_an_order_once_per_floor(sweeps: list[int]) -> None:
    # Sweeps `gap` seconds apart while nothing is consumed: the order is emitted at most
    # once per floor, however often the sweeps run.
    floor = timedelta(minutes=10)
    now, last, emitted = T0, None, 0
    for gap in sweeps:
        now += timedelta(seconds=gap)
        status = OrderStatus.AWAITING_SHIPMENT
        if not sweep_already_emitted(last, status, now=now, floor=floor):
            last, emitted = SweepEmission(status, now), emitted + 1
    elapsed = now - T0
    assert emitted <= 1 + elapsed // floor
    assert emitted >= 1
