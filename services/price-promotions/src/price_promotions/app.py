"""Composition of the price-promotions service."""

from connector_connections.caller import scoped_api
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import ProductPriceSynced, TaskChanged
from connector_runtime.service import ServiceSpec
from connector_runtime.work import Backoff, Worker

from price_promotions.api import pricing, products
from price_promotions.handlers import build_events
from price_promotions.platform import Deps
from price_promotions.settings import PricePromotionsSettings
from price_promotions.sweeps import PRICE_SWEEP, run_price_sweep
from price_promotions.syncing import PRICE_SYNC, run_price_sync


def build_spec(settings: PricePromotionsSettings, deps: Deps | None = None) -> ServiceSpec:
    """Describe the service: handlers, API, migrations, durable workers and what it publishes
    (`deps`: real platform clients unless a test passes its own)."""
    platforms = deps or Deps.of(settings)
    poll = settings.price_poll_seconds
    return ServiceSpec(
        name="price-promotions",
        migrations=["connector_connections", "price_promotions"],
        events=build_events(platforms),
        api=scoped_api([pricing.router, products.router]),
        publishes=[ProductPriceSynced, TaskChanged],
        workers=[
            Worker(
                kind=PRICE_SYNC,
                run=run_price_sync,
                concurrency=settings.price_sync_concurrency,
                # A platform away: again in 2 s, then less often, up to 5 minutes.
                backoff=Backoff(2.0, 300.0),
                poll_seconds=poll,
            ),
            Worker(
                kind=PRICE_SWEEP,
                run=run_price_sweep,
                every_seconds=settings.price_sweep_seconds,
                poll_seconds=max(poll, min(settings.price_sweep_seconds, 60.0)),
            ),
        ],
        description="Pricing modes, price rules and TikTok Shop discount activities with renewal.",
        transient_errors=PLATFORM_UNAVAILABLE,
        deps=platforms,
    )
