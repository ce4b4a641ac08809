"""catalog-sync subscribers: load, decide, store, emit."""

from connector_runtime.connections import track_connections
from connector_runtime.consumer import EventRouter

from catalog_sync.settings import CatalogSyncSettings


def build_events(settings: CatalogSyncSettings) -> EventRouter:
    """The service's subscriptions (so far: the connection replica)."""
    return track_connections(EventRouter())
