"""Reconciliation sweeps and "sync missed orders" tasks: their records, and the work that
runs them (connector_runtime.work)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connector_contracts import OrderStatus
from connector_runtime import work
from connector_runtime.db import Connection
from connector_runtime.settings import ServiceSettings

from order_relay.core.intake import SweepEmission
from order_relay.store import RELAY
from order_relay.task_events import emit_task_changed

SWEEP = "sweep"  # work kind: one periodic sweep per connection, keyed by connection id
SYNC_TASK = "missed-order-sync"  # work kind: one run per "sync missed orders" task


async def ensure_sweeps(conn: Connection) -> None:
    """Give every active connection a sweep record and a sweep, due now, unless it has them."""
    # NOT EXISTS rather than a bare ON CONFLICT: never wait on a record a sweep is writing.
    active = [
        r["connection_id"]
        for r in await conn.fetch("SELECT connection_id FROM connections WHERE status = 'active'")
    ]
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO sweeps (connection_id) SELECT c FROM unnest($1::text[]) c"
            " WHERE NOT EXISTS (SELECT 1 FROM sweeps s WHERE s.connection_id = c)"
            " ON CONFLICT DO NOTHING",
            active,
        )
        await work.queue_missing(conn, SWEEP, active)


async def record_sweep(conn: Connection, connection_id: str, seen: int, emitted: int) -> None:
    """Remember what the last sweep saw and repaired."""
    await conn.execute(
        "UPDATE sweeps SET last_seen = $2::int, last_emitted = $3::int,"
        " total_emitted = total_emitted + $3::int, failures = 0, last_error = NULL"
        " WHERE connection_id = $1",
        connection_id,
        seen,
        emitted,
    )


async def sweep_emissions(conn: Connection, order_ids: list[str]) -> dict[str, SweepEmission]:
    """What sweeps last emitted for these orders, by id."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, status, emitted_at FROM sweep_emissions"
        " WHERE tiktok_order_id = ANY($1::text[])",
        order_ids,
    )
    return {
        r["tiktok_order_id"]: SweepEmission(OrderStatus(r["status"]), r["emitted_at"]) for r in rows
    }


async def record_sweep_emissions(
    conn: Connection, connection_id: str, emitted: dict[str, OrderStatus], at: datetime
) -> None:
    """Remember what a sweep emitted, so the next ones do not emit it again too soon."""
    await conn.execute(
        "INSERT INTO sweep_emissions (tiktok_order_id, connection_id, status, emitted_at)"
        " SELECT o, $1, s, $4 FROM unnest($2::text[], $3::text[]) AS e(o, s)"
        " ON CONFLICT (tiktok_order_id) DO UPDATE"
        " SET status = excluded.status, emitted_at = excluded.emitted_at",
        connection_id,
        list(emitted),
        [str(s) for s in emitted.values()],
        at,
    )


async def record_sweep_failure(conn: Connection, connection_id: str, error: str) -> int:
    """Remember why a sweep failed; return how many have failed in a row."""
    failures = await conn.fetchval(
        "UPDATE sweeps SET failures = failures + 1, last_error = $2 WHERE connection_id = $1"
        " RETURNING failures",
        connection_id,
        error[:1000],
    )
    return int(failures or 0)


async def local_states(conn: Connection, order_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The relay's view of some orders, by id, for comparing with TikTok's."""
    rows = await conn.fetch(
        "SELECT o.tiktok_order_id, o.status, o.tiktok_updated_at, o.paid, o.relay_state,"
        " o.state_changed_at, t.key IS NOT NULL AS relay_queued"
        " FROM orders o LEFT JOIN work_items t ON t.kind = $2 AND t.key = o.tiktok_order_id"
        " WHERE o.tiktok_order_id = ANY($1::text[])",
        order_ids,
        RELAY,
    )
    return {r["tiktok_order_id"]: dict(r) for r in rows}


@dataclass(frozen=True)
class SyncTask:
    """A "sync missed orders" task."""

    task_id: str
    connection_id: str
    window_start: datetime
    window_end: datetime
    status: str
    found: int
    queued: int
    already_synced: int
    error: str | None
    tiktok_shop_id: str | None
    created_at: datetime
    updated_at: datetime


_TASK = (
    "task_id, connection_id, window_start, window_end, status, found, queued, already_synced,"
    " error, tiktok_shop_id, created_at, updated_at"
)
_STAMP = "sequence = sequence + 1, updated_at = now()"


async def create_task(
    conn: Connection,
    settings: ServiceSettings,
    task_id: str,
    connection_id: str,
    window: tuple[datetime, datetime],
    shop_id: str | None = None,
) -> SyncTask:
    """A new task in status `queued` for one region (`shop_id`), with its run queued."""
    async with conn.transaction():
        row = await conn.fetchrow(
            "INSERT INTO sync_tasks (task_id, connection_id, window_start, window_end, status,"
            f" tiktok_shop_id) VALUES ($1, $2, $3, $4, 'queued', $5) RETURNING {_TASK}, sequence",
            task_id,
            connection_id,
            *window,
            shop_id,
        )
        assert row is not None
        task = await _emitted(conn, settings, row)
        await work.queue(conn, SYNC_TASK, task_id)
    return task


async def _emitted(conn: Connection, settings: ServiceSettings, row: Any) -> SyncTask:
    """The task of a changed row, its `task.changed` in the outbox (same transaction)."""
    values = dict(row)
    sequence = int(values.pop("sequence"))
    task = SyncTask(**values)
    await emit_task_changed(conn, settings, task, sequence)
    return task


async def get_task(conn: Connection, task_id: str) -> SyncTask | None:
    """One task."""
    row = await conn.fetchrow(f"SELECT {_TASK} FROM sync_tasks WHERE task_id = $1", task_id)
    return SyncTask(**dict(row)) if row else None


async def start_task(conn: Connection, settings: ServiceSettings, task_id: str) -> SyncTask | None:
    """Mark a task `running` (again, when a runner died mid-way: tasks are idempotent)."""
    return await update_task(conn, settings, task_id, status="running")


async def update_task(
    conn: Connection, settings: ServiceSettings, task_id: str, **fields: Any
) -> SyncTask | None:
    """Record progress (names come from code) and emit it as `task.changed`."""
    sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(fields))
    async with conn.transaction():
        row = await conn.fetchrow(
            f"UPDATE sync_tasks SET {sets}, {_STAMP} WHERE task_id = $1"
            f" RETURNING {_TASK}, sequence",
            task_id,
            *fields.values(),
        )
        return await _emitted(conn, settings, row) if row else None
