"""Paid orders not in Shopify, as the relay stores them (for `core.stuck`), with their market."""

from dataclasses import replace

from connector_connections import load_connection, region_of
from connector_runtime import work
from connector_runtime.db import Connection

from order_relay import store
from order_relay.core.stuck import RelayStanding


async def relay_standings(
    conn: Connection, connection_id: str | None, shop_id: str | None = None
) -> list[RelayStanding]:
    """Paid orders still pending or failed, of one connection (None: every connection), of
    one of its TikTok shops (None: every region)."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, tiktok_shop_id, relay_state, state_changed_at,"
        " relay_attempts, failure_reason, next_retry_at FROM orders"
        " WHERE paid AND relay_state IN ('pending', 'failed')"
        " AND ($1::text IS NULL OR connection_id = $1)"
        " AND ($2::text IS NULL OR tiktok_shop_id = $2) ORDER BY state_changed_at",
        connection_id,
        shop_id,
    )
    standings = [RelayStanding(**dict(r)) for r in rows]
    # A queued relay job put back says why it waits (a store's API budget, a platform away).
    waiting = await work.last_errors(conn, store.RELAY, [s.tiktok_order_id for s in standings])
    regions = await _regions(conn, standings)
    return [
        replace(s, waiting_for=waiting.get(s.tiktok_order_id), region=regions[s.tiktok_order_id])
        for s in standings
    ]


async def _regions(conn: Connection, standings: list[RelayStanding]) -> dict[str, str | None]:
    """Each order's market, as its connection names its shop (None: the connection is gone)."""
    connections = {c: await load_connection(conn, c) for c in {s.connection_id for s in standings}}
    regions: dict[str, str | None] = {}
    for s in standings:
        connection = connections[s.connection_id]
        regions[s.tiktok_order_id] = region_of(connection, s.tiktok_shop_id) if connection else None
    return regions


async def connection_regions(conn: Connection, connection_id: str) -> list[str]:
    """The markets of a connection's shops, whatever their status (a region deauthorized still
    has its orders); none when the connection is unknown."""
    connection = await load_connection(conn, connection_id)
    return [g.region for g in connection.tiktok_shops] if connection else []
