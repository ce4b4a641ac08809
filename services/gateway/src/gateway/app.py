"""Composition of the gateway service."""

from connector_contracts import ConnectionCreated, OrderStatusChanged
from connector_runtime.service import ServiceSpec

from gateway.api import connections, orders, webhooks
from gateway.handlers import build_events
from gateway.settings import GatewaySettings


def build_spec(settings: GatewaySettings) -> ServiceSpec:
    """Describe the service: API routers, read-model handlers and what it publishes."""
    return ServiceSpec(
        name="gateway",
        package="gateway",
        events=build_events(),
        api=[connections.router, webhooks.router, orders.router],
        publishes=[ConnectionCreated, OrderStatusChanged],
        description="Webhooks in, the merchant/operator REST API, and read models.",
    )
