"""`task.changed` for "sync missed orders" tasks, written with the row's change (outbox)."""

from typing import TYPE_CHECKING

from connector_contracts import ReasonCount, TaskChanged, TaskStatus, new_envelope
from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from connector_runtime.settings import ServiceSettings

if TYPE_CHECKING:  # sync_store writes these events with its rows
    from order_relay.sync_store import SyncTask

SYNC_TYPE = "order_sync"
_ENDED = {"completed": TaskStatus.COMPLETED, "error": TaskStatus.ERROR}


def to_task_changed(task: "SyncTask", sequence: int) -> TaskChanged:
    """The shared task view of a sync: found orders are its items, queued or already synced
    ones have succeeded (the relay then reports each order on its own)."""
    status = _ENDED.get(task.status, TaskStatus.RUNNING)
    window = f"{task.window_start:%Y-%m-%d %H:%M} to {task.window_end:%Y-%m-%d %H:%M} UTC"
    return TaskChanged(
        task_id=task.task_id,
        sequence=sequence,
        service="order-relay",
        type=SYNC_TYPE,
        summary=f"Sync missed orders created {window}",
        status=status,
        tiktok_shop_id=task.tiktok_shop_id,
        done=task.queued + task.already_synced,
        total=task.found if task.status != "queued" else None,
        failed=0,
        detail=task.error,
        started_at=task.created_at,
        finished_at=task.updated_at if status is not TaskStatus.RUNNING else None,
        reasons=[ReasonCount(reason=task.error, count=1)] if task.error else [],
    )


async def emit_task_changed(
    conn: Connection, settings: ServiceSettings, task: "SyncTask", sequence: int
) -> None:
    """Put the task's new state in the outbox of the transaction that changed it."""
    event = to_task_changed(task, sequence)
    envelope = new_envelope(event, connection_id=task.connection_id, task_id=task.task_id)
    await write_outbox(conn, settings, envelope)
