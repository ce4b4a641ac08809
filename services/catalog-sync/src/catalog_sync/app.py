"""Composition of the catalog-sync service."""

from connector_runtime.service import ServiceSpec

from catalog_sync.handlers import build_events
from catalog_sync.settings import CatalogSyncSettings


def build_spec(settings: CatalogSyncSettings) -> ServiceSpec:
    """Describe the service: handlers, migrations and what it publishes."""
    return ServiceSpec(
        name="catalog-sync",
        package="catalog_sync",
        events=build_events(settings),
        description="Shopify catalog pull, mapping to TikTok Shop listings, and push.",
    )
