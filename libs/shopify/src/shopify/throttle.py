"""Local model of Shopify's per-shop leaky bucket of query cost points (B3).

Before a call the client reserves the operation's requested cost and waits until it fits;
each response's `throttleStatus` re-synchronises the model with the server's view.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from shopify.errors import ShopifyBudgetWait


@dataclass(frozen=True)
class ThrottleStatus:
    """`extensions.cost.throttleStatus` of a response."""

    maximum_available: float
    currently_available: float
    restore_rate: float


@dataclass(frozen=True)
class QueryCost:
    """`extensions.cost` of a response; `actual` is None when the call was throttled."""

    requested: int
    actual: int | None
    throttle_status: ThrottleStatus | None


class CostBucket:
    """One shop's bucket as we believe it to be right now."""

    def __init__(
        self,
        maximum: float,
        restore_rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.maximum = maximum
        self.restore_rate = restore_rate
        self._available = maximum
        self._at = clock()
        self._clock = clock
        self._sleep = sleep
        self._in_flight = 0.0
        self._waiting = 0.0  # points asked for by callers still in `acquire`
        self._lock = asyncio.Lock()

    @property
    def available(self) -> float:
        """Points available now, restored linearly since the last observation."""
        elapsed = self._clock() - self._at
        return min(self.maximum, self._available + elapsed * self.restore_rate)

    def wait_for(self, cost: float) -> float:
        """Seconds until `cost` points fit, behind the callers already waiting."""
        missing = min(cost, self.maximum) + self._waiting - self.available
        return max(0.0, missing) / self.restore_rate

    async def acquire(self, cost: float, max_wait: float | None = None) -> float:
        """Wait until `cost` points fit, reserve them, and return the seconds waited. With
        `max_wait`, raise `ShopifyBudgetWait` (reserving nothing) when the wait would be longer."""
        cost = min(cost, self.maximum)
        if max_wait is not None and (wait := self.wait_for(cost)) > max_wait:
            raise ShopifyBudgetWait(wait)
        waited = 0.0
        self._waiting += cost
        try:
            async with self._lock:
                while (available := self.available) < cost:
                    delay = (cost - available) / self.restore_rate
                    await self._sleep(delay)
                    waited += delay
                self._set(available - cost)
                self._in_flight += cost
        finally:
            self._waiting -= cost
        return waited

    def release(self, reserved: float, status: ThrottleStatus | None) -> None:
        """Settle a reservation; adopt the server's status when the response carried one."""
        self._in_flight = max(0.0, self._in_flight - reserved)
        if status is None:
            return
        self.maximum = status.maximum_available
        self.restore_rate = status.restore_rate
        # Other calls still in flight reserved points the server hasn't charged yet.
        self._set(status.currently_available - self._in_flight)

    def _set(self, available: float) -> None:
        self._available = available
        self._at = self._clock()


class ThrottleRegistry:
    """Buckets and learned operation costs, per shop; share one per app and process.

    Until a response reports the real bucket, the Standard plan's (2000 / 100 per s, B3) is assumed.
    """

    def __init__(self, maximum: float = 2000.0, restore_rate: float = 100.0) -> None:
        self._maximum = maximum
        self._restore_rate = restore_rate
        self._buckets: dict[str, CostBucket] = {}
        self._costs: dict[tuple[str, str], int] = {}

    def bucket(self, shop: str) -> CostBucket:
        """The bucket of `shop`, created with the assumed plan on first use."""
        if shop not in self._buckets:
            self._buckets[shop] = CostBucket(self._maximum, self._restore_rate)
        return self._buckets[shop]

    def estimated_cost(self, shop: str, operation: str, default: int) -> int:
        """The requested cost last seen for `operation`, else `default`."""
        return self._costs.get((shop, operation), default)

    def learn_cost(self, shop: str, operation: str, requested: int) -> None:
        """Remember the requested cost Shopify computed for `operation`."""
        self._costs[(shop, operation)] = requested


def parse_cost(extensions: object) -> QueryCost | None:
    """Read `extensions.cost` if the response has one."""
    if not isinstance(extensions, dict) or not isinstance(cost := extensions.get("cost"), dict):
        return None
    status = cost.get("throttleStatus")
    return QueryCost(
        requested=int(cost.get("requestedQueryCost") or 0),
        actual=int(cost["actualQueryCost"]) if cost.get("actualQueryCost") is not None else None,
        throttle_status=ThrottleStatus(
            maximum_available=float(status["maximumAvailable"]),
            currently_available=float(status["currentlyAvailable"]),
            restore_rate=float(status["restoreRate"]),
        )
        if isinstance(status, dict)
        else None,
    )
