"""Settings of the price-promotions service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field


class PricePromotionsSettings(ServiceSettings, PlatformSettings):
    """price-promotions settings (environment variables)."""

    service_name: str = "price-promotions"
    http_port: int = 8004
    price_sync_concurrency: int = Field(
        default=8, ge=1, description="Price syncs (a product in a region) one replica runs at once."
    )
    price_sweep_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="How often each region's sweep renews activities due and retries failures.",
    )
    price_reconcile_hours: float = Field(
        default=24.0,
        gt=0,
        description="A product not synced for this long is synced again by the sweep.",
    )
    price_poll_seconds: float = Field(
        default=1.0, gt=0, description="Longest idle wait of the price workers."
    )
    tiktok_qps_per_endpoint: dict[str, float] = Field(
        default_factory=dict,
        description='TikTok QPS per client endpoint, e.g. {"promotions.create": 20} (JSON).',
    )
