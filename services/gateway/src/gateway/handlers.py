"""gateway subscribers: the connection replica (orders are served by order-relay's API)."""

from connector_connections import track_connections
from connector_runtime.consumer import EventRouter


def build_events() -> EventRouter:
    """The gateway's subscriptions."""
    return track_connections(EventRouter())
