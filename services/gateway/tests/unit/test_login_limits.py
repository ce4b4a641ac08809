"""The login rate limit: the failure that reaches the limit within the window locks the key."""

from datetime import UTC, datetime, timedelta

from gateway.core.login_limits import LoginLimit, locked_until, retry_after_seconds
from hypothesis import given
from hypothesis import strategies as st

T = datetime(2027, 1, 1, tzinfo=UTC)
LIMIT = LoginLimit(max_failures=10, window=timedelta(minutes=1), lockout=timedelta(minutes=5))
offsets = st.lists(st.integers(min_value=0, max_value=900), max_size=30)


def at(*seconds: float) -> list[datetime]:
    return [T + timedelta(seconds=s) for s in seconds]


def test_ten_failures_in_a_minute_lock_the_eleventh_attempt_for_the_lockout() -> None:
    failures = at(*range(10))
    assert locked_until(failures[:9], T + timedelta(seconds=10), LIMIT) is None
    assert locked_until(failures, T + timedelta(seconds=10), LIMIT) == T + timedelta(seconds=309)


def test_the_lockout_ends_and_the_key_may_try_again() -> None:
    assert locked_until(at(*range(10)), T + timedelta(seconds=309), LIMIT) is None


def test_ten_failures_spread_over_more_than_a_minute_do_not_lock() -> None:
    assert locked_until(at(*range(0, 70, 7)), T + timedelta(seconds=70), LIMIT) is None


def test_failures_recorded_after_now_are_not_counted() -> None:
    assert locked_until(at(*range(100, 110)), T, LIMIT) is None


def brute_force_locked(failures: list[datetime], now: datetime, limit: LoginLimit) -> bool:
    """Locked when some failure in the last lockout had `max_failures` within a window."""
    past = [f for f in failures if f <= now]
    return any(
        now < end + limit.lockout
        and sum(1 for f in past if end - limit.window < f <= end) >= limit.max_failures
        for end in past
    )


@given(offsets, st.integers(min_value=0, max_value=1200))
def test_locked_exactly_when_the_limit_was_reached_within_the_lockout(
    seconds: list[int], now_offset: int
) -> None:
    failures, now = at(*seconds), T + timedelta(seconds=now_offset)
    until = locked_until(failures, now, LIMIT)
    assert (until is not None) == brute_force_locked(failures, now, LIMIT)
    if until is not None:
        assert now < until <= now + LIMIT.lockout


@given(offsets, st.integers(min_value=0, max_value=1200))
def test_another_failure_never_unlocks_a_key(seconds: list[int], now_offset: int) -> None:
    failures, now = at(*seconds), T + timedelta(seconds=now_offset)
    if locked_until(failures, now, LIMIT) is not None:
        assert locked_until([*failures, now], now, LIMIT) is not None


@given(st.floats(min_value=0.001, max_value=10_000))
def test_retry_after_is_whole_seconds_rounded_up(wait: float) -> None:
    seconds = retry_after_seconds(T + timedelta(seconds=wait), T)
    assert seconds >= 1
    assert seconds - 1 < max(wait, 1) <= seconds
