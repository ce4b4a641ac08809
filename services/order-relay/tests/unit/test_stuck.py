"""Which paid orders are stuck, and why, in the merchant's words."""

from datetime import UTC, datetime, timedelta

from order_relay.core.stuck import RelayStanding, StuckReason, stuck_order

T0 = datetime(2026, 1, 1, tzinfo=UTC)
AFTER = timedelta(minutes=10)


def standing(state: str, **kw: object) -> RelayStanding:
    fields: dict[str, object] = {
        "tiktok_order_id": "576653688135258178",
        "connection_id": "c",
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
