"""The order-relay's PostgreSQL tables: tracked TikTok orders."""

from uuid import UUID

from connector_contracts import OrderStatus
from connector_runtime.db import Connection

from order_relay.core.intake import TrackedOrder


async def load_order_for_update(conn: Connection, tiktok_order_id: str) -> TrackedOrder | None:
    """Load one order, locking it until the transaction ends."""
    row = await conn.fetchrow(
        "SELECT tiktok_order_id, connection_id, tiktok_shop_id, status, is_on_hold_order,"
        " tiktok_updated_at, paid FROM orders WHERE tiktok_order_id = $1 FOR UPDATE",
        tiktok_order_id,
    )
    if row is None:
        return None
    return TrackedOrder(**{**dict(row), "status": OrderStatus(row["status"])})


async def save_order(
    conn: Connection, order: TrackedOrder, paid_event_id: UUID | None = None
) -> None:
    """Insert or update one order (the paid event id is kept once set)."""
    await conn.execute(
        "INSERT INTO orders (tiktok_order_id, connection_id, tiktok_shop_id, status,"
        " is_on_hold_order, tiktok_updated_at, paid, paid_event_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (tiktok_order_id) DO UPDATE SET status = $4, is_on_hold_order = $5,"
        " tiktok_updated_at = $6, paid = $7,"
        " paid_event_id = COALESCE(orders.paid_event_id, $8), updated_at = now()",
        order.tiktok_order_id,
        order.connection_id,
        order.tiktok_shop_id,
        order.status.value,
        order.is_on_hold_order,
        order.tiktok_updated_at,
        order.paid,
        paid_event_id,
    )
