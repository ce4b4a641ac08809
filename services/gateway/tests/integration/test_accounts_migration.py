"""Upgrading a gateway database of the version before accounts: every connection it holds
belongs to the bootstrap account afterwards, with nothing else about it changed."""

import uuid

import pytest
from connector_connections.replica import load_connection
from connector_devstack.infra import Infra
from connector_runtime import db
from gateway.account_store import BOOTSTRAP_ACCOUNT

pytestmark = pytest.mark.integration

ACCOUNTS = "gateway:0005_accounts.sql"
OLD_ROW = "SELECT * FROM connections WHERE connection_id = 'c-old'"


async def test_existing_connections_move_to_the_bootstrap_account_without_loss(
    infra: Infra,
) -> None:
    schema = f"gw_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "gateway"])
    names = [m[0] for m in migrations]
    assert ACCOUNTS in names
    try:
        # The database as it was: every migration before the accounts (later ones need them).
        await db.migrate(pool, schema, migrations[: names.index(ACCOUNTS)])
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region) VALUES"
                " ('c-old', 7, 'Old', 'active', 'old.myshopify.com', 'GB'),"
                " ('c-new', 1, 'New', 'pending', 'new.myshopify.com', 'US')"
            )
            before = dict(await conn.fetchrow(OLD_ROW))
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            owners = dict(await conn.fetch("SELECT connection_id, account_id FROM connections"))
            account = await conn.fetchval(
                "SELECT name FROM accounts WHERE account_id = $1", BOOTSTRAP_ACCOUNT
            )
            after = dict(await conn.fetchrow(OLD_ROW))
            loaded = await load_connection(conn, "c-old")
            # A connection made after the upgrade (before scoping is on) lands there too.
            await conn.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region)"
                " VALUES ('c-later', 1, 'Later', 'pending', 'later.myshopify.com', 'DE')"
            )
            later = await conn.fetchval(
                "SELECT account_id FROM connections WHERE connection_id = 'c-later'"
            )
    finally:
        await pool.close()
    assert owners == {"c-old": BOOTSTRAP_ACCOUNT, "c-new": BOOTSTRAP_ACCOUNT}
    assert account == "Bootstrap account"
    assert {k: after[k] for k in before} == before  # what it held; later columns are new
    assert loaded is not None
    assert (loaded.name, loaded.revision, loaded.account_id) == ("Old", 7, BOOTSTRAP_ACCOUNT)
    assert later == BOOTSTRAP_ACCOUNT
