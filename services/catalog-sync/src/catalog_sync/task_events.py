"""`task.changed` for catalog tasks: written in the transaction that changed the task, once
per command, chunk or batch (never per product: a 100,000-product push would flood the topic)."""

from connector_contracts import (
    MAX_ITEM_LINES,
    MAX_REASONS,
    ItemOutcome,
    ReasonCount,
    TaskChanged,
    TaskStatus,
    new_envelope,
)
from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from connector_runtime.settings import ServiceSettings

from catalog_sync.store.models import Task

SUMMARIES = {
    "pull": "Pull products from Shopify",
    "push": "Push products to TikTok Shop",
    "csv": "Apply a category CSV edit",
    "global": "Sync or publish Global Products",
    "link": "Link TikTok listings to Shopify products by SKU",
}


async def announce_task(db: Connection, settings: ServiceSettings, task_id: str) -> None:
    """Stamp the task's next sequence and put its state in the outbox of `db`'s transaction."""
    row = await db.fetchrow(
        "UPDATE tasks SET sequence = sequence + 1 WHERE task_id = $1 RETURNING *", task_id
    )
    if row is None:
        return
    values = dict(row)
    sequence = int(values.pop("sequence"))
    task = Task(**values)
    event = to_task_changed(task, sequence, *await _failures(db, task_id))
    envelope = new_envelope(event, connection_id=task.connection_id, task_id=task_id)
    await write_outbox(db, settings, envelope)


def to_task_changed(
    task: Task, sequence: int, reasons: list[ReasonCount], items: list[ItemOutcome]
) -> TaskChanged:
    """The shared task view of a catalog task."""
    status = TaskStatus(task.status)
    return TaskChanged(
        task_id=task.task_id,
        sequence=sequence,
        service="catalog-sync",
        type=task.kind,
        summary=SUMMARIES.get(task.kind, task.kind),
        status=status,
        tiktok_shop_id=task.tiktok_shop_id,
        done=task.done,
        total=task.total,
        failed=task.failed,
        detail=task.detail,
        started_at=task.created_at,
        finished_at=task.updated_at if status is not TaskStatus.RUNNING else None,
        reasons=reasons,
        items=items,
    )


async def _failures(db: Connection, task_id: str) -> tuple[list[ReasonCount], list[ItemOutcome]]:
    """The products this task failed to list: counts per reason, and the first few."""
    counts = await db.fetch(
        "SELECT reason, count(*) AS n FROM local_listings WHERE last_push_task_id = $1"
        " AND reason IS NOT NULL GROUP BY reason ORDER BY n DESC, reason LIMIT $2",
        task_id,
        MAX_REASONS,
    )
    lines = await db.fetch(
        "SELECT shopify_product_id, status, reason FROM local_listings"
        " WHERE last_push_task_id = $1 AND reason IS NOT NULL"
        " ORDER BY shopify_product_id LIMIT $2",
        task_id,
        MAX_ITEM_LINES,
    )
    return (
        [ReasonCount(reason=r["reason"], count=r["n"]) for r in counts],
        [ItemOutcome(item_id=r[0], status=r[1], reason=r[2]) for r in lines],
    )
