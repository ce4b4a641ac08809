"""inventory-guard subscribers: load, decide, store, emit."""

from connector_connections import track_connections, track_shop_redaction
from connector_runtime.consumer import EventRouter

from inventory_guard.settings import InventoryGuardSettings


def build_events(settings: InventoryGuardSettings) -> EventRouter:
    """The service's subscriptions (so far: the connection replica)."""
    return track_shop_redaction(track_connections(EventRouter()))
