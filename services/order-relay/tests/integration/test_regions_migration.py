"""Upgrading an order-relay database of the single-shop version: a connection's saved order
settings become its one shop's (its default region), and are what its orders get."""

import json
import uuid

import pytest
from connector_devstack.infra import Infra
from connector_runtime import db
from order_relay import config_store
from order_relay.core.settings import OrderSettings

pytestmark = pytest.mark.integration

BEFORE = "order_relay:0009_regions.sql"


async def test_saved_settings_become_the_default_regions_without_loss(infra: Infra) -> None:
    schema = f"relay_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "order_relay"])
    upgrade = [name for name, _ in migrations].index(BEFORE)
    saved = OrderSettings(payment_method="Bank", sync_on_hold_orders=True)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region, tiktok_shop_id, tiktok_shop_cipher,"
                " tiktok_access_token) VALUES ('c1', 2, 'S', 'active', 'a.myshopify.com', 'DE',"
                " '701', 'ci', 't'), ('c2', 1, 'N', 'pending', 'b.myshopify.com', 'FR',"
                " NULL, NULL, NULL)"
            )
            await conn.executemany(
                "INSERT INTO order_settings (connection_id, settings) VALUES ($1, $2)",
                [("c1", saved.model_dump_json()), ("c2", saved.model_dump_json())],
            )
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT connection_id, tiktok_shop_id, settings::text AS s FROM order_settings"
                " ORDER BY connection_id"
            )
            default = OrderSettings()
            de = await config_store.load_settings(conn, "c1", default, "701")
            other = await config_store.load_settings(conn, "c1", default, "702")
            before_shop = await config_store.load_settings(conn, "c2", default, "703")
    finally:
        await pool.close()
    assert [(r["connection_id"], r["tiktok_shop_id"]) for r in rows] == [("c1", "701"), ("c2", "")]
    assert all(OrderSettings.model_validate(json.loads(r["s"])) == saved for r in rows)
    assert de == saved
    assert other == default  # another region starts from the defaults
    assert before_shop == saved  # saved before the connection had a shop: its first region's
