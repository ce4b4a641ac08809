"""The gateway's SQL for email notifications: settings, what was mailed, standing authorization
problems and the digests' waiting entries (ADR 0830)."""

import json
from datetime import datetime

from connector_runtime.db import Connection

from gateway.core.notifications import DigestEntry, InvoiceEntry, Recipients


async def connection_owner(conn: Connection, connection_id: str) -> tuple[str, str] | None:
    """The account and the display name of a connection, if the gateway knows it."""
    row = await conn.fetchrow(
        "SELECT account_id, name FROM connections WHERE connection_id = $1", connection_id
    )
    return (row["account_id"], row["name"]) if row else None


async def recipients_of(conn: Connection, account_id: str) -> Recipients:
    """The account's settings; without saved ones, on and to its first owner."""
    row = await conn.fetchrow(
        "SELECT enabled, recipients FROM notification_settings WHERE account_id = $1", account_id
    )
    if row is not None:
        return Recipients(enabled=row["enabled"], emails=tuple(row["recipients"]))
    owner = await conn.fetchval(
        "SELECT email FROM users WHERE account_id = $1 AND role = 'owner'"
        " ORDER BY created_at, user_id LIMIT 1",
        account_id,
    )
    return Recipients(enabled=True, emails=(owner,) if owner else ())


async def save_recipients(conn: Connection, account_id: str, recipients: Recipients) -> None:
    """Replace the account's settings."""
    await conn.execute(
        "INSERT INTO notification_settings (account_id, enabled, recipients) VALUES ($1, $2, $3)"
        " ON CONFLICT (account_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
        " recipients = EXCLUDED.recipients, updated_at = now()",
        account_id,
        recipients.enabled,
        list(recipients.emails),
    )


async def note_sent(
    conn: Connection, key: str, account_id: str, connection_id: str, kind: str, recipients: int
) -> bool:
    """Record that the notification `key` is mailed; False when it was already."""
    status = await conn.execute(
        "INSERT INTO notifications_sent (dedupe_key, account_id, connection_id, kind, recipients)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedupe_key) DO NOTHING",
        key,
        account_id,
        connection_id,
        kind,
        recipients,
    )
    return bool(status == "INSERT 0 1")


async def standing_problems(conn: Connection, connection_id: str) -> tuple[int, set[str]]:
    """The revision last seen and the authorization problems standing then (locked: the
    connection's events are applied one at a time)."""
    row = await conn.fetchrow(
        "SELECT revision, problems FROM notification_authorizations"
        " WHERE connection_id = $1 FOR UPDATE",
        connection_id,
    )
    return (row["revision"], set(row["problems"])) if row else (0, set())


async def save_problems(
    conn: Connection, connection_id: str, revision: int, problems: set[str]
) -> None:
    """Keep the authorization problems standing at `revision`."""
    await conn.execute(
        "INSERT INTO notification_authorizations (connection_id, revision, problems)"
        " VALUES ($1, $2, $3) ON CONFLICT (connection_id) DO UPDATE"
        " SET revision = EXCLUDED.revision, problems = EXCLUDED.problems",
        connection_id,
        revision,
        sorted(problems),
    )


async def add_digest_entry(conn: Connection, connection_id: str, entry: DigestEntry) -> bool:
    """Keep a task's failures for the connection's next digest; False when already kept."""
    status = await conn.execute(
        "INSERT INTO notification_digest_entries (connection_id, task_id, entry)"
        " VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING",
        connection_id,
        entry.task_id,
        entry.model_dump_json(),
    )
    return bool(status == "INSERT 0 1")


async def take_digest_entries(conn: Connection, connection_id: str) -> list[DigestEntry]:
    """Remove and return the connection's waiting entries (in the caller's transaction)."""
    rows = await conn.fetch(
        "DELETE FROM notification_digest_entries WHERE connection_id = $1 RETURNING entry::text",
        connection_id,
    )
    return [DigestEntry.model_validate(json.loads(r["entry"])) for r in rows]


async def add_invoice_entries(
    conn: Connection, connection_id: str, entries: list[InvoiceEntry]
) -> int:
    """Keep packages waiting for an invoice for the connection's next invoice digest; returns
    how many were new (a redelivered event adds none)."""
    rows = await conn.fetch(
        "INSERT INTO notification_invoice_entries"
        " (connection_id, tiktok_order_id, package_id, region)"
        " SELECT $1, o, p, r FROM unnest($2::text[], $3::text[], $4::text[]) AS e(o, p, r)"
        " ON CONFLICT DO NOTHING RETURNING package_id",
        connection_id,
        [e.tiktok_order_id for e in entries],
        [e.package_id for e in entries],
        [e.region for e in entries],
    )
    return len(rows)


async def take_invoice_entries(conn: Connection, connection_id: str) -> list[InvoiceEntry]:
    """Remove and return the connection's packages waiting for the invoice digest."""
    rows = await conn.fetch(
        "DELETE FROM notification_invoice_entries WHERE connection_id = $1"
        " RETURNING tiktok_order_id, package_id, region",
        connection_id,
    )
    return [InvoiceEntry(**dict(r)) for r in rows]


async def shopify_grants_ending_before(
    conn: Connection, horizon: datetime
) -> list[tuple[str, str, str, datetime]]:
    """Live connections authorized in Shopify whose refresh token ends before `horizon`:
    (connection id, connection name, store, end)."""
    rows = await conn.fetch(
        "SELECT c.connection_id, c.name, c.shopify_shop_domain, s.shopify_refresh_expires_at"
        " FROM connection_secrets s JOIN connections c USING (connection_id)"
        " WHERE c.status <> 'disconnected' AND c.shopify_access_token IS NOT NULL"
        " AND s.shopify_refresh_token IS NOT NULL"
        " AND s.shopify_refresh_expires_at < $1 ORDER BY s.shopify_refresh_expires_at",
        horizon,
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def grants_ending_before(
    conn: Connection, horizon: datetime
) -> list[tuple[str, str, str, str, datetime]]:
    """Authorized TikTok shops of live connections whose grant ends before `horizon`:
    (connection id, connection name, shop id, region, end)."""
    rows = await conn.fetch(
        "SELECT s.connection_id, c.name, s.tiktok_shop_id, g->>'region' AS region,"
        " s.refresh_expires_at FROM shop_secrets s"
        " JOIN connections c USING (connection_id)"
        " CROSS JOIN LATERAL jsonb_array_elements(c.tiktok_shops) g"
        " WHERE g->>'shop_id' = s.tiktok_shop_id AND c.status <> 'disconnected'"
        " AND coalesce(g->>'status', 'authorized') = 'authorized'"
        " AND s.refresh_expires_at IS NOT NULL AND s.refresh_expires_at < $1"
        " ORDER BY s.refresh_expires_at",
        horizon,
    )
    return [
        (r["connection_id"], r["name"], r["tiktok_shop_id"], r["region"] or "", r[4]) for r in rows
    ]
