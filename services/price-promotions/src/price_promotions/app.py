"""Composition of the price-promotions service."""

from connector_runtime.deps import ServiceDeps
from connector_runtime.service import ServiceSpec

from price_promotions.handlers import build_events
from price_promotions.settings import PricePromotionsSettings


def build_spec(
    settings: PricePromotionsSettings, deps: ServiceDeps[PricePromotionsSettings] | None = None
) -> ServiceSpec:
    """Describe the service: handlers, migrations and what it publishes (`deps`: settings,
    pool and clock; no platform clients of its own)."""
    return ServiceSpec(
        name="price-promotions",
        migrations=["connector_connections", "price_promotions"],
        events=build_events(settings),
        deps=deps or ServiceDeps(settings=settings),
        description="Pricing modes and TikTok Shop discount activities with renewal.",
    )
