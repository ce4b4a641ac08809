"""Every statement a pool's connections send is counted, on the real PostgreSQL."""

import uuid

import pytest
from connector_devstack.infra import Infra
from connector_runtime import db, metrics

pytestmark = pytest.mark.integration


def counted(service: str, pool: str) -> float:
    return metrics.DB_ROUND_TRIPS.labels(service, pool)._value.get()


async def test_statements_transactions_and_the_session_reset_are_counted(infra: Infra) -> None:
    url, schema = infra.service_env()["DATABASE_URL"], f"trips_{uuid.uuid4().hex[:8]}"
    service = f"svc-{uuid.uuid4().hex[:6]}"
    plain = await db.create_pool(url, schema, 1, service=service)
    keeping = await db.create_pool(
        url, schema, 1, service=service, name="control", keeps_session_state=True
    )
    try:
        async with plain.acquire() as conn:
            before = counted(service, "main")
            async with conn.transaction():  # BEGIN, 2 statements, COMMIT
                await conn.fetchval("SELECT 1")
                await conn.execute("SELECT $1::int", 2)
        assert counted(service, "main") - before == 4  # released without a reset statement
        async with keeping.acquire() as conn:
            before = counted(service, "control")
            await conn.fetchval("SELECT pg_try_advisory_lock(42)")
        assert counted(service, "control") - before == 2  # the statement and the reset
        async with plain.acquire() as other:
            # The reset released the session lock: another session can take it.
            assert await other.fetchval("SELECT pg_try_advisory_lock(42)")
            await other.execute("SELECT pg_advisory_unlock(42)")
    finally:
        await plain.close()
        await keeping.close()
