"""Client-side QPS pacing per (API, shop), so calls wait for budget instead of drawing 429s.

The platform limits each API per app+shop, 50 QPS by default; per-endpoint values are UNCONFIRMED
(reference A5, PART E), hence the per-endpoint overrides.
"""

import asyncio
import time
from collections.abc import Mapping

from tiktok_shop.observe import call_observer

DEFAULT_QPS = 50.0


class QpsLimiter:
    """A token bucket per (endpoint, shop), as on the platform: a call with budget left goes at
    once, one beyond it waits for the next token (waiting callers queue in order).

    The platform's bucket holds one second of budget (reference A5); ours holds
    `burst_seconds` of it, so calls bunched by the network on the way still fit there. A 429
    says the platform's bucket is empty: `exhausted` empties ours too (ADR 0700)."""

    def __init__(
        self,
        default_qps: float = DEFAULT_QPS,
        per_endpoint: Mapping[str, float] | None = None,
        burst_seconds: float = 0.5,
    ) -> None:
        self._default = default_qps
        self._per_endpoint = dict(per_endpoint or {})
        self._burst_seconds = burst_seconds
        # (endpoint, shop) -> (tokens, when counted); tokens below 0 are reserved by waiters.
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def qps_for(self, endpoint: str) -> float:
        """Return the configured QPS of a logical endpoint."""
        return self._per_endpoint.get(endpoint, self._default)

    async def acquire(self, endpoint: str, shop: str) -> None:
        """Wait until this endpoint+shop may send one more request."""
        delay = self._reserve(endpoint, shop)
        if delay <= 0:
            return
        call_observer().throttle_wait("tiktok", endpoint, delay)
        await asyncio.sleep(delay)

    def exhausted(self, endpoint: str, shop: str) -> None:
        """The platform answered 429: no budget is left until the next token."""
        key = (endpoint, shop)
        tokens, _ = self._refilled(key, time.monotonic())
        self._buckets[key] = (min(tokens, 0.0), time.monotonic())

    def _reserve(self, endpoint: str, shop: str) -> float:
        # Reserving a token has no await, so concurrent callers on one loop never share one.
        key, now = (endpoint, shop), time.monotonic()
        tokens, _ = self._refilled(key, now)
        tokens -= 1.0
        self._buckets[key] = (tokens, now)
        return -tokens / self.qps_for(endpoint) if tokens < 0 else 0.0

    def _refilled(self, key: tuple[str, str], now: float) -> tuple[float, float]:
        qps = self.qps_for(key[0])
        capacity = max(1.0, qps * self._burst_seconds)
        tokens, counted = self._buckets.get(key, (capacity, now))
        return min(capacity, tokens + (now - counted) * qps), now
