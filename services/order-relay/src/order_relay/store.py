"""The order-relay's PostgreSQL tables: tracked TikTok orders, their history and relay jobs."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from connector_contracts import OrderStatus
from connector_runtime import work
from connector_runtime.db import Connection

from order_relay.core.intake import RelayState, TrackedOrder

_TRACKED = (
    "tiktok_order_id, connection_id, tiktok_shop_id, status, is_on_hold_order,"
    " tiktok_updated_at, paid, relay_state, held, state_changed_at, relay_attempts"
)


def _tracked(row: Any) -> TrackedOrder:
    return TrackedOrder(
        **{
            **dict(row),
            "status": OrderStatus(row["status"]),
            "relay_state": RelayState(row["relay_state"]),
        }
    )


async def load_order_for_update(conn: Connection, tiktok_order_id: str) -> TrackedOrder | None:
    """Load one order, locking it until the transaction ends (serialises its handlers)."""
    row = await conn.fetchrow(
        f"SELECT {_TRACKED} FROM orders WHERE tiktok_order_id = $1 FOR UPDATE", tiktok_order_id
    )
    return _tracked(row) if row else None


async def save_order(
    conn: Connection,
    order: TrackedOrder,
    paid_event_id: UUID | None = None,
    paid_source: str | None = None,
) -> None:
    """Insert or update one order's TikTok side (the paid event id is kept once set)."""
    await conn.execute(
        "INSERT INTO orders (tiktok_order_id, connection_id, tiktok_shop_id, status,"
        " is_on_hold_order, tiktok_updated_at, paid, paid_event_id, relay_state, paid_source)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (tiktok_order_id) DO UPDATE SET status = $4, is_on_hold_order = $5,"
        " tiktok_updated_at = $6, paid = $7,"
        " paid_event_id = COALESCE(orders.paid_event_id, $8),"
        " state_changed_at = CASE WHEN orders.relay_state = $9 AND $8::uuid IS NULL"
        "   THEN orders.state_changed_at ELSE now() END,"
        " relay_state = $9, paid_source = COALESCE(orders.paid_source, $10), updated_at = now()",
        order.tiktok_order_id,
        order.connection_id,
        order.tiktok_shop_id,
        order.status.value,
        order.is_on_hold_order,
        order.tiktok_updated_at,
        order.paid,
        paid_event_id,
        order.relay_state.value,
        paid_source,
    )


@dataclass(frozen=True)
class RelayedOrder:
    """What a relayed order needs for fulfilment, cancellation and returns."""

    tiktok_order_id: str
    connection_id: str
    relay_state: RelayState
    shopify_order_id: str | None
    tiktok_shop_id: str | None
    held: bool
    line_map: dict[str, list[str]]
    cancelled: bool


async def relayed_order(
    conn: Connection,
    *,
    tiktok_order_id: str | None = None,
    shopify: tuple[str, str] | None = None,
) -> RelayedOrder | None:
    """One order by TikTok id or by (Shopify store, Shopify order id), locked."""
    shop, shopify_order_id = shopify or (None, None)
    row = await conn.fetchrow(
        "SELECT tiktok_order_id, connection_id, relay_state, shopify_order_id, held, line_map,"
        " cancelled_at, tiktok_shop_id FROM orders WHERE tiktok_order_id = $1"
        " OR (shopify_shop_domain = $2 AND shopify_order_id = $3) LIMIT 1 FOR UPDATE",
        tiktok_order_id,
        shop,
        shopify_order_id,
    )
    if row is None:
        return None
    return RelayedOrder(
        tiktok_order_id=row["tiktok_order_id"],
        connection_id=row["connection_id"],
        relay_state=RelayState(row["relay_state"]),
        shopify_order_id=row["shopify_order_id"],
        tiktok_shop_id=row["tiktok_shop_id"],
        held=row["held"],
        line_map=json.loads(row["line_map"]) if row["line_map"] else {},
        cancelled=row["cancelled_at"] is not None,
    )


