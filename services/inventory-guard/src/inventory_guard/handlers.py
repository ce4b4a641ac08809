"""inventory-guard subscribers: load, decide, store, emit."""

from connector_connections import track_connections
from connector_runtime.consumer import EventRouter

from inventory_guard.settings import InventoryGuardSettings


def build_events(settings: InventoryGuardSettings) -> EventRouter:
    """The service's subscriptions (so far: the connection replica)."""
    return track_connections(EventRouter())
