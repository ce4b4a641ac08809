"""Sandbox settings, read once by `main` or passed to `create_app`."""

from __future__ import annotations

from pydantic import BaseModel, Field

# Shopify retries a failed delivery 8 times over 4 hours with exponential backoff (B8).
SHOPIFY_RETRY_DELAYS = (10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0)


class SandboxSettings(BaseModel):
    """How the simulator behaves; defaults mirror Shopify where the reference knows it."""

    throttled_http_status: int = Field(
        200, description="HTTP status of THROTTLED responses (200 or 429 is UNCONFIRMED, B3)."
    )
    max_query_cost: int = 1000
    max_input_array: int = 250
    max_page_size: int = 250
    default_plan: str = "standard"
    webhook_retry_delays: tuple[float, ...] = SHOPIFY_RETRY_DELAYS
    webhook_retry_scale: float = Field(
        1.0, description="Multiplier on the retry schedule; 0.001 compresses 4 h to 15 s."
    )
    webhook_timeout_seconds: float = 5.0
    bulk_delay_seconds: float = Field(0.2, description="Time a bulk query spends RUNNING.")
    bulk_max_concurrent: int = Field(
        5, description="Bulk query ops running at once per shop (5 from 2026-01, else 1; B4)."
    )
    order_search_lag_seconds: float = Field(
        0.0, description="orders(query:) ignores orders younger than this (search index lag)."
    )
    fault_seed: int = 0
    token_ttl_seconds: int = 3600
