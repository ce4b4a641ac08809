"""The `connections` table each service keeps from `connection.changed` events.

A connection its owner deleted arrives `removed`: the service purges its own rows about it
(its `purge`) and keeps the replica row, disconnected, tokenless and of no account, as a
tombstone, so no late event brings the connection back (ADR 0841).
"""

import json
from collections.abc import Awaitable, Callable

import structlog
from asyncpg import Record
from connector_contracts import ConnectionChanged, ConnectionStatus, Envelope
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import Effects

log = structlog.get_logger()

Connection = ConnectionChanged  # a replica row is exactly the latest event's payload

_COLUMNS = (
    "connection_id, revision, name, status, shopify_shop_domain, shopify_access_token,"
    " tiktok_region, tiktok_shop_id, tiktok_shop_cipher, tiktok_access_token,"
    " tiktok_access_token_expires_at, authorization_problem, tiktok_shops, account_id"
)
# Deletes every row one service holds about one connection (in the handler's transaction).
Purge = Callable[[Db, str], Awaitable[None]]
# Live connections before disconnected ones, the latest change first.
_LIVE_FIRST = " ORDER BY status = 'disconnected', updated_at DESC"


async def upsert_connection(db: Db, c: ConnectionChanged) -> None:
    """Store a connection's state unless a newer revision is already stored."""
    await db.execute(
        f"INSERT INTO connections ({_COLUMNS})"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13::jsonb,$14)"
        " ON CONFLICT (connection_id) DO UPDATE SET revision = $2, name = $3, status = $4,"
        " shopify_shop_domain = $5, shopify_access_token = $6, tiktok_region = $7,"
        " tiktok_shop_id = $8, tiktok_shop_cipher = $9, tiktok_access_token = $10,"
        " tiktok_access_token_expires_at = $11, authorization_problem = $12,"
        " tiktok_shops = $13::jsonb, account_id = $14, updated_at = now()"
        " WHERE connections.revision < $2",
        c.connection_id,
        c.revision,
        c.name,
        c.status.value,
        c.shopify_shop_domain,
        c.shopify_access_token,
        c.tiktok_region,
        c.tiktok_shop_id,
        c.tiktok_shop_cipher,
        c.tiktok_access_token,
        c.tiktok_access_token_expires_at,
        c.authorization_problem,
        json.dumps([s.model_dump(mode="json") for s in c.tiktok_shops]),
        c.account_id,
    )


def _to_connection(row: Record | None) -> Connection | None:
    if row is None:
        return None
    shops = row["tiktok_shops"]
    return Connection(
        **{
            **dict(row),
            "status": ConnectionStatus(row["status"]),
            "tiktok_shops": json.loads(shops) if isinstance(shops, str) else shops,
        }
    )


async def load_connection(db: Db, connection_id: str) -> Connection | None:
    """One connection by id, as last published."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM connections WHERE connection_id = $1", connection_id
    )
    return _to_connection(row)


async def connection_for_tiktok_shop(db: Db, tiktok_shop_id: str) -> Connection | None:
    """The connection holding a TikTok shop as one of its regions: the one where it is
    authorized first (a shop deauthorized in one connection may be authorized in another),
    then a live one."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM connections WHERE tiktok_shops @> $1::jsonb"
        " ORDER BY tiktok_shops @> $2::jsonb DESC, status = 'disconnected', updated_at DESC"
        " LIMIT 1",
        json.dumps([{"shop_id": tiktok_shop_id}]),
        json.dumps([{"shop_id": tiktok_shop_id, "status": "authorized"}]),
    )
    return _to_connection(row)


async def connections_for_shopify_shop(db: Db, shop_domain: str) -> list[Connection]:
    """Every live connection of a Shopify store (a store may have several, e.g. one per
    TikTok seller); when none is live, the latest disconnected one (its erasure still runs)."""
    rows = await db.fetch(
        f"SELECT {_COLUMNS} FROM connections WHERE shopify_shop_domain = $1{_LIVE_FIRST}",
        shop_domain,
    )
    found = [c for c in map(_to_connection, rows) if c is not None]
    live = [c for c in found if c.status is not ConnectionStatus.DISCONNECTED]
    return live or found[:1]


async def connection_for_shopify_shop(db: Db, shop_domain: str) -> Connection | None:
    """The first of `connections_for_shopify_shop`, for a caller that needs only one."""
    found = await connections_for_shopify_shop(db, shop_domain)
    return found[0] if found else None


async def account_connection_ids(db: Db, account_id: str) -> frozenset[str]:
    """The ids of an account's connections as this replica knows them (ADR 0840)."""
    rows = await db.fetch("SELECT connection_id FROM connections WHERE account_id = $1", account_id)
    return frozenset(r["connection_id"] for r in rows)


async def _keep_only(db: Db, connection_id: str) -> None:
    """A service whose only data about a connection is the replica."""


def track_connections(router: EventRouter, purge: Purge = _keep_only) -> EventRouter:
    """Add the replica handler to a service's router; `purge` erases the service's rows about
    a connection its owner removed."""

    @router.on(ConnectionChanged)
    async def on_connection_changed(envelope: Envelope[ConnectionChanged], fx: Effects) -> None:
        """Keep this service's replica of a merchant connection; purge a removed one's rows."""
        c = envelope.payload
        await upsert_connection(fx.conn, c)
        if c.removed:
            await purge(fx.conn, c.connection_id)
            log.info("connection.purged", connection_id=c.connection_id)

    return router
