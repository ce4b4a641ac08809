"""gateway subscribers: the connection replica (orders are served by order-relay's API)."""

from connector_connections import track_connections, track_shop_redaction
from connector_runtime.consumer import EventRouter

from gateway.store import forget_connection


def build_events() -> EventRouter:
    """The gateway's subscriptions."""
    return track_shop_redaction(track_connections(EventRouter()), forget_connection)
