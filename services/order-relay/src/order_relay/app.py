"""Composition of the order-relay service."""

from connector_contracts import OrderPaid
from connector_runtime.service import ServiceSpec

from order_relay.handlers import build_events
from order_relay.settings import OrderRelaySettings


def build_spec(settings: OrderRelaySettings) -> ServiceSpec:
    """Describe the service: handlers, migrations and what it publishes."""
    return ServiceSpec(
        name="order-relay",
        package="order_relay",
        events=build_events(settings),
        publishes=[OrderPaid],
        description="TikTok Shop orders into Shopify exactly once, and fulfilment back.",
    )
