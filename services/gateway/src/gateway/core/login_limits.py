"""Login rate limit and lockout, as a pure decision on the failures seen so far.

A key (an email, or a client address) that reached `max_failures` failed logins within
`window` is locked for `lockout` from the failure that reached the limit. Attempts refused
while locked are not failures: they neither check a password nor extend the lockout.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field


class LoginLimit(BaseModel):
    """How many failures a key may have in a window, and how long it is locked after."""

    model_config = ConfigDict(frozen=True)

    max_failures: int = Field(ge=1)
    window: timedelta
    lockout: timedelta

    @property
    def horizon(self) -> timedelta:
        """How far back failures can still matter to a decision."""
        return self.window + self.lockout


def locked_until(failures: Sequence[datetime], now: datetime, limit: LoginLimit) -> datetime | None:
    """When the key's lockout ends, or None when a login may be tried now."""
    ordered = sorted(f for f in failures if f <= now)
    ends = [
        at + limit.lockout
        for i, at in enumerate(ordered)
        if i + 1 >= limit.max_failures and at - ordered[i + 1 - limit.max_failures] < limit.window
    ]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > now else None


def retry_after_seconds(until: datetime, now: datetime) -> int:
    """The `Retry-After` header's whole seconds, rounded up (at least 1)."""
    return max(1, int(-(-(until - now).total_seconds() // 1)))
