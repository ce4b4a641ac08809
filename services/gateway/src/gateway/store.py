"""The gateway's PostgreSQL tables: connections, webhook receipts, the orders read model."""

from collections.abc import Iterable
from datetime import datetime

from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged
from connector_runtime.db import Connection


async def tiktok_shop_taken(
    conn: Connection, tiktok_shop_id: str, connection_id: str
) -> str | None:
    """Another live connection that already holds this TikTok shop (as any region), if any."""
    value = await conn.fetchval(
        "SELECT connection_id FROM connections c, jsonb_array_elements(c.tiktok_shops) g"
        " WHERE g->>'shop_id' = $1 AND g->>'status' <> 'deauthorized'"
        " AND connection_id <> $2 AND status <> 'disconnected' LIMIT 1",
        tiktok_shop_id,
        connection_id,
    )
    return str(value) if value is not None else None


async def list_connections(
    conn: Connection, only: Iterable[str] | None = None
) -> list[ConnectionChanged]:
    """All connections (or those of `only`, e.g. an account's), by id."""
    if only is None:
        rows = await conn.fetch("SELECT connection_id FROM connections ORDER BY connection_id")
        only = [r["connection_id"] for r in rows]
    found = [await load_connection(conn, cid) for cid in sorted(only)]
    return [c for c in found if c is not None]


async def save_oauth_state(
    conn: Connection, state: str, connection_id: str, platform: str, region: str | None = None
) -> None:
    """Remember an OAuth state handed to a platform (`region`: a TikTok market being added)."""
    await conn.execute(
        "INSERT INTO oauth_states (state, connection_id, platform, region) VALUES ($1, $2, $3, $4)",
        state,
        connection_id,
        platform,
        region,
    )


async def take_oauth_state(conn: Connection, state: str, platform: str) -> str | None:
    """The connection an OAuth state belongs to; each state is usable once."""
    found = await take_oauth_grant(conn, state, platform)
    return found[0] if found else None


async def take_oauth_grant(
    conn: Connection, state: str, platform: str
) -> tuple[str, str | None] | None:
    """`(connection_id, region being added or None)` of an OAuth state; usable once."""
    row = await conn.fetchrow(
        "DELETE FROM oauth_states WHERE state = $1 AND platform = $2"
        " AND created_at > now() - interval '1 hour' RETURNING connection_id, region",
        state,
        platform,
    )
    return (str(row["connection_id"]), row["region"]) if row else None


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


async def save_shop_secret(
    conn: Connection,
    connection_id: str,
    shop_id: str,
    refresh_token: str | None,
    refresh_expires_at: datetime | None,
) -> None:
    """Store one TikTok shop's sealed refresh token and its expiry (never published)."""
    await conn.execute(
        "INSERT INTO shop_secrets (connection_id, tiktok_shop_id, refresh_token,"
        " refresh_expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id, tiktok_shop_id)"
        " DO UPDATE SET refresh_token = $3, refresh_expires_at = $4, updated_at = now()",
        connection_id,
        shop_id,
        refresh_token,
        refresh_expires_at,
    )


async def shop_refresh_tokens(conn: Connection, connection_id: str) -> dict[str, str]:
    """The sealed TikTok refresh tokens of a connection, by shop id (rows locked)."""
    rows = await conn.fetch(
        "SELECT tiktok_shop_id, refresh_token FROM shop_secrets"
        " WHERE connection_id = $1 AND refresh_token IS NOT NULL FOR UPDATE",
        connection_id,
    )
    return {r["tiktok_shop_id"]: r["refresh_token"] for r in rows}


async def reseal_shop_secret(
    conn: Connection, connection_id: str, shop_id: str, sealed: str
) -> None:
    """Replace one shop's sealed refresh token by the same secret sealed again."""
    await conn.execute(
        "UPDATE shop_secrets SET refresh_token = $3, updated_at = now()"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2",
        connection_id,
        shop_id,
        sealed,
    )


async def forget_shop_secret(conn: Connection, connection_id: str, shop_id: str) -> None:
    """Delete one shop's refresh token (a region removed or deauthorized)."""
    await conn.execute(
        "DELETE FROM shop_secrets WHERE connection_id = $1 AND tiktok_shop_id = $2",
        connection_id,
        shop_id,
    )


async def sealed_refresh_tokens(conn: Connection, connection_id: str) -> dict[str, str | None]:
    """The sealed refresh tokens and custom-app webhook secret of a connection, by column
    (empty when it has none)."""
    row = await conn.fetchrow(
        "SELECT tiktok_refresh_token, shopify_refresh_token, shopify_webhook_secret"
        " FROM connection_secrets"
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
    await conn.execute("DELETE FROM shop_secrets WHERE connection_id = $1", connection_id)
    await conn.execute("DELETE FROM task_list WHERE connection_id = $1", connection_id)


async def forget_connection(conn: Connection, connection_id: str) -> None:
    """Delete the gateway's own rows about a connection (its replica row goes separately)."""
    await conn.execute("DELETE FROM connection_secrets WHERE connection_id = $1", connection_id)
    await conn.execute("DELETE FROM oauth_states WHERE connection_id = $1", connection_id)
    await conn.execute("DELETE FROM shop_secrets WHERE connection_id = $1", connection_id)


async def due_for_refresh(conn: Connection, horizon: datetime) -> list[tuple[str, str, str | None]]:
    """`(connection_id, platform, TikTok shop id)` whose access token expires before
    `horizon`; each TikTok shop is refreshed on its own (shop id None for Shopify)."""
    rows = await conn.fetch(
        "SELECT c.connection_id, 'tiktok' AS platform, s.tiktok_shop_id AS shop_id"
        " FROM connections c CROSS JOIN jsonb_array_elements(c.tiktok_shops) g"
        " JOIN shop_secrets s ON s.connection_id = c.connection_id"
        " AND s.tiktok_shop_id = g->>'shop_id'"
        " WHERE c.status <> 'disconnected' AND s.refresh_token IS NOT NULL"
        " AND g->>'status' <> 'deauthorized'"
        " AND (g->>'access_token_expires_at')::timestamptz < $1"
        " UNION ALL SELECT c.connection_id, 'shopify', NULL FROM connections c"
        " JOIN connection_secrets s USING (connection_id)"
        " WHERE c.status <> 'disconnected' AND s.shopify_refresh_token IS NOT NULL"
        " AND s.shopify_access_expires_at < $1",
        horizon,
    )
    return [(r["connection_id"], r["platform"], r["shop_id"]) for r in rows]


async def claim_webhook(conn: Connection, platform: str, dedupe_key: str) -> bool:
    """Record a webhook notification; False when it was already accepted (a duplicate)."""
    inserted = await conn.fetchval(
        "INSERT INTO webhook_receipts (platform, dedupe_key) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING RETURNING true",
        platform,
        dedupe_key,
    )
    return bool(inserted)
