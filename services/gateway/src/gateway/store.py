"""The gateway's PostgreSQL tables: connections, webhook receipts, the orders read model."""

from datetime import datetime
from typing import Any

from connector_contracts import ConnectionCreated
from connector_runtime.db import Connection


async def insert_connection(conn: Connection, c: ConnectionCreated) -> bool:
    """Store a new connection; False when its id or TikTok shop is already connected."""
    taken = await conn.fetchval(
        "SELECT 1 FROM connections WHERE connection_id = $1 OR tiktok_shop_id = $2",
        c.connection_id,
        c.tiktok_shop_id,
    )
    if taken:
        return False
    await conn.execute(
        "INSERT INTO connections"
        " (connection_id, name, shopify_shop_domain, tiktok_shop_id, tiktok_region)"
        " VALUES ($1, $2, $3, $4, $5)",
        c.connection_id,
        c.name,
        c.shopify_shop_domain,
        c.tiktok_shop_id,
        c.tiktok_region,
    )
    return True


async def list_connections(conn: Connection) -> list[dict[str, Any]]:
    """All connections, oldest first."""
    rows = await conn.fetch(
        "SELECT connection_id, name, shopify_shop_domain, tiktok_shop_id, tiktok_region"
        " FROM connections ORDER BY updated_at"
    )
    return [dict(r) for r in rows]


async def connection_for_tiktok_shop(conn: Connection, shop_id: str) -> str | None:
    """Connection id of a TikTok shop, if connected."""
    value = await conn.fetchval(
        "SELECT connection_id FROM connections WHERE tiktok_shop_id = $1", shop_id
    )
    return str(value) if value is not None else None


async def claim_webhook(conn: Connection, platform: str, dedupe_key: str) -> bool:
    """Record a webhook notification; False when it was already accepted (a duplicate)."""
    inserted = await conn.fetchval(
        "INSERT INTO webhook_receipts (platform, dedupe_key) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING RETURNING true",
        platform,
        dedupe_key,
    )
    return bool(inserted)


async def apply_order_status(
    conn: Connection, order_id: str, connection_id: str, status: str, at: datetime
) -> None:
    """Update the read model with a status, unless a newer one is already there."""
    await conn.execute(
        "INSERT INTO orders_view (tiktok_order_id, connection_id, status, status_updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (tiktok_order_id) DO UPDATE"
        " SET status = $3, status_updated_at = $4, updated_at = now()"
        " WHERE orders_view.status_updated_at <= $4",
        order_id,
        connection_id,
        status,
        at,
    )


async def apply_order_paid(
    conn: Connection, order_id: str, connection_id: str, status: str, paid_at: datetime
) -> None:
    """Mark an order paid in the read model; `paid_events` counts applications (should be 1)."""
    await conn.execute(
        "INSERT INTO orders_view"
        " (tiktok_order_id, connection_id, status, status_updated_at, paid, paid_at, paid_events)"
        " VALUES ($1, $2, $3, $4, true, $4, 1) ON CONFLICT (tiktok_order_id) DO UPDATE"
        " SET paid = true, paid_at = $4, paid_events = orders_view.paid_events + 1,"
        " updated_at = now()",
        order_id,
        connection_id,
        status,
        paid_at,
    )


ORDER_FILTERS = {
    "paid": "paid",
    "unpaid": "NOT paid",
    "cancelled": "status = 'CANCELLED'",
}


async def list_orders(
    conn: Connection,
    *,
    connection_id: str | None,
    state: str | None,
    tiktok_order_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One page of the orders read model with the counts per state."""
    where = [
        "($1::text IS NULL OR connection_id = $1)",
        "($2::text IS NULL OR tiktok_order_id = $2)",
    ]
    if state:
        where.append(ORDER_FILTERS[state])
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, status, status_updated_at, paid, paid_at,"
        f" paid_events FROM orders_view WHERE {' AND '.join(where)}"
        " ORDER BY status_updated_at DESC, tiktok_order_id LIMIT $3 OFFSET $4",
        connection_id,
        tiktok_order_id,
        limit,
        offset,
    )
    counts = await conn.fetchrow(
        "SELECT count(*) AS total, count(*) FILTER (WHERE paid) AS paid,"
        " count(*) FILTER (WHERE NOT paid) AS unpaid,"
        " count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled"
        " FROM orders_view WHERE ($1::text IS NULL OR connection_id = $1)",
        connection_id,
    )
    return [dict(r) for r in rows], dict(counts or {})
