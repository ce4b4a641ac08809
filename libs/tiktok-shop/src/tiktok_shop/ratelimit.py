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
    """Spaces calls to each (endpoint, shop) evenly at its QPS; waiting callers queue in order."""

    def __init__(
        self, default_qps: float = DEFAULT_QPS, per_endpoint: Mapping[str, float] | None = None
    ) -> None:
        self._default = default_qps
        self._per_endpoint = dict(per_endpoint or {})
        self._next_slot: dict[tuple[str, str], float] = {}

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

    def _reserve(self, endpoint: str, shop: str) -> float:
        # Reserving a slot has no await, so concurrent callers on one loop never share a slot.
        key = (endpoint, shop)
        now = time.monotonic()
        slot = max(now, self._next_slot.get(key, now))
        self._next_slot[key] = slot + 1.0 / self.qps_for(endpoint)
        return slot - now
