"""Pull tasks waiting on a Shopify bulk operation, by operation id."""

from datetime import datetime

from asyncpg import Record
from connector_contracts import CatalogPullRequested, Envelope
from connector_runtime.db import Connection
from pydantic import BaseModel

_COLUMNS = "operation_id, task_id, connection_id, command::text AS command, started_at, finished_at"


class BulkPull(BaseModel):
    """A pull task and the bulk operation it waits on."""

    operation_id: str
    task_id: str
    connection_id: str
    command: Envelope[CatalogPullRequested]
    started_at: datetime
    finished_at: datetime | None


def _pull(row: Record | None) -> BulkPull | None:
    if row is None:
        return None
    values = dict(row)
    command = Envelope[CatalogPullRequested].model_validate_json(values.pop("command"))
    return BulkPull(command=command, **values)


async def record_bulk_pull(
    db: Connection, operation_id: str, command: Envelope[CatalogPullRequested]
) -> None:
    """The pull task now waits on this operation (an adopted operation changes hands)."""
    await db.execute(
        "INSERT INTO bulk_pulls (operation_id, task_id, connection_id, command)"
        " VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (connection_id, operation_id) DO UPDATE"
        " SET task_id = EXCLUDED.task_id, command = EXCLUDED.command, started_at = now(),"
        " finished_at = NULL, outcome = NULL",
        operation_id,
        command.payload.task_id,
        command.payload.connection_id,
        command.model_dump_json(),
    )


async def bulk_pull_of_task(db: Connection, task_id: str) -> BulkPull | None:
    """The operation a pull task waits (or waited) on."""
    row = await db.fetchrow(f"SELECT {_COLUMNS} FROM bulk_pulls WHERE task_id = $1", task_id)
    return _pull(row)


async def waiting_task_of(db: Connection, connection_id: str, operation_id: str) -> str | None:
    """The pull task still waiting on an operation, if any."""
    value = await db.fetchval(
        "SELECT task_id FROM bulk_pulls WHERE connection_id = $1 AND operation_id = $2"
        " AND finished_at IS NULL",
        connection_id,
        operation_id,
    )
    return str(value) if value is not None else None


async def lock_bulk_pull(db: Connection, connection_id: str, operation_id: str) -> BulkPull | None:
    """A pull by operation, locked until the transaction ends (waits for a finisher at work)."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM bulk_pulls WHERE connection_id = $1 AND operation_id = $2"
        " FOR UPDATE",
        connection_id,
        operation_id,
    )
    return _pull(row)


async def lock_waiting_bulk_pull(db: Connection, task_id: str) -> BulkPull | None:
    """A still-waiting pull, locked (after a finisher at work); None once finished."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM bulk_pulls WHERE task_id = $1 AND finished_at IS NULL FOR UPDATE",
        task_id,
    )
    return _pull(row)


async def end_bulk_pull(db: Connection, task_id: str, outcome: str) -> None:
    """The pull no longer waits: completed, failed, timed out."""
    await db.execute(
        "UPDATE bulk_pulls SET finished_at = now(), outcome = $2 WHERE task_id = $1",
        task_id,
        outcome,
    )


async def lock_pull_starts(db: Connection, connection_id: str) -> None:
    """Serialise a pull's start with a finish that overtakes its commit, until the
    transaction ends."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", f"catalog-bulk-start:{connection_id}"
    )


class PullWait(BaseModel):
    """A pull task waiting in line for a bulk slot of its Shopify store (ADR 0370)."""

    task_id: str
    command: Envelope[CatalogPullRequested]
    queued_at: datetime


async def record_pull_wait(
    db: Connection, shop_domain: str, command: Envelope[CatalogPullRequested]
) -> None:
    """The pull waits in line (a retry keeps its first place)."""
    await db.execute(
        "INSERT INTO bulk_pull_waits (task_id, connection_id, shopify_shop_domain, command)"
        " VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (task_id) DO NOTHING",
        command.payload.task_id,
        command.payload.connection_id,
        shop_domain,
        command.model_dump_json(),
    )


async def lock_pull_wait(db: Connection, task_id: str) -> PullWait | None:
    """A waiting pull, locked until the transaction ends; None once it started or ended."""
    row = await db.fetchrow(
        "SELECT task_id, command::text AS command, queued_at FROM bulk_pull_waits"
        " WHERE task_id = $1 FOR UPDATE",
        task_id,
    )
    if row is None:
        return None
    command = Envelope[CatalogPullRequested].model_validate_json(row["command"])
    return PullWait(task_id=row["task_id"], command=command, queued_at=row["queued_at"])


async def drop_pull_wait(db: Connection, task_id: str) -> None:
    """The pull no longer waits in line (started, or ended)."""
    await db.execute("DELETE FROM bulk_pull_waits WHERE task_id = $1", task_id)


async def pull_waits_of_store(db: Connection, shop_domain: str) -> list[str]:
    """The tasks waiting for a bulk slot of the store, first in line first."""
    rows = await db.fetch(
        "SELECT task_id FROM bulk_pull_waits WHERE shopify_shop_domain = $1 ORDER BY queued_at",
        shop_domain,
    )
    return [str(r["task_id"]) for r in rows]
