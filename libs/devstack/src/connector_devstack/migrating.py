"""Migration tests: a fresh schema at a service's previous version, data put in, then upgraded."""

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from connector_runtime import db
from connector_runtime.settings import ServiceSettings

from connector_devstack.infra import Infra


@dataclass(frozen=True)
class OldSchema:
    """A schema migrated up to (not including) one migration; `upgrade` applies the rest."""

    pool: asyncpg.Pool
    schema: str
    settings: ServiceSettings  # a service's settings on this schema (outbox writes)
    migrations: Sequence[tuple[str, str]]

    async def upgrade(self) -> None:
        await db.migrate(self.pool, self.schema, self.migrations)


@asynccontextmanager
async def schema_before(infra: Infra, packages: list[str], before: str) -> AsyncIterator[OldSchema]:
    """A fresh schema of `packages`' migrations up to `before` (e.g. "x:0003_y.sql")."""
    schema = f"old_{uuid.uuid4().hex[:8]}"
    url = infra.service_env()["DATABASE_URL"]
    pool = await db.create_pool(url, schema, 2)
    migrations = db.service_migrations(packages)
    upgrade = [name for name, _ in migrations].index(before)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        settings = ServiceSettings(database_url=url, db_schema=schema)
        yield OldSchema(pool, schema, settings, migrations)
    finally:
        await pool.close()
