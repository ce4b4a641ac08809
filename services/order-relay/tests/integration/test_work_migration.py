"""Upgrading a database of the previous version: relay timers, sweep schedules and queued
missed-order syncs become work items, and a paid order still waiting gets its relay job."""

import json
import uuid

import asyncpg
import pytest
from connector_devstack.infra import Infra
from connector_runtime import db

pytestmark = pytest.mark.integration

BEFORE = "order_relay:0005_work_items.sql"


async def seed_previous_version(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "INSERT INTO orders (tiktok_order_id, connection_id, tiktok_shop_id, status,"
        " is_on_hold_order, tiktok_updated_at, paid, relay_state, relay_attempts) VALUES"
        " ('o-retry', 'c1', 's', 'AWAITING_SHIPMENT', false, now(), true, 'failed', 1),"
        " ('o-pending', 'c1', 's', 'AWAITING_SHIPMENT', false, now(), true, 'pending', 0),"
        " ('o-relayed', 'c1', 's', 'AWAITING_SHIPMENT', false, now(), true, 'relayed', 1)"
    )
    await conn.execute(
        "INSERT INTO relay_timers (tiktok_order_id, connection_id, due_at, attempt,"
        " transient_failures, last_error) VALUES ('o-retry', 'c1', now() + interval '1 hour',"
        " 2, 3, 'Shopify away')"
    )
    await conn.execute(
        "INSERT INTO sweeps (connection_id, next_run_at, last_seen) VALUES ('c1', now(), 7)"
    )
    await conn.execute(
        "INSERT INTO sync_tasks (task_id, connection_id, window_start, window_end, status)"
        " VALUES ('t-queued', 'c1', now(), now(), 'queued'),"
        " ('t-done', 'c1', now(), now(), 'completed')"
    )


async def test_the_previous_versions_timers_schedules_and_tasks_become_work_items(
    infra: Infra,
) -> None:
    schema = f"relay_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "order_relay"])
    upgrade = [name for name, _ in migrations].index(BEFORE)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await seed_previous_version(conn)
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            items = await conn.fetch(
                "SELECT kind, key, attempts, last_error, payload::text AS payload"
                " FROM work_items ORDER BY kind, key"
            )
            sweep_record = await conn.fetchval("SELECT last_seen FROM sweeps")
            old_tables = await conn.fetchval("SELECT to_regclass('relay_timers')")
    finally:
        await pool.close()
    assert [(i["kind"], i["key"]) for i in items] == [
        ("missed-order-sync", "t-queued"),
        ("relay", "o-pending"),
        ("relay", "o-retry"),
        ("sweep", "c1"),
    ]
    by_key = {i["key"]: i for i in items}
    retry = by_key["o-retry"]
    assert (retry["attempts"], retry["last_error"]) == (3, "Shopify away")
    assert json.loads(retry["payload"]) == {"connection_id": "c1", "attempt": 2}
    assert json.loads(by_key["o-pending"]["payload"]) == {"connection_id": "c1", "attempt": 1}
    assert sweep_record == 7
    assert old_tables is None
