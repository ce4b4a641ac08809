"""FastAPI dependencies: the running service's pool and settings."""

from collections.abc import AsyncIterator
from typing import Annotated

from connector_runtime.db import Connection, RequestPool
from fastapi import Depends, Request

from gateway.settings import GatewaySettings


async def connection(request: Request) -> AsyncIterator[Connection]:
    """A pooled database connection for one request."""
    async with request.app.state.runtime.request_pool.connection() as conn:
        yield conn


def request_pool(request: Request) -> RequestPool:
    """The pool itself, for routes that borrow a connection only once the request checks out."""
    value: RequestPool = request.app.state.runtime.request_pool
    return value


def settings(request: Request) -> GatewaySettings:
    """The gateway's settings."""
    value: GatewaySettings = request.app.state.runtime.settings
    return value


Db = Annotated[Connection, Depends(connection)]
Settings = Annotated[GatewaySettings, Depends(settings)]
Pool = Annotated[RequestPool, Depends(request_pool)]
