"""Composition of the catalog-sync service."""

from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import (
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    ProductPulled,
    ProductPushed,
)
from connector_runtime.jobs import PeriodicJob
from connector_runtime.service import ServiceSpec

from catalog_sync.api import (
    categories,
    compliance,
    csv_edit,
    global_products,
    products,
    size_charts,
    tasks,
)
from catalog_sync.bulk_pulls import check_bulk_pulls
from catalog_sync.handlers import build_events
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings


def build_spec(settings: CatalogSyncSettings, deps: Platforms | None = None) -> ServiceSpec:
    """Describe the service: handlers, API, migrations and what it publishes (`deps`: the
    service's resources, real platform clients unless a test passes its own)."""
    platforms = deps or Platforms.of(settings)
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
            InventorySyncRequested,
            PriceSyncRequested,
        ],
        jobs=[
            PeriodicJob(
                name="bulk-pull-check",
                interval_seconds=lambda s: s.catalog_bulk_check_seconds,
                run=lambda runtime: check_bulk_pulls(platforms, runtime.pool),
            )
        ],
        description="Shopify catalog pull, mapping to TikTok Shop listings, and push.",
        transient_errors=PLATFORM_UNAVAILABLE,
        deps=platforms,
    )
