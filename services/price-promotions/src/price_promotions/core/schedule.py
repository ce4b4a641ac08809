"""The renewal schedule: TikTok activities last at most 45 days; the connector renews them
before they end, up to 180 days (4 renewals) from the day two-price mode was enabled (the
whitelist's strike-through exemption window)."""

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict

ACTIVITY_MAX = timedelta(days=45)  # TikTok's longest activity (Create Activity 17029007)
ACTIVITY_MIN = timedelta(minutes=10)  # TikTok's shortest (17029006)
WINDOW = timedelta(days=180)  # the whitelist exemption after enabling
MAX_RENEWALS = 4
# begin_time must be later than TikTok's now; a minute covers clock skew and the call itself.
START_DELAY = timedelta(minutes=1)
# Renew a day before the end, so a failed renewal has a day of retries before the discount lapses.
RENEW_LEAD = timedelta(days=1)


class WindowState(StrEnum):
    """The 180-day exemption window of a region."""

    NOT_ENABLED = "not_enabled"
    ACTIVE = "active"
    ENDED = "ended"


class Period(BaseModel):
    """When one activity runs."""

    model_config = ConfigDict(frozen=True)

    begin: AwareDatetime
    end: AwareDatetime


def window_end(enabled_at: datetime) -> datetime:
    """When the exemption window that started at `enabled_at` ends."""
    return enabled_at + WINDOW


def window_state(enabled_at: datetime | None, now: datetime) -> WindowState:
    """Where the region stands in its window."""
    if enabled_at is None:
        return WindowState.NOT_ENABLED
    return WindowState.ACTIVE if now < window_end(enabled_at) else WindowState.ENDED


def next_period(now: datetime, enabled_at: datetime) -> Period | None:
    """The period of an activity created at `now`; None when the window has no room left."""
    begin = now + START_DELAY
    end = min(begin + ACTIVITY_MAX, window_end(enabled_at))
    return Period(begin=begin, end=end) if end - begin >= ACTIVITY_MIN else None


def handoff_period(now: datetime, current_end: datetime, enabled_at: datetime) -> Period | None:
    """The period of the activity that follows one ending at `current_end`: back to back, so
    the discount never lapses (TikTok lets a product be in two live activities whose periods do
    not overlap, ADR 0530); later only when the renewal itself is late (begin must be future).
    None when the window has no room left."""
    begin = max(current_end, now + START_DELAY)
    end = min(begin + ACTIVITY_MAX, window_end(enabled_at))
    return Period(begin=begin, end=end) if end - begin >= ACTIVITY_MIN else None


def renew_at(period: Period) -> datetime:
    """When an activity of `period` is renewed."""
    return max(period.begin, period.end - RENEW_LEAD)
