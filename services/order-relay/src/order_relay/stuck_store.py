"""Paid orders not in Shopify, as the relay stores them (for `core.stuck`)."""

from dataclasses import replace

from connector_runtime import work
from connector_runtime.db import Connection

from order_relay import store
from order_relay.core.stuck import RelayStanding


async def relay_standings(conn: Connection, connection_id: str | None) -> list[RelayStanding]:
    """Paid orders still pending or failed, of one connection (None: every connection)."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, relay_state, state_changed_at, relay_attempts,"
        " failure_reason, next_retry_at FROM orders"
        " WHERE paid AND relay_state IN ('pending', 'failed')"
        " AND ($1::text IS NULL OR connection_id = $1) ORDER BY state_changed_at",
        connection_id,
    )
    standings = [RelayStanding(**dict(r)) for r in rows]
    # A queued relay job put back says why it waits (a store's API budget, a platform away).
    waiting = await work.last_errors(conn, store.RELAY, [s.tiktok_order_id for s in standings])
    return [replace(s, waiting_for=waiting.get(s.tiktok_order_id)) for s in standings]
