"""FastAPI dependencies: the running service's pool and settings."""

from collections.abc import AsyncIterator
from typing import Annotated

from connector_runtime.db import Connection
from fastapi import Depends, Request

from order_relay.settings import OrderRelaySettings


async def connection(request: Request) -> AsyncIterator[Connection]:
    """A pooled database connection for one request."""
    async with request.app.state.runtime.request_pool.connection() as conn:
        yield conn


def settings(request: Request) -> OrderRelaySettings:
    """The service's settings."""
    value: OrderRelaySettings = request.app.state.runtime.settings
    return value


Db = Annotated[Connection, Depends(connection)]
Settings = Annotated[OrderRelaySettings, Depends(settings)]
