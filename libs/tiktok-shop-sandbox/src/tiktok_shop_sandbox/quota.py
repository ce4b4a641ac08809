"""Per-API, per-app+shop QPS quota as token buckets (reference A5: 50 QPS default, 429 36009002)."""

import math
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class Quota:
    """Token buckets holding up to one second of budget; refilled continuously at the QPS."""

    def __init__(self, default_qps: float, qps_per_api: dict[str, float]) -> None:
        self.default_qps = default_qps
        self.qps_per_api = dict(qps_per_api)
        self._buckets: dict[tuple[str, str, str], _Bucket] = {}

    def configure(self, default_qps: float, qps_per_api: dict[str, float]) -> None:
        """Change the limits (existing budgets restart full)."""
        self.default_qps = default_qps
        self.qps_per_api = dict(qps_per_api)
        self._buckets.clear()

    def take(self, app_key: str, shop_id: str, api: str) -> float | None:
        """Spend one request; return None if allowed, else seconds until budget returns."""
        qps = self.qps_per_api.get(api, self.default_qps)
        now = time.monotonic()
        bucket = self._buckets.setdefault((app_key, shop_id, api), _Bucket(qps, now))
        bucket.tokens = min(qps, bucket.tokens + (now - bucket.updated) * qps)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / qps


def retry_after_header(wait: float) -> str:
    """Retry-After in whole seconds, rounded up (HTTP delta-seconds)."""
    return str(max(1, math.ceil(wait)))
