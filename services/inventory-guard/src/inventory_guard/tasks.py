"""Stock tasks: "Update stock" (selected products, a page, all pages) and the re-evaluation of
every product after a threshold or mode change, one item per product of a region, announced
in the one task list by the runtime's shared per-product tasks (ADR 0430).

A product's item finishes with the push that sends it: done when TikTok took the stock (or the
"Product stock" rule leaves it alone), failed with the merchant's reason when the product is
not live, its shop is gone, or TikTok refused it `GIVE_UP_AFTER` times (the push itself keeps
retrying; the task only stops waiting for it).
"""

from connector_runtime.db import Connection
from connector_runtime.item_tasks import ItemTasks
from connector_runtime.settings import ServiceSettings

from inventory_guard import store
from inventory_guard.handlers import queue_push
from inventory_guard.store import ProductKey

UPDATE_STOCK = "update_stock"
REEVALUATE = "stock_reevaluate"
GIVE_UP_AFTER = 3  # failed tries of a push before its task counts the product as failed

STOCK_TASKS = ItemTasks(
    service="inventory-guard",
    tasks="stock_tasks",
    items="stock_task_items",
    summaries={
        UPDATE_STOCK: "Update stock on TikTok Shop",
        REEVALUATE: "Re-evaluate stock after a low-inventory threshold change",
    },
)

Outcome = tuple[str, str | None]  # (done or failed, reason)
DONE: Outcome = ("done", None)


async def start_task(
    db: Connection,
    settings: ServiceSettings,
    keys: list[ProductKey],
    region: tuple[str, str],
    kind: str,
) -> str:
    """A task over these products of a region, announced, each product's push queued now
    (after the transaction's first write: the task's rows lock nothing a push takes first)."""
    for key in keys:
        # One by one: a push running now read the figures and settings before this change;
        # queueing waits for it to commit and adds a fresh one that finishes the new item.
        await queue_push(db, key, None, 0.0)
        if kind == UPDATE_STOCK:
            await store.forget_tiktok_view(db, key)  # re-read TikTok: a hand edit is undone
    task_id = await STOCK_TASKS.create(db, region, kind, [k.shopify_product_id for k in keys])
    await STOCK_TASKS.announce(db, settings, task_id)
    return task_id


async def finish_product(
    conn: Connection, settings: ServiceSettings, key: ProductKey, outcome: Outcome
) -> None:
    """Count the product's outcome in every running stock task of its region."""
    region = (key.connection_id, key.tiktok_shop_id)
    await STOCK_TASKS.finish_product(conn, settings, region, key.shopify_product_id, outcome)
