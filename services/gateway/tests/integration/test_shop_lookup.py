"""Finding connections by shop on the replica table: a TikTok shop by any of its regions (where
it is authorized first), a Shopify store's every live connection."""

import uuid

import pytest
from connector_connections.replica import (
    connection_for_tiktok_shop,
    connections_for_shopify_shop,
    upsert_connection,
)
from connector_contracts import ConnectionChanged, ConnectionStatus, ShopStatus, TikTokShopGrant
from connector_devstack.infra import Infra
from connector_runtime import db

pytestmark = pytest.mark.integration


def connection(
    cid: str, status: ConnectionStatus, *shops: tuple[str, ShopStatus]
) -> ConnectionChanged:
    grants = [
        TikTokShopGrant(shop_id=s, region="DE", cipher=f"c-{s}", access_token="t", status=st)
        for s, st in shops
    ]
    return ConnectionChanged(
        connection_id=cid,
        revision=1,
        name=cid,
        status=status,
        shopify_shop_domain="one.myshopify.com",
        tiktok_region="DE",
        tiktok_shops=grants,
    )


def replica_migrations() -> list[tuple[str, str]]:
    """The replica table as a service holds it: the library's migrations and the account column
    each service adds (ADR 0840; the gateway's own table has it from its accounts migration)."""
    accounts = [
        m
        for m in db.package_migrations("order_relay")
        if m[0].endswith(":0030_connection_accounts.sql")
    ]
    assert len(accounts) == 1
    return db.service_migrations(["connector_connections"]) + accounts


async def test_a_shop_is_found_where_it_is_authorized_and_a_store_reaches_every_live_connection(
    infra: Infra,
) -> None:
    schema = f"lookup_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(pool, schema, replica_migrations())
        async with pool.acquire() as conn:
            live, old = ConnectionStatus.ACTIVE, ConnectionStatus.DISCONNECTED
            for c in (
                connection("b-now", live, ("9", ShopStatus.AUTHORIZED)),
                connection("a-before", live, ("1", ShopStatus.AUTHORIZED), ("9", ShopStatus.DEAUTHORIZED)),
                connection("c-gone", old, ("5", ShopStatus.DEAUTHORIZED)),
            ):  # fmt: skip
                await upsert_connection(conn, c)
            moved = await connection_for_tiktok_shop(conn, "9")
            first = await connection_for_tiktok_shop(conn, "1")
            unknown = await connection_for_tiktok_shop(conn, "7")
            store = await connections_for_shopify_shop(conn, "one.myshopify.com")
            await conn.execute("UPDATE connections SET status = 'disconnected'")
            all_gone = await connections_for_shopify_shop(conn, "one.myshopify.com")
    finally:
        await pool.close()
    assert moved is not None
    assert moved.connection_id == "b-now"
    assert first is not None
    assert first.connection_id == "a-before"
    assert unknown is None
    assert sorted(c.connection_id for c in store) == ["a-before", "b-now"]
    assert len(all_gone) == 1  # none live: the latest one still gets the store's erasure
