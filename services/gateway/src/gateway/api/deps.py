"""FastAPI dependencies: the running service's deps, its pool and settings."""

from typing import Annotated

from connector_runtime.db import Connection, RequestPool
from connector_runtime.deps import deps_of, pooled_connection, request_pool_of
from fastapi import Depends

from gateway.platforms import Deps
from gateway.settings import GatewaySettings

DepsDep = Annotated[Deps, Depends(deps_of)]


async def settings(deps: DepsDep) -> GatewaySettings:
    """The gateway's settings."""
    return deps.settings


Db = Annotated[Connection, Depends(pooled_connection)]
Settings = Annotated[GatewaySettings, Depends(settings)]
Pool = Annotated[RequestPool, Depends(request_pool_of)]
