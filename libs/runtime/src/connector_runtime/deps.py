"""What a service's handlers and routes share, owned by the runtime: settings, the pool, a clock.

A service extends `ServiceDeps` with its own resources (platform clients); the runtime opens it
once the pool exists and closes it at stop. Routes reach it through one dependency, `deps_of`.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

import asyncpg
from fastapi import Depends, Request

from connector_runtime.db import Connection, RequestPool, create_pool
from connector_runtime.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def utc_now() -> datetime:
    """The wall clock, timezone-aware (the default `now` of every service's deps)."""
    return datetime.now(UTC)


@dataclass(kw_only=True)
class ServiceDeps(Generic[SettingsT]):
    """Settings, the runtime's pool (set by `open`), a side pool and a clock tests can replace."""

    settings: SettingsT
    now: Callable[[], datetime] = utc_now
    side_pool_size: int = 2
    _pool: asyncpg.Pool | None = field(default=None, init=False, repr=False)
    _side_pool: asyncpg.Pool | None = field(default=None, init=False, repr=False)
    _side_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    @property
    def pool(self) -> asyncpg.Pool:
        """The service's database pool (the runtime's own, once the service has started)."""
        if self._pool is None:
            raise RuntimeError("the service has not started: its deps are not open")
        return self._pool

    async def open(self, pool: asyncpg.Pool) -> None:
        """Called by the runtime after migrating, before consuming or serving."""
        self._pool = pool

    async def side_pool(self) -> asyncpg.Pool:
        """A small pool for writes that must commit outside the handler's transaction (made
        on first use: most services never need one)."""
        async with self._side_lock:
            if self._side_pool is None:
                self._side_pool = await create_pool(
                    self.settings.database_url,
                    self.settings.schema_name,
                    self.side_pool_size,
                    service=self.settings.service_name,
                    name="side",
                )
            return self._side_pool

    async def aclose(self) -> None:
        """Called by the runtime at stop (a service's deps close their clients, then call this)."""
        if self._side_pool is not None:
            await self._side_pool.close()
            self._side_pool = None
        self._pool = None


# Dependencies are `async def`: FastAPI runs a plain `def` one on a worker thread, a thread hop
# per request (a tenth of the gateway's CPU per webhook, measured with py-spy).
async def deps_of(request: Request) -> ServiceDeps[Any]:
    """The running service's deps, for routes: `Annotated[MyDeps, Depends(deps_of)]`."""
    deps = request.app.state.runtime.deps
    if not isinstance(deps, ServiceDeps):
        raise RuntimeError("the service declared no ServiceDeps in its ServiceSpec")
    return deps


async def request_pool_of(request: Request) -> RequestPool:
    """The runtime's pool for requests: a bounded wait, then 503 with `Retry-After` (ADR 0014)."""
    pool: RequestPool = request.app.state.runtime.request_pool
    return pool


async def pooled_connection(
    pool: Annotated[RequestPool, Depends(request_pool_of)],
) -> AsyncIterator[Connection]:
    """A pooled database connection for one request."""
    async with pool.connection() as conn:
        yield conn
