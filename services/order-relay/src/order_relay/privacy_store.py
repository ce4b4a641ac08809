"""order-relay's SQL for Shopify's privacy webhooks: report, redact, erase (reference B8)."""

import json
from typing import Any

from connector_runtime import work
from connector_runtime.db import Connection

from order_relay.store import RELAY
from order_relay.sync_store import SWEEP, SYNC_TASK

# Kept on redaction: the ids and states that stop an order from being relayed twice; none of
# them identifies a person. Erased: what was bought and paid, shipments, the history messages.
_REDACTED = (
    "shopify_order_name = NULL, total = NULL, currency = NULL, line_map = NULL,"
    " failure_reason = NULL, fulfillment_error = NULL"
)
_BY_ORDER = ("order_history", "shipments", "returns_applied", "relay_intents", "held_shipments")
_BY_CONNECTION = (
    "sku_links",
    "order_settings",
    "sweeps",
    "sweep_emissions",
    "sync_tasks",
    "oversold_alerts",
    "invoices",
    "former_inventory_locations",
)


async def customer_orders(
    db: Connection, shop: str, shopify_order_ids: list[str]
) -> list[dict[str, Any]]:
    """What is held about these Shopify orders, with their shipments and history."""
    rows = await db.fetch(
        "SELECT o.tiktok_order_id, o.shopify_order_id, o.shopify_order_name, o.status,"
        " o.relay_state, o.total, o.currency, o.created_at,"
        " ARRAY(SELECT tracking_number FROM shipments s WHERE s.tiktok_order_id = o.tiktok_order_id)"
        " AS tracking_numbers,"
        " ARRAY(SELECT message FROM order_history h WHERE h.tiktok_order_id = o.tiktok_order_id"
        " ORDER BY h.id) AS history"
        " FROM orders o WHERE o.shopify_shop_domain = $1 AND o.shopify_order_id = ANY($2)"
        " ORDER BY o.created_at",
        shop,
        shopify_order_ids,
    )
    return [dict(r) for r in rows]


async def save_report(
    db: Connection, data_request_id: str, shop: str, customer_id: str, report: str
) -> None:
    """Keep a data report (a redelivered request keeps the first)."""
    await db.execute(
        "INSERT INTO privacy_reports (data_request_id, shopify_shop_domain, shopify_customer_id,"
        " report) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING",
        data_request_id,
        shop,
        customer_id,
        report,
    )


async def load_report(db: Connection, data_request_id: str) -> dict[str, Any] | None:
    """A stored data report, as JSON."""
    text = await db.fetchval(
        "SELECT report::text FROM privacy_reports WHERE data_request_id = $1", data_request_id
    )
    return json.loads(text) if text is not None else None


async def store_of(db: Connection, shop: str, connection_ids: list[str]) -> bool:
    """Whether the Shopify store is one of these connections'."""
    found = await db.fetchval(
        "SELECT true FROM connections WHERE shopify_shop_domain = $1"
        " AND connection_id = ANY($2::text[]) LIMIT 1",
        shop,
        connection_ids,
    )
    return bool(found)


async def redact_orders(db: Connection, shop: str, shopify_order_ids: list[str]) -> int:
    """Erase the customer data of these Shopify orders; return how many orders were held."""
    ids = await db.fetch(
        f"UPDATE orders SET {_REDACTED}, updated_at = now()"
        " WHERE shopify_shop_domain = $1 AND shopify_order_id = ANY($2) RETURNING tiktok_order_id",
        shop,
        shopify_order_ids,
    )
    tiktok_ids = [r["tiktok_order_id"] for r in ids]
    for table in ("order_history", "shipments"):
        await db.execute(f"DELETE FROM {table} WHERE tiktok_order_id = ANY($1)", tiktok_ids)
    return len(tiktok_ids)


async def forget_connection(db: Connection, connection_id: str) -> None:
    """Delete every order-relay row about a connection (Shopify shop/redact), its store's
    data reports included."""
    await db.execute(
        "DELETE FROM privacy_reports WHERE shopify_shop_domain IN"
        " (SELECT shopify_shop_domain FROM connections WHERE connection_id = $1)",
        connection_id,
    )
    await purge_connection(db, connection_id)


async def purge_connection(db: Connection, connection_id: str) -> None:
    """Delete the connection's orders and everything about them, its settings, sweeps and
    tasks (a removed connection, ADR 0841: the store's data reports stay, another connection
    of the store may still serve them)."""
    await _cancel_work(db, connection_id)
    for table in _BY_ORDER:
        await db.execute(
            f"DELETE FROM {table} WHERE tiktok_order_id IN"
            " (SELECT tiktok_order_id FROM orders WHERE connection_id = $1)",
            connection_id,
        )
    for table in _BY_CONNECTION:
        await db.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)
    await db.execute("DELETE FROM orders WHERE connection_id = $1", connection_id)


async def _cancel_work(db: Connection, connection_id: str) -> None:
    """Drop the connection's queued relay jobs, sweep and missed-order syncs."""
    for row in await db.fetch(
        "SELECT tiktok_order_id FROM orders WHERE connection_id = $1", connection_id
    ):
        await work.cancel(db, RELAY, row["tiktok_order_id"])
    for row in await db.fetch(
        "SELECT task_id FROM sync_tasks WHERE connection_id = $1", connection_id
    ):
        await work.cancel(db, SYNC_TASK, row["task_id"])
    await work.cancel(db, SWEEP, connection_id)
