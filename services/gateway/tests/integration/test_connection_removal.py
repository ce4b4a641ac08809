"""Removing a connection on PostgreSQL (ADR 0820): a connection left pending past its TTL, or
deleted by its owner, is published disconnected, loses its secrets and leaves its account;
an authorized one, a young one and one already removed are left alone. Gateway migration 0009
keeps every existing connection in its account."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from connector_connections.replica import load_connection, upsert_connection
from connector_devstack.in_process import isolated_settings
from connector_devstack.infra import Infra
from connector_runtime import db
from connector_runtime.db import Connection
from gateway.account_store import BOOTSTRAP_ACCOUNT
from gateway.connection_removal import expired_pending, remove_connection
from gateway.core.connecting import new_connection
from gateway.settings import GatewaySettings
from gateway.store import save_oauth_state

pytestmark = pytest.mark.integration

REMOVAL = "gateway:0009_connection_removal.sql"


@pytest.fixture
async def conn(infra: Infra) -> AsyncIterator[Connection]:
    schema = f"rm_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(pool, schema, db.service_migrations(["connector_connections", "gateway"]))
        async with pool.acquire() as c:
            yield c
    finally:
        await pool.close()


async def test_only_pending_connections_past_their_ttl_expire(
    conn: Connection, infra: Infra
) -> None:
    for cid in ("c-old-pending", "c-young-pending", "c-old-active"):
        made = new_connection(cid, cid, f"{cid}.myshopify.com", "US")
        await upsert_connection(conn, made.model_copy(update={"account_id": BOOTSTRAP_ACCOUNT}))
    await conn.execute(
        "UPDATE connections SET status = 'active' WHERE connection_id = 'c-old-active'"
    )
    await conn.execute(
        "UPDATE connections SET created_at = now() - interval '2 days'"
        " WHERE connection_id IN ('c-old-pending', 'c-old-active')"
    )
    a_day_ago = datetime.now(UTC) - timedelta(days=1)
    assert await expired_pending(conn, a_day_ago) == ["c-old-pending"]

    settings = isolated_settings(GatewaySettings, infra, gateway_require_login=True)
    old = await load_connection(conn, "c-old-pending")
    assert old is not None
    await save_oauth_state(conn, "state-1", "c-old-pending", "shopify")
    async with conn.transaction():
        await remove_connection(conn, settings, old, "expired")
    row = await conn.fetchrow(
        "SELECT status, account_id, revision FROM connections WHERE connection_id = $1",
        "c-old-pending",
    )
    assert (row["status"], row["account_id"], row["revision"]) == ("disconnected", None, 2)
    assert await conn.fetchval("SELECT count(*) FROM oauth_states") == 0
    [published] = await conn.fetch("SELECT value FROM outbox")
    event = json.loads(bytes(published["value"]))
    assert (event["type"], event["payload"]["status"]) == ("connection.changed", "disconnected")
    # Every service purges it and its replica leaves the account (ADR 0840, 0841).
    assert (event["payload"]["removed"], event["payload"]["account_id"]) == (True, None)
    assert await expired_pending(conn, a_day_ago) == []  # removed ones are not removed again


async def test_migration_0009_keeps_every_connection_in_its_account(infra: Infra) -> None:
    schema = f"rm_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "gateway"])
    names = [m[0] for m in migrations]
    try:
        await db.migrate(pool, schema, migrations[: names.index(REMOVAL)])
        async with pool.acquire() as c:
            await c.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region) VALUES"
                " ('c-1', 3, 'One', 'active', 'one.myshopify.com', 'GB'),"
                " ('c-2', 1, 'Two', 'pending', 'two.myshopify.com', 'US')"
            )
            before = [await load_connection(c, cid) for cid in ("c-1", "c-2")]
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as c:
            after = [await load_connection(c, cid) for cid in ("c-1", "c-2")]
            rows = await c.fetch("SELECT account_id, created_at FROM connections")
            young = await expired_pending(c, datetime.now(UTC) - timedelta(hours=1))
    finally:
        await pool.close()
    assert after == before
    assert {r["account_id"] for r in rows} == {BOOTSTRAP_ACCOUNT}
    assert all(r["created_at"] is not None for r in rows)
    assert young == []  # a pending connection's day counts from the upgrade
