"""Settings of the price-promotions service."""

from connector_runtime.settings import ServiceSettings


class PricePromotionsSettings(ServiceSettings):
    """price-promotions settings (environment variables)."""

    service_name: str = "price-promotions"
    http_port: int = 8004
