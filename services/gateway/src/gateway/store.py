"""The gateway's PostgreSQL tables: connections, webhook receipts, the orders read model."""

from datetime import datetime
from typing import Any

from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged
from connector_runtime.db import Connection


async def shop_already_connected(conn: Connection, shopify_shop_domain: str) -> bool:
    """Whether a live connection already uses this Shopify store."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM connections WHERE shopify_shop_domain = $1 AND status <> 'disconnected'",
            shopify_shop_domain,
        )
    )


async def list_connections(conn: Connection) -> list[ConnectionChanged]:
    """All connections, oldest first."""
    ids = await conn.fetch("SELECT connection_id FROM connections ORDER BY connection_id")
    found = [await load_connection(conn, r["connection_id"]) for r in ids]
    return [c for c in found if c is not None]


async def save_oauth_state(conn: Connection, state: str, connection_id: str, platform: str) -> None:
    """Remember an OAuth state handed to a platform."""
    await conn.execute(
        "INSERT INTO oauth_states (state, connection_id, platform) VALUES ($1, $2, $3)",
        state,
        connection_id,
        platform,
    )


async def take_oauth_state(conn: Connection, state: str, platform: str) -> str | None:
    """The connection an OAuth state belongs to; each state is usable once."""
    value = await conn.fetchval(
        "DELETE FROM oauth_states WHERE state = $1 AND platform = $2"
        " AND created_at > now() - interval '1 hour' RETURNING connection_id",
        state,
        platform,
    )
    return str(value) if value is not None else None


async def save_secrets(conn: Connection, connection_id: str, **secrets: object) -> None:
    """Store refresh tokens and expiries (gateway only; never published)."""
    columns = list(secrets)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    placeholders = ", ".join(f"${i + 2}" for i in range(len(columns)))
    await conn.execute(
        f"INSERT INTO connection_secrets (connection_id, {', '.join(columns)})"
        f" VALUES ($1, {placeholders}) ON CONFLICT (connection_id) DO UPDATE SET {assignments},"
        " updated_at = now()",
        connection_id,
        *secrets.values(),
    )


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
