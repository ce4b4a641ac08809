"""Composition of the catalog-sync service."""

from connector_connections import former_locations_job
from connector_connections.caller import scoped_api
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import (
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogLinkRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    Event,
    FormerInventoryLocation,
    InventorySyncRequested,
    PriceSyncRequested,
    ProductPulled,
    ProductPushed,
    ProductSyncChanged,
    TaskChanged,
)
from connector_runtime.service import ServiceSpec
from connector_runtime.work import Backoff, Worker

from catalog_sync.api import (
    categories,
    compliance,
    csv_edit,
    global_products,
    metafield_mappings,
    optimization,
    products,
    shipping,
    size_charts,
    tasks,
    tiktok_lookups,
)
from catalog_sync.bulk_pulls import (
    BULK_PULL_CHECK,
    BULK_PULL_START,
    check_bulk_pull,
    start_waiting_pull,
)
from catalog_sync.handlers import build_events
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings

# The events catalog-sync emits (its AsyncAPI document lists them).
PUBLISHES: list[type[Event]] = [
    ProductPulled,
    ProductPushed,
    ProductSyncChanged,
    CatalogPullRequested,
    CatalogPushRequested,
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogLinkRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    TaskChanged,
    FormerInventoryLocation,
]


def build_spec(settings: CatalogSyncSettings, deps: Platforms | None = None) -> ServiceSpec:
    """Describe the service: handlers, API, migrations and what it publishes (`deps`: the
    service's resources, real platform clients unless a test passes its own)."""
    platforms = deps or Platforms.of(settings)
    check = settings.catalog_bulk_check_seconds
    return ServiceSpec(
        name="catalog-sync",
        migrations=["connector_connections", "catalog_sync"],
        events=build_events(platforms),
        api=scoped_api(
            [
                products.router,
                optimization.router,
                categories.router,
                size_charts.router,
                metafield_mappings.router,
                shipping.router,
                compliance.router,
                csv_edit.router,
                global_products.router,
                tiktok_lookups.router,
                tasks.router,
            ]
        ),
        publishes=PUBLISHES,
        workers=[
            Worker(
                kind=BULK_PULL_CHECK,
                run=lambda _runtime, db, item: check_bulk_pull(platforms, db, item),
                # Shopify away: look again after a check interval, then less often.
                backoff=Backoff(check, max(check, 300.0)),
                poll_seconds=check,
            ),
            Worker(
                kind=BULK_PULL_START,
                run=lambda _runtime, db, item: start_waiting_pull(platforms, db, item),
                backoff=Backoff(check, max(check, 300.0)),
                poll_seconds=check,
            ),
        ],
        # Its former inventory-location settings go to their owner, inventory-guard (ADR 0360).
        jobs=[former_locations_job("catalog-sync")],
        description="Shopify catalog pull, mapping to TikTok Shop listings, and push.",
        transient_errors=PLATFORM_UNAVAILABLE,
        deps=platforms,
    )
