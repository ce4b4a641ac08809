"""The task list read model (`task_list`): one row per task, newest state by sequence."""

import json
from dataclasses import dataclass
from datetime import datetime

from asyncpg import Record
from connector_contracts import TaskChanged
from connector_runtime.db import Connection

_COLUMNS = (
    "task_id, connection_id, sequence, service, type, summary, status, tiktok_shop_id, region,"
    " done, total, failed, detail, started_at, finished_at, reasons, items"
)
_FIELDS = [c.strip() for c in _COLUMNS.split(",")]


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks of a connection a page lists (None: any)."""

    connection_id: str
    shop_id: str | None = None
    status: str | None = None
    type: str | None = None


async def held_state(conn: Connection, task_id: str) -> TaskChanged | None:
    """The task's state in the list, its row locked until the transaction ends."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM task_list WHERE task_id=$1 FOR UPDATE", task_id
    )
    return _state(row) if row else None


async def save_state(conn: Connection, connection_id: str, state: TaskChanged) -> None:
    """Store a task's state; a concurrent writer with a higher sequence keeps its own."""
    values = {**state.model_dump(), "connection_id": connection_id}
    values["status"] = state.status.value
    values["reasons"] = json.dumps([r.model_dump() for r in state.reasons])
    values["items"] = json.dumps([i.model_dump() for i in state.items])
    params = [values[f] for f in _FIELDS]
    placeholders = ", ".join(f"${i + 1}" for i in range(len(_FIELDS)))
    updates = ", ".join(f"{f}=excluded.{f}" for f in _FIELDS[2:])
    await conn.execute(
        f"INSERT INTO task_list ({_COLUMNS}) VALUES ({placeholders}) ON CONFLICT (task_id)"
        f" DO UPDATE SET {updates} WHERE task_list.sequence < excluded.sequence",
        *params,
    )
    # Delivered at commit, to every gateway's task feed: their open streams read again.
    await conn.execute("SELECT pg_notify('task_changed.' || current_schema(), $1)", connection_id)


async def list_states(
    conn: Connection, where: TaskFilter, limit: int, before: tuple[datetime, str] | None
) -> list[tuple[str, TaskChanged]]:
    """A page of a connection's tasks, newest first, after the `before` cursor."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM task_list WHERE connection_id=$1"
        " AND ($2::text IS NULL OR tiktok_shop_id IS NULL OR tiktok_shop_id=$2)"
        " AND ($3::text IS NULL OR status=$3) AND ($4::text IS NULL OR type=$4)"
        " AND ($5::timestamptz IS NULL OR (started_at, task_id) < ($5, $6))"
        " ORDER BY started_at DESC, task_id DESC LIMIT $7",
        where.connection_id,
        where.shop_id,
        where.status,
        where.type,
        before[0] if before else None,
        before[1] if before else "",
        limit,
    )
    return [(r["connection_id"], _state(r)) for r in rows]


async def load_state(conn: Connection, task_id: str) -> tuple[str, TaskChanged] | None:
    """One task with its connection."""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM task_list WHERE task_id=$1", task_id)
    return (row["connection_id"], _state(row)) if row else None


async def clear_tasks(conn: Connection) -> None:
    """Empty the list before a rebuild replays the topic into it."""
    # DELETE, not TRUNCATE: TRUNCATE's exclusive lock would make every reader wait for the
    # rebuild to commit; deleted rows stay visible to them until it does.
    await conn.execute("DELETE FROM task_list")


def _state(row: Record) -> TaskChanged:
    values = dict(row)
    values.pop("connection_id")
    values["reasons"] = json.loads(values["reasons"])
    values["items"] = json.loads(values["items"])
    return TaskChanged.model_validate(values)
