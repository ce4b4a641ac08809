"""Shopify plans and their GraphQL leaky buckets (B3; Advanced/Enterprise sizes UNCONFIRMED)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Restore rate (points/s) and bucket size of a plan."""

    name: str
    restore_rate: float
    maximum: float


PLANS = {
    "standard": Plan("standard", 100.0, 2000.0),
    "advanced": Plan("advanced", 200.0, 4000.0),
    "plus": Plan("plus", 1000.0, 20000.0),
    "enterprise": Plan("enterprise", 2000.0, 40000.0),
}


class LeakyBucket:
    """Points available for one app on one shop; refills at the plan's restore rate."""

    def __init__(self, plan: Plan, clock: Callable[[], float] = time.monotonic) -> None:
        self.plan = plan
        self._clock = clock
        self._level = plan.maximum
        self._at = clock()

    @property
    def available(self) -> float:
        """Points available now."""
        elapsed = self._clock() - self._at
        return min(self.plan.maximum, self._level + elapsed * self.plan.restore_rate)

    def take(self, points: float) -> bool:
        """Take `points` if they are available."""
        available = self.available
        if available < points:
            return False
        self._set(available - points)
        return True

    def refund(self, points: float) -> None:
        """Give back the difference between requested and actual cost."""
        self._set(min(self.plan.maximum, self.available + points))

    def status(self) -> dict[str, float]:
        """`throttleStatus` of the cost extension."""
        return {
            "maximumAvailable": self.plan.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.plan.restore_rate,
        }

    def _set(self, level: float) -> None:
        self._level = level
        self._at = self._clock()
