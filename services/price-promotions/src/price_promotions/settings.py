"""Settings of the price-promotions service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings


class PricePromotionsSettings(ServiceSettings, PlatformSettings):
    """price-promotions settings (environment variables)."""

    service_name: str = "price-promotions"
    http_port: int = 8004
