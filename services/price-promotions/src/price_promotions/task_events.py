"""`task.changed` for pricing tasks, written in the transaction that changed the task."""

from typing import Any

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

from price_promotions import task_store
from price_promotions.core.task_progress import progress_worth_telling
from price_promotions.store import Region

SUMMARIES = {
    "update_price": "Update prices on TikTok Shop",
    "refresh": "Refresh prices after a pricing mode change",
}


async def finish_product(
    conn: Connection,
    settings: ServiceSettings,
    region: Region,
    shopify_product_id: str,
    outcome: tuple[str, str | None],
) -> None:
    """Count the product's outcome (state, reason) in every running task of the region, and
    announce those tasks that reached a step of their progress."""
    for task_id in await task_store.finish_items(conn, region, shopify_product_id, *outcome):
        if progress_worth_telling(*await task_store.lock_progress(conn, task_id)):
            await announce_task(conn, settings, task_id)


async def announce_task(conn: Connection, settings: ServiceSettings, task_id: str) -> None:
    """Stamp the task's next sequence (locking it) and put its state in the outbox."""
    sequence = await conn.fetchval(
        "UPDATE price_tasks SET sequence = sequence + 1, updated_at = now() WHERE task_id = $1"
        " RETURNING sequence",
        task_id,
    )
    task = await task_store.load_task(conn, task_id)
    if sequence is None or task is None:
        return
    reasons, items = await _failures(conn, task_id)
    event = to_task_changed(task, int(sequence), reasons, items)
    envelope = new_envelope(event, connection_id=task["connection_id"], task_id=task_id)
    await write_outbox(conn, settings, envelope)


def to_task_changed(
    task: dict[str, Any], sequence: int, reasons: list[ReasonCount], items: list[ItemOutcome]
) -> TaskChanged:
    """The shared task view of a pricing task (its products are its items)."""
    status = TaskStatus(task["status"])
    return TaskChanged(
        task_id=task["task_id"],
        sequence=sequence,
        service="price-promotions",
        type=task["kind"],
        summary=SUMMARIES.get(task["kind"], task["kind"]),
        status=status,
        tiktok_shop_id=task["tiktok_shop_id"],
        done=task["done"],
        total=task["total"],
        failed=task["failed"],
        started_at=task["created_at"],
        finished_at=task["updated_at"] if status is TaskStatus.COMPLETED else None,
        reasons=reasons,
        items=items,
    )


async def _failures(conn: Connection, task_id: str) -> tuple[list[ReasonCount], list[ItemOutcome]]:
    counts = await conn.fetch(
        "SELECT coalesce(reason, 'failed') AS reason, count(*) AS n FROM price_task_items"
        " WHERE task_id = $1 AND state = 'failed' GROUP BY 1 ORDER BY n DESC, 1 LIMIT $2",
        task_id,
        MAX_REASONS,
    )
    lines = await conn.fetch(
        "SELECT shopify_product_id, reason FROM price_task_items"
        " WHERE task_id = $1 AND state = 'failed' ORDER BY shopify_product_id LIMIT $2",
        task_id,
        MAX_ITEM_LINES,
    )
    return (
        [ReasonCount(reason=r["reason"], count=r["n"]) for r in counts],
        [ItemOutcome(item_id=r[0], status="failed", reason=r[1]) for r in lines],
    )
