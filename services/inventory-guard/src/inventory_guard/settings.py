"""Settings of the inventory-guard service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field


class InventoryGuardSettings(ServiceSettings, PlatformSettings):
    """inventory-guard settings (environment variables)."""

    service_name: str = "inventory-guard"
    http_port: int = 8003
    inventory_coalesce_seconds: float = Field(
        default=0.3,
        ge=0,
        description="Stock changes of one product within this window go to TikTok in one call.",
    )
    inventory_intake_batch_size: int = Field(
        default=500,
        ge=1,
        description="Stock changes applied in one transaction at most (one poll of"
        " inventory.changed, coalesced per item and location).",
    )
    inventory_push_concurrency: int = Field(
        default=8, ge=1, description="Products whose stock is sent at once, per replica."
    )
    inventory_sweep_interval_seconds: float = Field(
        default=3600, gt=0, description="How often each region's stock is reconciled."
    )
    inventory_sweep_concurrency: int = Field(
        default=4, ge=1, description="Regions whose stock is reconciled at once, per replica."
    )
    # Every running sweep holds a connection for its claim besides the pushes' (ADR 0410).
    db_pool_size: int = Field(default=16, ge=1, description="PostgreSQL pool size.")
