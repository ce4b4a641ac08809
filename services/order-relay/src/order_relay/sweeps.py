"""Reconciliation sweeps: each connection's recently updated TikTok orders, compared with ours.

A sweep is a periodic `sweep` work item per connection; a failing one (e.g. TikTok rejects the
shop's token) records why and waits for its next turn, so it never holds up the others.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from connector_connections import load_connection, shops_of
from connector_contracts import OrderStatus, OrderStatusChanged
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import WorkItem, describe
from tiktok_shop.models.orders import Order, normalize_order_status

from order_relay import metrics, sync_store
from order_relay.core.intake import (
    LocalView,
    RelayState,
    sweep_already_emitted,
    sweep_should_emit,
)
from order_relay.settings import OrderRelaySettings

log = structlog.get_logger()


def status_event(
    order: Order, shop_id: str, source: str, region: str | None = None
) -> OrderStatusChanged:
    """A status fact about a TikTok order read from the API (in the shop's market, `region`)."""
    return OrderStatusChanged(
        tiktok_order_id=order.id,
        tiktok_shop_id=shop_id,
        region=region,
        status=OrderStatus(normalize_order_status(order.status)),
        is_on_hold_order=order.is_on_hold_order,
        updated_at=datetime.fromtimestamp(order.update_time, UTC),
        source=source,
    )


async def ensure_sweeps(runtime: Any) -> None:
    """Give every active connection its sweep (a periodic job, one replica at a time)."""
    async with runtime.pool.acquire() as conn:
        await sync_store.ensure_sweeps(conn)


async def sweep_connection(runtime: Any, conn: Connection, sweep: WorkItem) -> None:
    """Sweep one connection's recently updated TikTok orders for missed changes."""
    settings: OrderRelaySettings = runtime.settings
    connection = await load_connection(conn, sweep.key)
    if connection is None or connection.status != "active":
        return
    since = datetime.now(UTC) - timedelta(seconds=settings.order_sweep_window_seconds)
    seen = emitted = 0
    for shop in shops_of(connection):  # every authorized market, each through its own shop
        clients = await runtime.deps.clients(connection, shop.shop_id)
        found = [
            o
            async for o in clients.tiktok.orders.iter_search(
                {"update_time_ge": int(since.timestamp())}, page_size=100
            )
        ]
        seen += len(found)
        emitted += await emit_missed(conn, settings, sweep.key, shop.shop_id, found, shop.region)
    await sync_store.record_sweep(conn, sweep.key, seen, emitted)
    if emitted:
        log.info("order.sweep_repaired", connection_id=sweep.key, seen=seen, emitted=emitted)


async def sweep_failed(
    _runtime: Any, conn: Connection, sweep: WorkItem, exc: BaseException
) -> None:
    """Record why a sweep failed (its next turn is a sweep interval away)."""
    metrics.SWEEP_FAILURES.labels(type(exc).__name__).inc()
    failures = await sync_store.record_sweep_failure(conn, sweep.key, describe(exc))
    log.warning(
        "order.sweep_failed",
        connection_id=sweep.key,
        error=str(exc)[:300],
        error_type=type(exc).__name__,
        failures_in_a_row=failures,
    )


async def emit_missed(
    conn: Connection,
    settings: OrderRelaySettings,
    connection_id: str,
    shop_id: str,
    found: list[Order],
    region: str | None = None,
) -> int:
    """Emit the changes among `found` (orders of one shop, in market `region`) the relay missed
    and return how many; an order whose emission is not consumed yet is emitted again only
    after the stuck threshold."""
    ids = [o.id for o in found]
    local = await sync_store.local_states(conn, ids)
    earlier = await sync_store.sweep_emissions(conn, ids)
    now = datetime.now(UTC)
    # An emission not consumed within the stuck threshold is due again, like a stuck relay.
    stuck = timedelta(seconds=settings.order_stuck_after_seconds)
    fx = Effects(conn, settings)
    emitted: dict[str, OrderStatus] = {}
    for order in found:
        event = status_event(order, shop_id, "sweep", region)
        row = local.get(order.id)
        view = _view(row) if row else None
        if not sweep_should_emit(view, event.status, event.updated_at, now=now, stuck_after=stuck):
            continue
        if sweep_already_emitted(earlier.get(order.id), event.status, now=now, floor=stuck):
            metrics.SWEEP_HELD_BACK.inc()
            continue
        await fx.emit(event, connection_id=connection_id)
        emitted[order.id] = event.status
    await sync_store.record_sweep_emissions(conn, connection_id, emitted, now)
    metrics.RECONCILED.labels("sweep").inc(len(emitted))
    return len(emitted)


def _view(row: dict[str, object]) -> LocalView:
    return LocalView(
        status=OrderStatus(str(row["status"])),
        tiktok_updated_at=row["tiktok_updated_at"],  # type: ignore[arg-type]
        paid=bool(row["paid"]),
        relay_state=RelayState(str(row["relay_state"])),
        state_changed_at=row["state_changed_at"],  # type: ignore[arg-type]
        relay_queued=bool(row["relay_queued"]),
    )
