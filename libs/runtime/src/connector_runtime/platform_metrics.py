"""Feeds the platform clients' call reports into this process's Prometheus metrics.

The Shopify and TikTok Shop clients know nothing of Prometheus (they stand alone, ADR 0010);
each reports through its own `CallObserver` slot, and a service installs this observer at start.
"""

import shopify.observe
import tiktok_shop.observe

from connector_runtime.metrics import (
    EXTERNAL_CALL_SECONDS,
    EXTERNAL_CALLS,
    THROTTLE_WAIT_SECONDS,
    THROTTLE_WAITS,
    THROTTLED_RESPONSES,
)


class PrometheusCalls:
    """A call observer (the shape both clients define) counting into the `connector_*` metrics."""

    def external_call(self, platform: str, endpoint: str, status: str, seconds: float) -> None:
        """Count one exchange by outcome and record its latency."""
        EXTERNAL_CALLS.labels(platform=platform, endpoint=endpoint, status=status).inc()
        EXTERNAL_CALL_SECONDS.labels(platform=platform, endpoint=endpoint).observe(seconds)

    def throttle_wait(self, platform: str, endpoint: str, seconds: float) -> None:
        """Count one wait for rate-limit budget and its length."""
        THROTTLE_WAITS.labels(platform=platform, endpoint=endpoint).inc()
        THROTTLE_WAIT_SECONDS.labels(platform=platform, endpoint=endpoint).inc(seconds)

    def throttled_response(self, platform: str, endpoint: str) -> None:
        """Count one response where the platform throttled us."""
        THROTTLED_RESPONSES.labels(platform=platform, endpoint=endpoint).inc()


def install_platform_metrics() -> None:
    """Send both clients' call reports to Prometheus (idempotent)."""
    observer = PrometheusCalls()
    shopify.observe.install_call_observer(observer)
    tiktok_shop.observe.install_call_observer(observer)
