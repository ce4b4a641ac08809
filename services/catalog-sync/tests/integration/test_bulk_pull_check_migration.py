"""Upgrading a database of the previous version: each pull still waiting on Shopify gets its
check as a work item, due now; finished pulls get none."""

import uuid

import pytest
from connector_devstack.infra import Infra
from connector_runtime import db

pytestmark = pytest.mark.integration

BEFORE = "catalog_sync:0007_bulk_pull_checks.sql"


async def test_waiting_bulk_pulls_of_the_previous_version_get_a_check(infra: Infra) -> None:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "catalog_sync"])
    upgrade = [name for name, _ in migrations].index(BEFORE)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO bulk_pulls (connection_id, operation_id, task_id, command,"
                " finished_at) VALUES ('c1', 'op-1', 'task-waiting', '{}', NULL),"
                " ('c1', 'op-2', 'task-done', '{}', now())"
            )
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            checks = await conn.fetch(
                "SELECT kind, key, due_at <= now() AS due FROM work_items ORDER BY key"
            )
    finally:
        await pool.close()
    assert [tuple(c) for c in checks] == [("bulk-pull-check", "task-waiting", True)]
