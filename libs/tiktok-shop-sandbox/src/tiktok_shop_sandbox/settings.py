"""Sandbox configuration, read once by `create_app` / `main` (every value overridable for tests)."""

from pydantic import BaseModel, Field


class SandboxSettings(BaseModel):
    """Knobs of the simulator; defaults follow the platform where the reference states a value."""

    # QPS per API per app+shop: 50 by default, per-API values UNCONFIRMED (reference A5, PART E).
    # Keys of `qps_per_api` are "METHOD /path/template", e.g. "POST /product/202309/products".
    default_qps: float = 50.0
    qps_per_api: dict[str, float] = Field(default_factory=dict)
    # Accepted request timestamps: [now - 5 min, now + 30 s] (reference A1).
    timestamp_max_age_seconds: int = 300
    timestamp_max_ahead_seconds: int = 30
    access_token_ttl_seconds: int = 7 * 24 * 3600
    refresh_token_ttl_seconds: int = 365 * 24 * 3600
    auth_code_ttl_seconds: int = 30 * 60
    # Product audit runs this long after a create/edit (PENDING -> ACTIVATE / FAILED).
    audit_delay_seconds: float = 2.0
    # Optimized Images answers PROCESSING for this long, then SUCCESS ("typically completes
    # within a few seconds", reference `optimized-images`).
    image_optimize_seconds: float = 1.0
    audit_fail_words: list[str] = Field(default_factory=lambda: ["counterfeit", "replica"])
    # Webhook retries after a failed delivery: +2 min, +30 min, +3 h, +12 h (reference A8).
    webhook_retry_delays: list[float] = Field(
        default_factory=lambda: [120.0, 1800.0, 10800.0, 43200.0]
    )
    webhook_timeout_seconds: float = 3.0
    # ON_HOLD orders move to AWAITING_SHIPMENT after this long (None: only by control plane).
    on_hold_release_seconds: float | None = None
    # Promotions: limits are unpublished (reference A6), so they are configurable here; the
    # 5-90 % band is the one the guide states for strike-through discounts.
    promotion_max_days: int = 45
    promotion_min_discount_percent: int = 5
    promotion_max_discount_percent: int = 90
    # The API reference says [1, 99999]; sellers can set 0 in Seller Center (UNCONFIRMED for API).
    min_inventory_quantity: int = 0
    seed: int = 0
