"""FastAPI dependencies: the running service's deps, its pool and settings; the region a
request selects."""

from typing import Annotated

from connector_connections import UnknownRegion, region_scope
from connector_runtime.db import Connection
from connector_runtime.deps import deps_of, pooled_connection
from fastapi import Depends, HTTPException

from order_relay.platforms import Deps
from order_relay.settings import OrderRelaySettings

DepsDep = Annotated[Deps, Depends(deps_of)]


async def settings(deps: DepsDep) -> OrderRelaySettings:
    """The service's settings."""
    return deps.settings


Db = Annotated[Connection, Depends(pooled_connection)]
Settings = Annotated[OrderRelaySettings, Depends(settings)]


async def region_filter(
    db: Connection, connection_id: str | None, region: str | None
) -> str | None:
    """The shop id of the region a listing selects (None: no region selected, every region of
    the connection). A region without a connection is a 400, an unknown one a 404."""
    if region is None:
        return None
    if connection_id is None:
        raise HTTPException(400, "`region` selects a market of a connection: pass connection_id")
    try:
        return await region_scope(db, connection_id, region)
    except UnknownRegion as exc:
        raise HTTPException(404, str(exc)) from exc
