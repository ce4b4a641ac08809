"""Tasks: "Update price" and the refresh after a mode change, one item per product."""

import uuid
from typing import Any

from connector_runtime.db import Connection

from price_promotions.store import Region


async def create_task(
    conn: Connection, region: Region, kind: str, shopify_product_ids: list[str]
) -> str:
    """A task over these products (each once)."""
    task_id = str(uuid.uuid4())
    products = sorted(set(shopify_product_ids))
    await conn.execute(
        "INSERT INTO price_tasks (task_id, connection_id, tiktok_shop_id, kind, total)"
        " VALUES ($1, $2, $3, $4, $5)",
        task_id,
        region.connection_id,
        region.tiktok_shop_id,
        kind,
        len(products),
    )
    await conn.execute(
        "INSERT INTO price_task_items (task_id, shopify_product_id)"
        " SELECT $1, p FROM unnest($2::text[]) p",
        task_id,
        products,
    )
    return task_id


async def finish_items(
    conn: Connection, region: Region, shopify_product_id: str, state: str, reason: str | None
) -> list[str]:
    """Mark the product done (or failed, with why) in every running task of the region; the
    tasks it counted in, in id order (the order their rows are locked in next)."""
    rows = await conn.fetch(
        "UPDATE price_task_items i SET state = $4, reason = $5 FROM price_tasks t"
        " WHERE i.task_id = t.task_id AND i.state = 'pending' AND i.shopify_product_id = $3"
        " AND t.connection_id = $1 AND t.tiktok_shop_id = $2 RETURNING i.task_id",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
        state,
        reason,
    )
    return sorted(r["task_id"] for r in rows)


async def lock_progress(conn: Connection, task_id: str) -> tuple[int, int]:
    """(finished items, total) of a task, its row locked first: two products finishing at once
    then count one after the other, so the one that finishes the task sees it finished."""
    total = await conn.fetchval(
        "SELECT total FROM price_tasks WHERE task_id = $1 FOR UPDATE", task_id
    )
    finished = await conn.fetchval(
        "SELECT count(*) FROM price_task_items WHERE task_id = $1 AND state <> 'pending'",
        task_id,
    )
    return int(finished), int(total)


async def load_task(conn: Connection, task_id: str) -> dict[str, Any] | None:
    """A task with its progress: total, done, failed, status."""
    row = await conn.fetchrow(
        "SELECT t.*, count(*) FILTER (WHERE i.state = 'done') AS done,"
        " count(*) FILTER (WHERE i.state = 'failed') AS failed"
        " FROM price_tasks t LEFT JOIN price_task_items i USING (task_id)"
        " WHERE t.task_id = $1 GROUP BY t.task_id",
        task_id,
    )
    if row is None:
        return None
    finished = row["done"] + row["failed"]
    return {
        "task_id": row["task_id"],
        "connection_id": row["connection_id"],
        "tiktok_shop_id": row["tiktok_shop_id"],
        "kind": row["kind"],
        "total": row["total"],
        "done": row["done"],
        "failed": row["failed"],
        "status": "running" if finished < row["total"] else "completed",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
