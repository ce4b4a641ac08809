"""FastAPI dependencies: the running service's deps, its pool and settings."""

from typing import Annotated

from connector_runtime.db import Connection
from connector_runtime.deps import deps_of, pooled_connection
from fastapi import Depends

from order_relay.platforms import Deps
from order_relay.settings import OrderRelaySettings

DepsDep = Annotated[Deps, Depends(deps_of)]


async def settings(deps: DepsDep) -> OrderRelaySettings:
    """The service's settings."""
    return deps.settings


Db = Annotated[Connection, Depends(pooled_connection)]
Settings = Annotated[OrderRelaySettings, Depends(settings)]
