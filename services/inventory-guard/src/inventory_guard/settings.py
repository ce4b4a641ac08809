"""Settings of the inventory-guard service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings


class InventoryGuardSettings(ServiceSettings, PlatformSettings):
    """inventory-guard settings (environment variables)."""

    service_name: str = "inventory-guard"
    http_port: int = 8003
