"""Settings of the order-relay service."""

from connector_runtime.settings import ServiceSettings
from pydantic import Field


class OrderRelaySettings(ServiceSettings):
    """Order-relay settings (environment variables)."""

    service_name: str = "order-relay"
    http_port: int = 8002
    relay_on_hold_orders: bool = Field(
        default=True,
        description="Relay orders inside TikTok's 1-hour grace period (held in Shopify).",
    )
