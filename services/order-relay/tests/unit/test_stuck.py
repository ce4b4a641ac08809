"""Which paid orders are stuck, and why, in the merchant's words."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.stuck import (
    UNKNOWN_REGION,
    RelayStanding,
    StuckOrder,
    StuckReason,
    count_by_reason,
    count_by_region,
    stuck_order,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
AFTER = timedelta(minutes=10)


def standing(state: str, **kw: object) -> RelayStanding:
    fields: dict[str, object] = {
        "tiktok_order_id": "576653688135258178",
        "connection_id": "c",
        "tiktok_shop_id": "7495",
        "relay_state": state,
        "state_changed_at": T0,
        "relay_attempts": 1,
        "failure_reason": None,
        "next_retry_at": None,
    }
    return RelayStanding(**(fields | kw))  # type: ignore[arg-type]


def test_a_failed_order_without_a_retry_is_failed_with_its_reason() -> None:
    stuck = stuck_order(
        standing("failed", failure_reason="requested 6, available 5"), now=T0, stuck_after=AFTER
    )
    assert stuck is not None
    assert stuck.reason is StuckReason.FAILED
    assert stuck.last_error == "requested 6, available 5"
    assert stuck.since == T0
    assert stuck.attempts == 1


def test_a_failed_order_with_a_retry_scheduled_is_retrying() -> None:
    stuck = stuck_order(standing("failed", next_retry_at=T0), now=T0, stuck_after=AFTER)
    assert stuck is not None
    assert stuck.reason is StuckReason.RETRYING


def test_a_pending_order_is_stuck_only_past_the_threshold() -> None:
    pending = standing("pending", relay_attempts=0)
    assert stuck_order(pending, now=T0 + AFTER, stuck_after=AFTER) is None
    stuck = stuck_order(pending, now=T0 + AFTER + timedelta(minutes=5), stuck_after=AFTER)
    assert stuck is not None
    assert stuck.reason is StuckReason.NOT_RELAYED
    assert "Paid 15 minutes ago" in stuck.last_error


def test_a_relayed_order_is_not_stuck() -> None:
    assert stuck_order(standing("relayed"), now=T0 + 10 * AFTER, stuck_after=AFTER) is None


def test_a_pending_order_whose_job_waits_for_a_platform_says_what_it_waits_for() -> None:
    budget = "Waiting for the Shopify store's API budget: allows this call in 12.0 s."
    pending = standing("pending", relay_attempts=0, waiting_for=budget)
    assert stuck_order(pending, now=T0 + AFTER, stuck_after=AFTER) is None
    stuck = stuck_order(pending, now=T0 + 2 * AFTER, stuck_after=AFTER)
    assert stuck is not None
    assert (stuck.reason, stuck.last_error) == (StuckReason.WAITING, budget)


def test_a_stuck_order_says_its_shop_and_market() -> None:
    stuck = stuck_order(standing("failed", region="DE"), now=T0, stuck_after=AFTER)
    assert stuck is not None
    assert (stuck.tiktok_shop_id, stuck.region) == ("7495", "DE")


def stuck_in(region: str | None, reason: StuckReason) -> StuckOrder:
    found = stuck_order(standing("failed", region=region), now=T0, stuck_after=AFTER)
    assert found is not None
    return replace(found, reason=reason)


def test_counts_per_region_show_a_region_without_stuck_orders_as_zeros() -> None:
    counts = count_by_region([stuck_in("DE", StuckReason.FAILED)], ["FR", "DE"])
    assert counts == {
        "DE": {"retrying": 0, "failed": 1, "not_relayed": 0, "waiting": 0},
        "FR": {"retrying": 0, "failed": 0, "not_relayed": 0, "waiting": 0},
    }


def test_an_order_of_a_connection_no_longer_known_is_counted_under_unknown() -> None:
    counts = count_by_region([stuck_in(None, StuckReason.RETRYING)])
    assert counts[UNKNOWN_REGION]["retrying"] == 1


orders_strategy = st.lists(
    st.builds(
        stuck_in, st.sampled_from(["DE", "FR", "ES", None]), st.sampled_from(list(StuckReason))
    ),
    max_size=30,
)


@given(orders_strategy, st.lists(st.sampled_from(["DE", "IT", "GB"]), max_size=3))
def test_counts_per_region_add_up_to_the_counts_per_reason(
    orders: list[StuckOrder], regions: list[str]
) -> None:
    by_region = count_by_region(orders, regions)
    assert set(regions) <= set(by_region)
    for reason, total in count_by_reason(orders).items():
        assert sum(counts[reason] for counts in by_region.values()) == total
    for region, counts in by_region.items():
        mine = [o for o in orders if (o.region or UNKNOWN_REGION) == region]
        assert sum(counts.values()) == len(mine)
