"""Tasks, CSV uploads and Qualification Center entities."""

from connector_runtime.db import Connection

from catalog_sync.store.models import Task

# --- tasks ----------------------------------------------------------------------------------


async def create_task(
    db: Connection,
    task_id: str,
    connection_id: str,
    kind: str,
    total: int | None,
    shop_id: str | None = None,
) -> None:
    """A new running task (of one region's shop, or None: of the whole connection)."""
    await db.execute(
        "INSERT INTO tasks (task_id, connection_id, kind, total, tiktok_shop_id)"
        " VALUES ($1,$2,$3,$4,$5) ON CONFLICT (task_id) DO NOTHING",
        task_id,
        connection_id,
        kind,
        total,
        shop_id,
    )


async def set_task_total(db: Connection, task_id: str, total: int) -> None:
    """How many items the task covers (completes it at once when there are none)."""
    await db.execute(
        "UPDATE tasks SET total=$2, status=CASE WHEN $2 <= done + failed THEN 'completed'"
        " ELSE status END, updated_at=now() WHERE task_id=$1",
        task_id,
        total,
    )


async def task_progress(db: Connection, task_id: str, done: int, failed: int) -> None:
    """Count finished items; the task completes when all are counted."""
    await db.execute(
        "UPDATE tasks SET done=done+$2, failed=failed+$3, status=CASE WHEN total IS NOT NULL"
        " AND done+$2+failed+$3 >= total THEN 'completed' ELSE status END, updated_at=now()"
        " WHERE task_id=$1",
        task_id,
        done,
        failed,
    )


async def finish_task(db: Connection, task_id: str, status: str, detail: str | None) -> None:
    """End a task as completed or error, with details."""
    await db.execute(
        "UPDATE tasks SET status=$2, detail=$3, updated_at=now() WHERE task_id=$1",
        task_id,
        status,
        detail,
    )


async def set_task_detail(db: Connection, task_id: str, detail: str) -> None:
    """Tell the merchant what a running task is doing now."""
    await db.execute(
        "UPDATE tasks SET detail=$2, updated_at=now() WHERE task_id=$1", task_id, detail
    )


async def load_task(db: Connection, task_id: str) -> Task | None:
    """One task."""
    row = await db.fetchrow("SELECT * FROM tasks WHERE task_id = $1", task_id)
    return Task(**dict(row)) if row else None


async def list_tasks(
    db: Connection, connection_id: str, limit: int, shop_id: str | None = None
) -> list[Task]:
    """Newest tasks of a connection: a region's (`shop_id`) and the connection-wide ones, or
    every region's (None)."""
    rows = await db.fetch(
        "SELECT * FROM tasks WHERE connection_id=$1 AND ($3::text IS NULL"
        " OR tiktok_shop_id IS NULL OR tiktok_shop_id = $3) ORDER BY created_at DESC LIMIT $2",
        connection_id,
        limit,
        shop_id,
    )
    return [Task(**dict(r)) for r in rows]


# --- CSV uploads ----------------------------------------------------------------------------


async def save_csv_upload(
    db: Connection,
    upload_id: str,
    connection_id: str,
    key: str,
    valid: int,
    errors: int,
    error_csv: str,
    task_id: str | None,
) -> None:
    """Remember an upload's error file."""
    await db.execute(
        "INSERT INTO csv_uploads (upload_id, connection_id, category_key, valid_rows, error_rows,"
        " error_csv, task_id) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        upload_id,
        connection_id,
        key,
        valid,
        errors,
        error_csv,
        task_id,
    )


async def csv_error_file(db: Connection, connection_id: str, upload_id: str) -> str | None:
    """An upload's error file."""
    value = await db.fetchval(
        "SELECT error_csv FROM csv_uploads WHERE connection_id=$1 AND upload_id=$2",
        connection_id,
        upload_id,
    )
    return str(value) if value is not None else None
