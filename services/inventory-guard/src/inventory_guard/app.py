"""Composition of the inventory-guard service."""

from connector_connections.caller import scoped_api
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import InventoryLocationsChanged, TaskChanged
from connector_runtime.jobs import PeriodicJob
from connector_runtime.service import ServiceSpec
from connector_runtime.work import Backoff, Worker

from inventory_guard import store
from inventory_guard.api import stock
from inventory_guard.handlers import build_events
from inventory_guard.holds import HOLD, run_hold, track_holds
from inventory_guard.locations import track_former_locations
from inventory_guard.platforms import Deps
from inventory_guard.settings import InventoryGuardSettings
from inventory_guard.stock_push import push_failed, run_push
from inventory_guard.sweeps import SWEEP, ensure_sweeps, sweep_region


def build_spec(settings: InventoryGuardSettings, deps: Deps | None = None) -> ServiceSpec:
    """Describe the service: handlers, workers, migrations and what it publishes (`deps`: the
    service's resources, real platform clients unless a test passes its own)."""
    deps = deps or Deps.of(settings)
    return ServiceSpec(
        name="inventory-guard",
        migrations=["connector_connections", "inventory_guard"],
        events=track_former_locations(track_holds(build_events(deps))),
        api=scoped_api([stock.router]),
        publishes=[InventoryLocationsChanged, TaskChanged],
        workers=workers(settings),
        jobs=[
            PeriodicJob(
                name="stock-sweep-schedules",
                interval_seconds=lambda s: min(60.0, s.inventory_sweep_interval_seconds),
                run=ensure_sweeps,
            )
        ],
        deps=deps,
        transient_errors=PLATFORM_UNAVAILABLE,
        description="Shopify stock to TikTok Shop, with the low-inventory policy.",
    )


def workers(settings: InventoryGuardSettings) -> list[Worker]:
    """Stock pushes per product and region and sweeps per region, on every replica."""
    sweep_every = settings.inventory_sweep_interval_seconds
    return [
        Worker(
            kind=store.PUSH,
            run=run_push,
            concurrency=settings.inventory_push_concurrency,
            backoff=Backoff(1.0, 300.0),
            retrying=push_failed,
            poll_seconds=1.0,
        ),
        Worker(kind=HOLD, run=run_hold, backoff=Backoff(1.0, 60.0), poll_seconds=1.0),
        Worker(
            kind=SWEEP,
            run=sweep_region,
            # Regions side by side: each has its own store budget and TikTok shop; one key is
            # one item, so a region is never swept twice at once (ADR 0410).
            concurrency=settings.inventory_sweep_concurrency,
            # A failed sweep waits for its next turn like a successful one.
            backoff=Backoff(sweep_every, sweep_every),
            every_seconds=sweep_every,
            poll_seconds=1.0,
        ),
    ]
