"""Composition of the inventory-guard service."""

from connector_runtime.service import ServiceSpec

from inventory_guard.handlers import build_events
from inventory_guard.settings import InventoryGuardSettings


def build_spec(settings: InventoryGuardSettings) -> ServiceSpec:
    """Describe the service: handlers, migrations and what it publishes."""
    return ServiceSpec(
        name="inventory-guard",
        migrations=["connector_connections", "inventory_guard"],
        events=build_events(settings),
        description="Shopify stock to TikTok Shop, with the low-inventory policy.",
    )
