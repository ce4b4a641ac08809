"""price-promotions subscribers: load, decide, store, emit."""

from connector_connections import track_connections, track_shop_redaction
from connector_runtime.consumer import EventRouter

from price_promotions.settings import PricePromotionsSettings


def build_events(settings: PricePromotionsSettings) -> EventRouter:
    """The service's subscriptions (so far: the connection replica)."""
    return track_shop_redaction(track_connections(EventRouter()))
