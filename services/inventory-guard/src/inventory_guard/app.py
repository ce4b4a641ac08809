"""Composition of the inventory-guard service."""

from connector_runtime.deps import ServiceDeps
from connector_runtime.service import ServiceSpec

from inventory_guard.handlers import build_events
from inventory_guard.settings import InventoryGuardSettings


def build_spec(
    settings: InventoryGuardSettings, deps: ServiceDeps[InventoryGuardSettings] | None = None
) -> ServiceSpec:
    """Describe the service: handlers, migrations and what it publishes (`deps`: settings,
    pool and clock; no platform clients of its own)."""
    return ServiceSpec(
        name="inventory-guard",
        migrations=["connector_connections", "inventory_guard"],
        events=build_events(settings),
        deps=deps or ServiceDeps(settings=settings),
        description="Shopify stock to TikTok Shop, with the low-inventory policy.",
    )
