"""Reconciliation sweeps and "sync missed orders" tasks: schedules claimed with SKIP LOCKED."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from connector_runtime.db import Connection


async def ensure_sweep(conn: Connection, connection_id: str) -> None:
    """Give a connection a sweep schedule, due now, unless it has one."""
    await conn.execute(
        "INSERT INTO sweeps (connection_id, next_run_at) VALUES ($1, now()) ON CONFLICT DO NOTHING",
        connection_id,
    )


async def take_due_sweep(conn: Connection, interval: timedelta) -> str | None:
    """Claim the longest-due sweep and move its schedule on (commit it before sweeping)."""
    value = await conn.fetchval(
        "UPDATE sweeps SET next_run_at = now() + $1::interval, last_run_at = now()"
        " WHERE connection_id = (SELECT connection_id FROM sweeps WHERE next_run_at <= now()"
        " ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING connection_id",
        interval,
    )
    return str(value) if value is not None else None


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
        " o.state_changed_at, t.tiktok_order_id IS NOT NULL AS relay_queued"
        " FROM orders o LEFT JOIN relay_timers t USING (tiktok_order_id)"
        " WHERE o.tiktok_order_id = ANY($1::text[])",
        order_ids,
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
    created_at: datetime
    updated_at: datetime


_TASK = (
    "task_id, connection_id, window_start, window_end, status, found, queued, already_synced,"
    " error, created_at, updated_at"
)


async def create_task(
    conn: Connection, task_id: str, connection_id: str, start: datetime, end: datetime
) -> SyncTask:
    """A new task in status `queued`."""
    row = await conn.fetchrow(
        "INSERT INTO sync_tasks (task_id, connection_id, window_start, window_end, status)"
        f" VALUES ($1, $2, $3, $4, 'queued') RETURNING {_TASK}",
        task_id,
        connection_id,
        start,
        end,
    )
    assert row is not None
    return SyncTask(**dict(row))


async def get_task(conn: Connection, task_id: str) -> SyncTask | None:
    """One task."""
    row = await conn.fetchrow(f"SELECT {_TASK} FROM sync_tasks WHERE task_id = $1", task_id)
    return SyncTask(**dict(row)) if row else None


async def take_queued_task(conn: Connection) -> SyncTask | None:
    """Claim one queued task (status `running`; another replica skips it)."""
    row = await conn.fetchrow(
        "UPDATE sync_tasks SET status = 'running', updated_at = now() WHERE task_id = ("
        " SELECT task_id FROM sync_tasks WHERE status = 'queued' ORDER BY created_at"
        f" LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {_TASK}"
    )
    return SyncTask(**dict(row)) if row else None


async def update_task(conn: Connection, task_id: str, **fields: Any) -> None:
    """Record progress (names come from code)."""
    sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(fields))
    await conn.execute(
        f"UPDATE sync_tasks SET {sets}, updated_at = now() WHERE task_id = $1",
        task_id,
        *fields.values(),
    )


async def requeue_stale_tasks(conn: Connection, older_than: timedelta) -> None:
    """Tasks whose runner died mid-way go back to the queue (they are idempotent)."""
    await conn.execute(
        "UPDATE sync_tasks SET status = 'queued' WHERE status = 'running'"
        " AND updated_at < now() - $1::interval",
        older_than,
    )
