"""The renewal schedule and the activity plan (pure, property-tested)."""

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from price_promotions.core.activities import ActivityRecord, Step, plan_activity, title_of
from price_promotions.core.schedule import (
    ACTIVITY_MAX,
    ACTIVITY_MIN,
    MAX_RENEWALS,
    START_DELAY,
    WINDOW,
    Period,
    WindowState,
    next_period,
    renew_at,
    window_state,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DEALS = {"sku1": Decimal("9.00")}


def _record(
    generation: int, begin: datetime, end: datetime, deals: dict[str, Decimal] = DEALS
) -> ActivityRecord:
    return ActivityRecord(
        activity_id=f"a{generation}", generation=generation, begin=begin, end=end, deals=deals
    )


def _run_chain(enabled_at: datetime, step: timedelta) -> list[ActivityRecord]:
    """Simulate the worker waking every `step`: the activities one product gets over time."""
    chain: list[ActivityRecord] = []
    now = enabled_at
    while now < enabled_at + WINDOW + timedelta(days=10):
        plan = plan_activity(DEALS, chain[-1] if chain else None, now, enabled_at)
        if plan.step in (Step.CREATE, Step.RENEW):
            assert plan.period is not None
            chain.append(_record(plan.generation, plan.period.begin, plan.period.end))
        now += step
    return chain


@pytest.mark.parametrize("step", [timedelta(hours=1), timedelta(hours=5), timedelta(hours=13)])
def test_a_chain_runs_back_to_back_to_the_window_end_without_gap_or_overlap(
    step: timedelta,
) -> None:
    chain = _run_chain(T0, step)
    assert len(chain) <= MAX_RENEWALS + 1
    assert [a.generation for a in chain] == list(range(1, len(chain) + 1))
    for before, after in itertools.pairwise(chain):
        # Queued before the current one ends, beginning the second it ends: no moment without
        # the discount, and never two at once.
        assert after.begin == before.end
    assert chain[-1].end == T0 + WINDOW  # the discount lasts the whole window
    for activity in chain:
        assert activity.end - activity.begin <= ACTIVITY_MAX


@given(
    late=st.integers(min_value=0, max_value=3 * 24 * 60),
    enabled_days=st.integers(min_value=0, max_value=170),
)
def test_a_renewal_begins_when_the_current_ends_or_soon_after_a_late_run(
    late: int, enabled_days: int
) -> None:
    enabled = T0 - timedelta(days=enabled_days)
    current = _record(1, T0, T0 + ACTIVITY_MAX)
    now = renew_at(_period(current)) + timedelta(minutes=late)
    plan = plan_activity(DEALS, current, now, enabled)
    if plan.step is Step.EXPIRE:
        assert current.end >= enabled + WINDOW - ACTIVITY_MIN or now >= enabled + WINDOW
        return
    assert plan.step is Step.RENEW
    assert plan.period is not None
    assert plan.period.begin == max(current.end, now + START_DELAY)
    assert plan.period.begin > now  # TikTok wants a future begin_time
    assert plan.period.end - plan.period.begin <= ACTIVITY_MAX
    assert plan.period.end <= enabled + WINDOW


def test_a_queued_successor_names_its_running_predecessor_until_it_begins() -> None:
    successor = _record(2, T0 + ACTIVITY_MAX, T0 + 2 * ACTIVITY_MAX).model_copy(
        update={"predecessor_id": "a1"}
    )
    assert successor.running_predecessor(T0 + ACTIVITY_MAX - timedelta(seconds=1)) == "a1"
    assert successor.running_predecessor(T0 + ACTIVITY_MAX) is None


def _period(record: ActivityRecord) -> Period:
    return Period(begin=record.begin, end=record.end)


def test_no_deals_removes_the_activity_and_nothing_wanted_is_nothing() -> None:
    current = _record(1, T0, T0 + ACTIVITY_MAX)
    assert plan_activity({}, current, T0, T0).step is Step.REMOVE
    assert plan_activity({}, None, T0, T0).step is Step.NONE
    assert plan_activity(DEALS, current, T0, None).step is Step.REMOVE


def test_a_price_change_mid_activity_updates_it() -> None:
    current = _record(1, T0, T0 + ACTIVITY_MAX)
    plan = plan_activity({"sku1": Decimal("8.00")}, current, T0 + timedelta(days=3), T0)
    assert (plan.step, plan.generation) == (Step.UPDATE, 1)
    assert plan_activity(DEALS, current, T0 + timedelta(days=3), T0).step is Step.NONE


def test_a_first_activity_continues_the_generations_and_ends_with_the_window() -> None:
    enabled = T0 - (WINDOW - timedelta(days=5))
    plan = plan_activity(DEALS, None, T0, enabled, last_generation=2)
    assert plan.step is Step.CREATE
    assert plan.generation == 3
    assert plan.period is not None
    assert plan.period.end == enabled + WINDOW
    assert plan_activity(DEALS, None, enabled + WINDOW, enabled).step is Step.NONE


def test_after_the_last_renewal_the_activity_expires() -> None:
    current = _record(MAX_RENEWALS + 1, T0, T0 + ACTIVITY_MAX)
    assert plan_activity(DEALS, current, T0 + ACTIVITY_MAX, T0).step is Step.EXPIRE


def test_window_states_and_short_remainders() -> None:
    assert window_state(None, T0) is WindowState.NOT_ENABLED
    assert window_state(T0, T0 + WINDOW - timedelta(seconds=1)) is WindowState.ACTIVE
    assert window_state(T0, T0 + WINDOW) is WindowState.ENDED
    assert next_period(T0 + WINDOW - timedelta(minutes=5), T0) is None


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.integers(1, 99))
def test_titles_fit_tiktoks_50_characters_and_differ_by_generation(product: str, gen: int) -> None:
    assert len(title_of(product, gen)) <= 50
    assert title_of(product, gen) != title_of(product, gen + 1)


def test_an_activity_running_to_the_window_end_is_not_renewed() -> None:
    enabled = T0
    last = _record(3, T0 + WINDOW - ACTIVITY_MAX, T0 + WINDOW)
    assert (
        plan_activity(DEALS, last, T0 + WINDOW - timedelta(hours=12), enabled).step is Step.EXPIRE
    )
