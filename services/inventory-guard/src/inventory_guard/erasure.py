"""Erasing everything inventory-guard holds about one connection: Shopify `shop/redact`, or
its owner removed it (ADR 0841)."""

from connector_runtime import work
from connector_runtime.db import Connection

from inventory_guard.store import PUSH, ProductKey

# Every inventory-guard table keyed by connection (stock_task_items and holds go with their
# task and order: ON DELETE CASCADE).
_TABLES = (
    "levels",
    "skus",
    "products",
    "region_settings",
    "location_revisions",
    "hold_orders",
    "stock_tasks",
    "location_card_before_handover",
    "adopted_locations",
)


async def forget_connection(db: Connection, connection_id: str) -> None:
    """Delete the connection's stock rows and its queued stock pushes."""
    rows = await db.fetch(
        "SELECT tiktok_shop_id, shopify_product_id FROM products WHERE connection_id = $1",
        connection_id,
    )
    for row in rows:
        await work.cancel(db, PUSH, ProductKey(connection_id, *row.values()).work_key)
    for table in _TABLES:
        await db.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)