async def mark_relayed(
    conn: Connection,
    tiktok_order_id: str,
    *,
    shopify_shop_domain: str,
    shopify_order_id: str,
    shopify_order_name: str,
    held: bool,
    found_existing: bool,
    attempt: int,
    line_map: dict[str, list[str]],
    total: Decimal | None,
    currency: str | None,
) -> None:
    """Record the Shopify order of a TikTok order."""
    await conn.execute(
        "UPDATE orders SET relay_state = 'relayed', state_changed_at = now(),"
        " shopify_order_id = $2, shopify_order_name = $3, held = $4, found_existing = $5,"
        " relay_attempts = $6, line_map = $7, total = $8, currency = $9, relayed_at = now(),"
        " shopify_shop_domain = $10,"
        " failure_code = NULL, failure_reason = NULL, next_retry_at = NULL, updated_at = now()"
        " WHERE tiktok_order_id = $1",
        tiktok_order_id,
        shopify_order_id,
        shopify_order_name,
        held,
        found_existing,
        attempt,
        json.dumps(line_map),
        total,
        currency,
        shopify_shop_domain,
    )


async def mark_failed(
    conn: Connection,
    tiktok_order_id: str,
    *,
    state: RelayState,
    code: str,
    reason: str,
    attempt: int,
    next_retry_at: datetime | None,
) -> None:
    """Record why an order is not in Shopify (failed, or skipped on purpose)."""
    await conn.execute(
        "UPDATE orders SET relay_state = $2, state_changed_at = now(), failure_code = $3,"
        " failure_reason = $4, relay_attempts = $5, next_retry_at = $6, updated_at = now()"
        " WHERE tiktok_order_id = $1",
        tiktok_order_id,
        state.value,
        code,
        reason,
        attempt,
        next_retry_at,
    )


async def set_order_fields(conn: Connection, tiktok_order_id: str, **fields: Any) -> None:
    """Update named columns of one order (names come from code, never from input)."""
    names = list(fields)
    sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(names))
    await conn.execute(
        f"UPDATE orders SET {sets}, updated_at = now() WHERE tiktok_order_id = $1",
        tiktok_order_id,
        *fields.values(),
    )


async def relay_attempts(conn: Connection, tiktok_order_id: str) -> int:
    """Relay attempts made so far."""
    value = await conn.fetchval(
        "SELECT relay_attempts FROM orders WHERE tiktok_order_id = $1", tiktok_order_id
    )
    return int(value or 0)


async def has_relay_job(conn: Connection, tiktok_order_id: str) -> bool:
    """True when a relay job (first try or retry) is waiting for the order."""
    return await work.is_queued(conn, RELAY, tiktok_order_id)


async def shops_of(conn: Connection, tiktok_order_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(connection id, TikTok shop id) of each known order among `tiktok_order_ids` (one read
    for a batch of relay jobs; orders without a shop are left out)."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, tiktok_shop_id FROM orders"
        " WHERE tiktok_order_id = ANY($1::text[]) AND tiktok_shop_id IS NOT NULL",
        list(tiktok_order_ids),
    )
    return {r["tiktok_order_id"]: (r["connection_id"], r["tiktok_shop_id"]) for r in rows}


async def add_history(conn: Connection, tiktok_order_id: str, kind: str, message: str) -> None:
    """Append a line to the order's merchant-visible history."""
    await conn.execute(
        "INSERT INTO order_history (tiktok_order_id, kind, message) VALUES ($1, $2, $3)",
        tiktok_order_id,
        kind,
        message[:2000],
    )


async def record_intent(conn: Connection, tiktok_order_id: str) -> bool:
    """Remember, durably and outside the handler's transaction, that a create is about to run.
    False when an earlier attempt recorded it already: it may have created the order (look it
    up before creating)."""
    return bool(
        await conn.fetchval(
            "INSERT INTO relay_intents (tiktok_order_id) VALUES ($1) ON CONFLICT DO NOTHING"
            " RETURNING true",
            tiktok_order_id,
        )
    )


RELAY = "relay"  # work kind: one relay job per order, keyed by TikTok order id


async def schedule_retry(
    conn: Connection, tiktok_order_id: str, connection_id: str, due_at: datetime, attempt: int
) -> None:
    """Set (or move) the order's relay job: due now for a first try, later for a retry."""
    payload = {"connection_id": connection_id, "attempt": attempt}
    await work.queue(conn, RELAY, tiktok_order_id, at=due_at, payload=payload)


async def cancel_retry(conn: Connection, tiktok_order_id: str) -> None:
    """Drop an order's relay job."""
    await work.cancel(conn, RELAY, tiktok_order_id)
