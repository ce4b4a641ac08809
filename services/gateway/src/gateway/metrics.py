"""The gateway's own metrics (the runtime's are in connector_runtime.metrics)."""

from prometheus_client import Counter

TOKEN_REFRESH_FAILURES = Counter(
    "connector_token_refresh_failures_total",
    "Platform token refreshes that failed: `refused` (the platform no longer accepts the refresh"
    " token: the merchant must authorize again) or `unavailable` (tried again next run).",
    ["platform", "reason"],
)
