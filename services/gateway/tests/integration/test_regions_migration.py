"""Upgrading a gateway database of the single-shop version: each connection's one TikTok shop
becomes its only (default) region, with its grant, and its refresh token moves to that shop."""

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from connector_connections import shops_of
from connector_connections.replica import connection_for_tiktok_shop, load_connection
from connector_contracts import ConnectionStatus, ShopStatus
from connector_devstack.infra import Infra
from connector_runtime import db
from gateway.store import due_for_refresh, shop_refresh_tokens

pytestmark = pytest.mark.integration

BEFORE = "connector_connections:0004_tiktok_shops.sql"
EXPIRES = datetime(2027, 1, 1, tzinfo=UTC)


async def seed_single_shop_version(conn: asyncpg.Connection) -> None:
    columns = (
        "connection_id, revision, name, status, shopify_shop_domain, shopify_access_token,"
        " tiktok_region, tiktok_shop_id, tiktok_shop_cipher, tiktok_access_token,"
        " tiktok_access_token_expires_at, authorization_problem"
    )
    await conn.executemany(
        f"INSERT INTO connections ({columns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
        [
            ("c-live", 3, "Live", "active", "a.myshopify.com", "s", "GB", "701", "ci-1",
             "t-1", EXPIRES, None),
            ("c-refused", 4, "Refused", "pending", "b.myshopify.com", "s", "US", "702", "ci-2",
             None, EXPIRES, "Authorize the TikTok Shop account again."),
            ("c-gone", 5, "Gone", "disconnected", "c.myshopify.com", None, "DE", "703", "ci-3",
             None, EXPIRES, None),
            ("c-pending", 1, "New", "pending", "d.myshopify.com", None, "FR", None, None,
             None, None, None),
        ],
    )  # fmt: skip
    await conn.execute(
        "INSERT INTO connection_secrets (connection_id, tiktok_refresh_token,"
        " tiktok_refresh_expires_at, shopify_refresh_token) VALUES"
        " ('c-live', 'r-1', now() + interval '300 days', 'sr-1'),"
        " ('c-refused', 'r-2', now() + interval '300 days', NULL)"
    )


async def test_each_single_shop_connection_becomes_its_one_region_without_loss(
    infra: Infra,
) -> None:
    schema = f"gw_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "gateway"])
    old = [m for m in migrations if m[0] != BEFORE and "0004_shop_secrets" not in m[0]]
    try:
        await db.migrate(pool, schema, old)
        async with pool.acquire() as conn:
            await seed_single_shop_version(conn)
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            live = await load_connection(conn, "c-live")
            refused = await load_connection(conn, "c-refused")
            gone = await load_connection(conn, "c-gone")
            pending = await load_connection(conn, "c-pending")
            by_shop = await connection_for_tiktok_shop(conn, "702")
            secrets = await shop_refresh_tokens(conn, "c-live")
            due = await due_for_refresh(conn, datetime(2030, 1, 1, tzinfo=UTC))
            old_secret = await conn.fetchval(
                "SELECT tiktok_refresh_token FROM connection_secrets WHERE connection_id = 'c-live'"
            )
    finally:
        await pool.close()
    assert live is not None
    assert refused is not None
    assert gone is not None
    assert pending is not None
    [grant] = live.tiktok_shops
    assert (grant.shop_id, grant.region, grant.cipher, grant.access_token) == (
        "701", "GB", "ci-1", "t-1"
    )  # fmt: skip
    assert (grant.status, grant.access_token_expires_at) == (ShopStatus.AUTHORIZED, EXPIRES)
    assert [s.shop_id for s in shops_of(live)] == ["701"]
    assert (live.revision, live.status) == (3, ConnectionStatus.ACTIVE)
    [stalled] = refused.tiktok_shops
    assert stalled.status is ShopStatus.NEEDS_REAUTHORIZATION
    assert stalled.authorization_problem == "Authorize the TikTok Shop account again."
    assert shops_of(refused) == []
    assert gone.tiktok_shops[0].status is ShopStatus.DEAUTHORIZED
    assert pending.tiktok_shops == []
    assert by_shop is not None
    assert by_shop.connection_id == "c-refused"
    assert secrets == {"701": "r-1"}
    assert old_secret is None  # moved, not copied: one place per secret
    # Each shop's own expiry decides; a refused shop keeps trying (its refresh may recover).
    assert set(due) == {("c-live", "tiktok", "701"), ("c-refused", "tiktok", "702")}
