"""'Sync missed orders' runs: find a window's AWAITING_SHIPMENT orders and relay the missing.

Each task is a `missed-order-sync` work item; its `sync_tasks` row is the progress the API
shows. A runner that dies mid-way releases the item and another replica runs the task again
(it is idempotent: orders already relayed count as synced).
"""

from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from connector_connections import load_connection, region_of
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import WorkItem
from tiktok_shop.models.orders import Order

from order_relay import metrics, store, sync_store
from order_relay.core.intake import RelayState
from order_relay.platforms import Deps
from order_relay.sweeps import status_event

log = structlog.get_logger()


async def run_sync_task(runtime: Any, _conn: Connection, item: WorkItem) -> None:
    """Run one task to completion, recording progress; a failure ends it in `error`."""
    async with runtime.pool.acquire() as conn:
        task = await sync_store.start_task(conn, runtime.deps.settings, item.key)
    if task is None:
        return
    try:
        await _sync(runtime.pool, runtime.deps, task)
    except Exception as exc:
        log.exception("order.sync_task_failed", task_id=task.task_id)
        async with runtime.pool.acquire() as conn:
            await sync_store.update_task(
                conn, runtime.deps.settings, task.task_id, status="error", error=str(exc)[:1000]
            )


async def _sync(pool: asyncpg.Pool, deps: Deps, task: sync_store.SyncTask) -> None:
    async with pool.acquire() as conn:
        connection = await load_connection(conn, task.connection_id)
    shop_id = task.tiktok_shop_id or (connection.tiktok_shop_id if connection else None)
    if connection is None or not shop_id:
        raise ValueError(f"connection {task.connection_id} is not connected to TikTok Shop")
    clients = await deps.clients(connection, shop_id)
    # The guide: only AWAITING_SHIPMENT orders can be found and synced this way.
    filters: dict[str, object] = {
        "order_status": "AWAITING_SHIPMENT",
        "create_time_ge": int(task.window_start.timestamp()),
        "create_time_lt": int(task.window_end.timestamp()),
    }
    found = [o async for o in clients.tiktok.orders.iter_search(filters, page_size=100)]
    async with pool.acquire() as conn:
        await sync_store.update_task(conn, deps.settings, task.task_id, found=len(found))
    queued = synced = 0
    for start in range(0, len(found), 50):
        batch = found[start : start + 50]
        q, s = await _queue(pool, deps, task, (shop_id, region_of(connection, shop_id)), batch)
        queued, synced = queued + q, synced + s
        async with pool.acquire() as conn:
            await sync_store.update_task(
                conn, deps.settings, task.task_id, queued=queued, already_synced=synced
            )
    async with pool.acquire() as conn:
        await sync_store.update_task(conn, deps.settings, task.task_id, status="completed")
    log.info("order.sync_task_done", task_id=task.task_id, found=len(found), queued=queued)


async def _queue(
    pool: asyncpg.Pool,
    deps: Deps,
    task: sync_store.SyncTask,
    shop: tuple[str, str],
    batch: list[Order],
) -> tuple[int, int]:
    """Queue the relay of a batch of one region's orders (`shop`: its shop id and market)."""
    shop_id, region = shop
    queued = synced = 0
    async with pool.acquire() as conn, conn.transaction():
        local = await sync_store.local_states(conn, [o.id for o in batch])
        fx = Effects(conn, deps.settings)
        for order in batch:
            row = local.get(order.id)
            state = RelayState(row["relay_state"]) if row else RelayState.NONE
            if state in (RelayState.RELAYED, RelayState.SKIPPED, RelayState.CANCELLED):
                synced += 1
            elif row is None or state is RelayState.NONE:
                event = status_event(order, shop_id, "missed-sync", region)
                await fx.emit(event, connection_id=task.connection_id, task_id=task.task_id)
                queued += 1
            else:  # failed or stuck pending: relay again now
                attempts = await store.relay_attempts(conn, order.id)
                await store.schedule_retry(
                    conn, order.id, task.connection_id, datetime.now(UTC), attempts + 1
                )
                queued += 1
    metrics.RECONCILED.labels("missed-sync").inc(queued)
    return queued, synced
