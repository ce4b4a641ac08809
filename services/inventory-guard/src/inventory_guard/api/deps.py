"""FastAPI dependencies: the running service's deps, a pooled connection, the connection."""

from typing import Annotated

from connector_connections import Connection as Merchant
from connector_connections import shop_of
from connector_connections.replica import load_connection
from connector_runtime.db import Connection
from connector_runtime.deps import deps_of, pooled_connection
from fastapi import Depends, HTTPException

from inventory_guard.platforms import Deps

DepsDep = Annotated[Deps, Depends(deps_of)]
Db = Annotated[Connection, Depends(pooled_connection)]


async def merchant_of(db: Connection, connection_id: str) -> Merchant:
    """The connection replica (404 when the guard does not know it)."""
    found = await load_connection(db, connection_id)
    if found is None:
        raise HTTPException(404, f"unknown connection {connection_id}")
    return found


async def region_of(db: Connection, connection_id: str, tiktok_shop_id: str) -> Merchant:
    """The connection, checking it holds the TikTok shop (404 otherwise)."""
    merchant = await merchant_of(db, connection_id)
    if shop_of(merchant, tiktok_shop_id) is None:
        raise HTTPException(404, f"TikTok shop {tiktok_shop_id} is not a region of {connection_id}")
    return merchant
