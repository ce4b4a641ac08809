"""Settings of the gateway service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field


class GatewaySettings(ServiceSettings, PlatformSettings):
    """Gateway settings (environment variables)."""

    service_name: str = "gateway"
    http_port: int = 8000
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="URL the platforms reach the gateway at (OAuth redirects, webhook callbacks).",
    )
    shopify_scopes: str = Field(
        default="read_products,write_products,read_inventory,write_inventory,read_orders,"
        "write_orders,read_fulfillments,write_fulfillments,read_locations",
        description="Comma-separated Shopify access scopes requested at install.",
    )
    token_refresh_interval_seconds: float = Field(
        default=300, gt=0, description="How often the gateway looks for tokens to refresh."
    )
    token_refresh_ahead_seconds: float = Field(
        default=86_400, ge=0, description="Refresh a platform token this long before it expires."
    )
    catalog_sync_url: str = Field(default="http://127.0.0.1:8001", description="catalog-sync API.")
    order_relay_url: str = Field(default="http://127.0.0.1:8002", description="order-relay API.")
    inventory_guard_url: str = Field(
        default="http://127.0.0.1:8003", description="inventory-guard API."
    )
    price_promotions_url: str = Field(
        default="http://127.0.0.1:8004", description="price-promotions API."
    )

    def service_url(self, service: str) -> str:
        """Base URL of another service's API, by service name."""
        url: str = getattr(self, f"{service.replace('-', '_')}_url")
        return url
