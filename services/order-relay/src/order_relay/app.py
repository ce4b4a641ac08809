"""Composition of the order-relay service."""

from connector_connections import former_locations_job
from connector_connections.caller import scoped_api
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import (
    FormerInventoryLocation,
    OrderCancelled,
    OrderInvoicesNeeded,
    OrderOversold,
    OrderPaid,
    OrderRelayed,
    OrderRelayFailed,
    OrderReturned,
    OrderShipped,
    OrderStatusChanged,
    TaskChanged,
)
from connector_runtime.jobs import PeriodicJob
from connector_runtime.service import ServiceSpec
from connector_runtime.work import Backoff, Worker

from order_relay import store, sync_store
from order_relay.api import alerts, invoices, order_settings, orders, privacy, stuck, syncs
from order_relay.api.stuck import export_stuck_orders
from order_relay.handlers import build_events
from order_relay.missed_orders import run_sync_task
from order_relay.platforms import Deps
from order_relay.relay import ConnectionUnavailable
from order_relay.relay_jobs import prefetch_details, relay_postponed, run_relay_job
from order_relay.relay_links import LINK, MAX_LINKS, run_link, send_links
from order_relay.settings import OrderRelaySettings
from order_relay.sweeps import ensure_sweeps, sweep_connection, sweep_failed

PUBLISHES = (
    OrderPaid,
    OrderStatusChanged,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    OrderCancelled,
    OrderReturned,
    OrderOversold,
    OrderInvoicesNeeded,
    TaskChanged,
    FormerInventoryLocation,
)


def build_spec(settings: OrderRelaySettings, deps: Deps | None = None) -> ServiceSpec:
    """Describe the service: handlers, API, durable work, migrations and what it publishes
    (`deps`: the service's resources, real platform clients unless a test passes its own)."""
    deps = deps or Deps.of(settings)
    return ServiceSpec(
        name="order-relay",
        migrations=["connector_connections", "order_relay"],
        events=build_events(deps),
        api=scoped_api(
            [
                stuck.router,  # before orders.router, whose /{order_id} would take "stuck"
                orders.router,
                invoices.router,
                order_settings.router,
                syncs.router,
                alerts.router,
                privacy.router,
            ]
        ),
        publishes=list(PUBLISHES),
        description="TikTok Shop orders into Shopify exactly once, and fulfilment back.",
        transient_errors=(*PLATFORM_UNAVAILABLE, ConnectionUnavailable),
        workers=workers(settings),
        jobs=[
            PeriodicJob(
                name="sweep-schedules",
                interval_seconds=lambda s: s.order_timer_poll_seconds,
                run=ensure_sweeps,
            ),
            PeriodicJob(
                name="stuck-orders",
                interval_seconds=lambda s: min(60.0, s.order_sweep_interval_seconds),
                run=export_stuck_orders,
            ),
            # Its former inventory-location settings go to their owner, inventory-guard.
            former_locations_job("order-relay"),
        ],
        deps=deps,
    )


def workers(settings: OrderRelaySettings) -> list[Worker]:
    """Relay jobs, reconciliation sweeps and missed-order syncs, on every replica."""
    poll = settings.order_timer_poll_seconds
    sweep_every = settings.order_sweep_interval_seconds
    return [
        Worker(
            kind=store.RELAY,
            run=run_relay_job,
            concurrency=settings.order_relay_concurrency,
            batch=settings.order_relay_batch,
            prepare=prefetch_details,
            backoff=Backoff(2.0, 300.0),
            retrying=relay_postponed,
            poll_seconds=poll,
        ),
        Worker(
            kind=LINK,
            run=run_link,
            batch=MAX_LINKS,
            prepare=send_links,
            backoff=Backoff(2.0, 300.0),
            poll_seconds=poll,
        ),
        Worker(
            kind=sync_store.SWEEP,
            run=sweep_connection,
            # A failed sweep waits for its next turn like a successful one.
            backoff=Backoff(sweep_every, sweep_every),
            retrying=sweep_failed,
            every_seconds=sweep_every,
            poll_seconds=poll,
        ),
        Worker(kind=sync_store.SYNC_TASK, run=run_sync_task, poll_seconds=poll),
    ]
