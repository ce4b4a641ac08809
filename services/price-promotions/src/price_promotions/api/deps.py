"""FastAPI dependencies: the running service's deps, a pooled connection, the region asked for."""

from typing import Annotated

from connector_connections import load_connection, shop_of
from connector_runtime.db import Connection
from connector_runtime.deps import deps_of, pooled_connection
from fastapi import Depends, HTTPException

from price_promotions.platform import Deps
from price_promotions.store import Region

DepsDep = Annotated[Deps, Depends(deps_of)]
Db = Annotated[Connection, Depends(pooled_connection)]


async def region_of(db: Connection, connection_id: str, tiktok_shop_id: str) -> Region:
    """The connection's region, or 404 naming what is unknown."""
    connection = await load_connection(db, connection_id)
    if connection is None:
        raise HTTPException(404, f"unknown connection {connection_id}")
    shop = shop_of(connection, tiktok_shop_id)
    if shop is None:
        raise HTTPException(404, f"TikTok shop {tiktok_shop_id} is not a region of {connection_id}")
    return Region(connection_id, shop.shop_id, shop.region)
