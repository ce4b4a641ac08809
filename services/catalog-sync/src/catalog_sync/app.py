"""Composition of the catalog-sync service."""

from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import (
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogLinkRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    ProductPulled,
    ProductPushed,
    TaskChanged,
)
from connector_runtime.service import ServiceSpec
from connector_runtime.work import Backoff, Worker

from catalog_sync.api import (
    categories,
    compliance,
    csv_edit,
    global_products,
    products,
    size_charts,
    tasks,
)
from catalog_sync.bulk_pulls import BULK_PULL_CHECK, check_bulk_pull
from catalog_sync.handlers import build_events
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings


def build_spec(settings: CatalogSyncSettings, deps: Platforms | None = None) -> ServiceSpec:
    """Describe the service: handlers, API, migrations and what it publishes (`deps`: the
    service's resources, real platform clients unless a test passes its own)."""
    platforms = deps or Platforms.of(settings)
    check = settings.catalog_bulk_check_seconds
    return ServiceSpec(
        name="catalog-sync",
        migrations=["connector_connections", "catalog_sync"],
        events=build_events(platforms),
        api=[
            products.router,
            categories.router,
            size_charts.router,
            compliance.router,
            csv_edit.router,
            global_products.router,
            tasks.router,
        ],
        publishes=[
            ProductPulled,
            ProductPushed,
            CatalogPullRequested,
            CatalogPushRequested,
            CatalogCsvApplyRequested,
            CatalogGlobalRequested,
            CatalogLinkRequested,
            InventorySyncRequested,
            PriceSyncRequested,
            TaskChanged,
        ],
        workers=[
            Worker(
                kind=BULK_PULL_CHECK,
                run=lambda _runtime, db, item: check_bulk_pull(platforms, db, item),
                # Shopify away: look again after a check interval, then less often.
                backoff=Backoff(check, max(check, 300.0)),
                poll_seconds=check,
            )
        ],
        description="Shopify catalog pull, mapping to TikTok Shop listings, and push.",
        transient_errors=PLATFORM_UNAVAILABLE,
        deps=platforms,
    )
