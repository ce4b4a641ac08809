"""Pricing tasks ("Update price", the refresh after a mode change): one item per product,
kept and announced as `task.changed` by the runtime's shared per-product tasks."""

from connector_runtime.db import Connection
from connector_runtime.item_tasks import ItemTasks
from connector_runtime.settings import ServiceSettings

from price_promotions.store import Region

PRICE_TASKS = ItemTasks(
    service="price-promotions",
    tasks="price_tasks",
    items="price_task_items",
    summaries={
        "update_price": "Update prices on TikTok Shop",
        "refresh": "Refresh prices after a pricing mode change",
    },
)


async def finish_product(
    conn: Connection,
    settings: ServiceSettings,
    region: Region,
    shopify_product_id: str,
    outcome: tuple[str, str | None],
) -> None:
    """Count the product's outcome (state, reason) in every running task of the region, and
    announce those tasks that reached a step of their progress."""
    where = (region.connection_id, region.tiktok_shop_id)
    await PRICE_TASKS.finish_product(conn, settings, where, shopify_product_id, outcome)
