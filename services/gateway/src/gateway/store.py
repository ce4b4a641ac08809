"""The gateway's PostgreSQL tables: connections, webhook receipts, the orders read model."""

from datetime import datetime

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


async def tiktok_shop_taken(
    conn: Connection, tiktok_shop_id: str, connection_id: str
) -> str | None:
    """Another live connection that already uses this TikTok shop, if any."""
    value = await conn.fetchval(
        "SELECT connection_id FROM connections WHERE tiktok_shop_id = $1"
        " AND connection_id <> $2 AND status <> 'disconnected'",
        tiktok_shop_id,
        connection_id,
    )
    return str(value) if value is not None else None


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


async def sealed_refresh_tokens(conn: Connection, connection_id: str) -> dict[str, str | None]:
    """The sealed refresh tokens of a connection, by column (empty when it has none)."""
    row = await conn.fetchrow(
        "SELECT tiktok_refresh_token, shopify_refresh_token FROM connection_secrets"
        " WHERE connection_id = $1 FOR UPDATE",
        connection_id,
    )
    return dict(row) if row else {}


async def forget_refresh_tokens(conn: Connection, connection_id: str) -> None:
    """Delete a disconnected connection's refresh tokens (they can never be used again)."""
    await conn.execute(
        "UPDATE connection_secrets SET tiktok_refresh_token = NULL, shopify_refresh_token = NULL,"
        " updated_at = now() WHERE connection_id = $1",
        connection_id,
    )


async def forget_connection(conn: Connection, connection_id: str) -> None:
    """Delete the gateway's own rows about a connection (its replica row goes separately)."""
    await conn.execute("DELETE FROM connection_secrets WHERE connection_id = $1", connection_id)
    await conn.execute("DELETE FROM oauth_states WHERE connection_id = $1", connection_id)


async def due_for_refresh(conn: Connection, horizon: datetime) -> list[tuple[str, str]]:
    """`(connection_id, platform)` whose access token expires before `horizon`."""
    rows = await conn.fetch(
        "SELECT c.connection_id, 'tiktok' AS platform FROM connections c"
        " JOIN connection_secrets s USING (connection_id)"
        " WHERE c.status <> 'disconnected' AND s.tiktok_refresh_token IS NOT NULL"
        " AND c.tiktok_access_token_expires_at < $1"
        " UNION ALL SELECT c.connection_id, 'shopify' FROM connections c"
        " JOIN connection_secrets s USING (connection_id)"
        " WHERE c.status <> 'disconnected' AND s.shopify_refresh_token IS NOT NULL"
        " AND s.shopify_access_expires_at < $1",
        horizon,
    )
    return [(r["connection_id"], r["platform"]) for r in rows]


async def claim_webhook(conn: Connection, platform: str, dedupe_key: str) -> bool:
    """Record a webhook notification; False when it was already accepted (a duplicate)."""
    inserted = await conn.fetchval(
        "INSERT INTO webhook_receipts (platform, dedupe_key) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING RETURNING true",
        platform,
        dedupe_key,
    )
    return bool(inserted)
