"""Composition of the order-relay service."""

from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import (
    OrderCancelled,
    OrderOversold,
    OrderPaid,
    OrderRelayed,
    OrderRelayFailed,
    OrderReturned,
    OrderShipped,
    OrderStatusChanged,
)
from connector_runtime.service import ServiceSpec

from order_relay.api import alerts, order_settings, orders, privacy, syncs
from order_relay.background import background_router
from order_relay.handlers import build_events
from order_relay.platforms import Deps
from order_relay.relay import ConnectionUnavailable
from order_relay.settings import OrderRelaySettings


def build_spec(settings: OrderRelaySettings) -> ServiceSpec:
    """Describe the service: handlers, API, background loop, migrations and what it publishes."""
    deps = Deps(settings)
    return ServiceSpec(
        name="order-relay",
        migrations=["connector_connections", "order_relay"],
        events=build_events(deps),
        api=[
            orders.router,
            order_settings.router,
            syncs.router,
            alerts.router,
            privacy.router,
            background_router(deps),
        ],
        publishes=[
            OrderPaid,
            OrderStatusChanged,
            OrderRelayed,
            OrderRelayFailed,
            OrderShipped,
            OrderCancelled,
            OrderReturned,
            OrderOversold,
        ],
        description="TikTok Shop orders into Shopify exactly once, and fulfilment back.",
        transient_errors=(*PLATFORM_UNAVAILABLE, ConnectionUnavailable),
        deps=deps,
    )
