"""PostgreSQL access: a pool bound to the service's schema and versioned SQL migrations."""

import importlib.resources
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import structlog
from asyncpg.pool import PoolConnectionProxy

from connector_runtime import metrics

log = structlog.get_logger()

# What handlers and stores receive: a plain connection or one borrowed from the pool.
Connection = asyncpg.Connection | PoolConnectionProxy


async def create_pool(
    database_url: str,
    schema: str,
    size: int = 10,
    *,
    service: str | None = None,
    name: str = "main",
    keeps_session_state: bool = False,
) -> asyncpg.Pool:
    """Create the schema if needed and return a pool whose connections use it by default.

    Every statement its connections send is counted in `connector_db_round_trips_total`
    (`service`, `name`). A pool whose users never leave session state behind (no session
    advisory locks, LISTEN, SET or open cursors past a transaction) skips asyncpg's reset
    statement on each release: one round trip per acquire. `keeps_session_state` pools (the
    control pool: locks and LISTEN held for good) keep it.
    """
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    finally:
        await conn.close()
    pool = await asyncpg.create_pool(
        database_url,
        min_size=1,
        max_size=size,
        server_settings={"search_path": schema},
        init=count_round_trips(service or schema, name),
        # An open transaction is still rolled back on release (asyncpg does it before `reset`).
        reset=None if keeps_session_state else _nothing_to_reset,
    )
    assert pool is not None
    return pool


def count_round_trips(
    service: str, pool: str
) -> Callable[[asyncpg.Connection], Coroutine[Any, Any, None]]:
    """A pool `init` counting every statement a new connection sends (asyncpg's query logger
    sees each execute/fetch, BEGIN/COMMIT and the reset on release)."""
    counter = metrics.DB_ROUND_TRIPS.labels(service, pool)

    def count(_query: Any) -> None:
        counter.inc()

    async def init(conn: asyncpg.Connection) -> None:
        conn.add_query_logger(count)

    return init


async def _nothing_to_reset(_conn: Any) -> None:
    return None


def package_migrations(package: str) -> list[tuple[str, str]]:
    """Return `(name, sql)` for every `migrations/*.sql` file of a package, in name order."""
    root = importlib.resources.files(package) / "migrations"
    if not root.is_dir():
        return []
    files = sorted((f for f in root.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f"{package}:{f.name}", f.read_text()) for f in files]


def service_migrations(packages: Sequence[str]) -> list[tuple[str, str]]:
    """A service's migrations in the order they apply: the runtime's own (outbox, inbox, work
    items), then each package's."""
    migrations = package_migrations("connector_runtime")
    for package in packages:
        migrations += package_migrations(package)
    return migrations


async def migrate(pool: asyncpg.Pool, schema: str, migrations: Sequence[tuple[str, str]]) -> int:
    """Apply pending migrations in order, each in its own transaction; return how many ran."""
    applied = 0
    async with pool.acquire() as conn:
        # Replicas starting together must not apply the same migration twice.
        await conn.execute("SELECT pg_advisory_lock(hashtext($1))", f"migrate:{schema}")
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
            for name, sql in migrations:
                if name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
                log.info("migration.applied", migration=name, schema=schema)
                applied += 1
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", f"migrate:{schema}")
    return applied


async def ping(pool: asyncpg.Pool) -> None:
    """Raise when the database cannot answer a trivial query."""
    async with pool.acquire(timeout=2) as conn:
        await conn.fetchval("SELECT 1", timeout=2)


# PostgreSQL's own answers meaning "away" (restarting, shutting down, out of connections).
LOST: tuple[type[Exception], ...] = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
)
# Errors meaning "the database is unreachable", not "this query is bad" (OSError: refused).
UNAVAILABLE: tuple[type[Exception], ...] = (OSError, *LOST)
# What a background loop meets when PostgreSQL goes away under a running operation: the
# connection closed under a transaction, or left half-way through a protocol exchange. Loops treat
# it as the outage it is; HTTP routes keep UNAVAILABLE (they never hold a connection that long).
BROKEN: tuple[type[Exception], ...] = (
    *UNAVAILABLE,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
)


class DatabaseUnavailable(Exception):
    """PostgreSQL cannot serve an HTTP request now: answer 503 with `Retry-After`."""


class PoolExhausted(DatabaseUnavailable):
    """No pool connection freed up in time for an HTTP request: answer 503, retry later."""


class Outage:
    """Counts failures on an unreachable database, warning once when an outage starts and
    logging once when it ends (a traceback per request or loop turn would drown the logs).

    A failure within `settle_seconds` of the end of an outage is the same outage: a PostgreSQL
    that is stopping can still answer one loop's query between two refusals, and that flap
    must not read as a second outage. Every failure is counted in the metric all the same.
    """

    def __init__(
        self,
        service: str,
        settle_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._service = service
        self._settle = settle_seconds
        self._clock = clock
        self._ended_at: float | None = None  # when the last outage ended
        self.failures = 0  # in a row, across the process: background loops back off on it

    def failed(self, where: str, error: BaseException) -> None:
        """Count one failure; warn if it starts an outage."""
        metrics.DB_UNAVAILABLE.labels(self._service, where).inc()
        self.failures += 1
        if self.failures == 1 and not self._flapping():
            log.warning("db.unavailable", where=where, error=f"{type(error).__name__}: {error}")

    def recovered(self) -> None:
        """Note a success; log the end of an outage once."""
        if self.failures:
            if not self._flapping():
                log.info("db.recovered", failures=self.failures)
                self._ended_at = self._clock()
            self.failures = 0

    def _flapping(self) -> bool:
        return self._ended_at is not None and self._clock() - self._ended_at < self._settle


class RequestPool:
    """Pool connections for HTTP requests: a bounded wait, and one warning per outage."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        service: str,
        timeout_seconds: float,
        outage: Outage | None = None,
    ) -> None:
        self._pool = pool
        self._service = service
        self._timeout = timeout_seconds
        self._exhausted = False
        self.outage = outage or Outage(service)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """A pooled connection; PoolExhausted after the acquire timeout, DatabaseUnavailable
        when PostgreSQL is unreachable (on connecting or during the request)."""
        try:
            conn = await self._pool.acquire(timeout=self._timeout)
        except TimeoutError:
            self._report_exhausted()
            raise PoolExhausted(f"no database connection within {self._timeout} s") from None
        except UNAVAILABLE as exc:
            raise self.unavailable(exc) from None
        if self._exhausted:
            self._exhausted = False
            log.info("db.pool_recovered")
        try:
            yield conn
        except UNAVAILABLE as exc:
            raise self.unavailable(exc) from None
        finally:
            await self._pool.release(conn)
        self.outage.recovered()

    def unavailable(self, error: BaseException) -> DatabaseUnavailable:
        """Report a request failed on an unreachable database; the error to answer it with."""
        self.outage.failed("http", error)
        return DatabaseUnavailable("the database is unreachable")

    def _report_exhausted(self) -> None:
        metrics.DB_POOL_EXHAUSTED.labels(self._service).inc()
        if not self._exhausted:
            # Once per outage: a traceback per refused request would drown the logs.
            self._exhausted = True
            log.warning("db.pool_exhausted", timeout_seconds=self._timeout)
