"""FastAPI dependencies: the running service's pool and settings."""

from collections.abc import AsyncIterator
from typing import Annotated

from connector_runtime.db import Connection
from fastapi import Depends, Request

from gateway.settings import GatewaySettings


async def connection(request: Request) -> AsyncIterator[Connection]:
    """A pooled database connection for one request."""
    async with request.app.state.runtime.pool.acquire() as conn:
        yield conn


def settings(request: Request) -> GatewaySettings:
    """The gateway's settings."""
    value: GatewaySettings = request.app.state.runtime.settings
    return value


Db = Annotated[Connection, Depends(connection)]
Settings = Annotated[GatewaySettings, Depends(settings)]
