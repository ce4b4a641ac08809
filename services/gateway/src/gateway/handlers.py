"""gateway subscribers: the connection replica and the Home dashboard's read model (orders
themselves are served by order-relay's API)."""

from connector_connections import track_connections, track_shop_redaction
from connector_runtime.consumer import EventRouter

from gateway.home_handlers import forget, track_home


def build_events() -> EventRouter:
    """The gateway's subscriptions."""
    return track_shop_redaction(track_home(track_connections(EventRouter())), forget)
