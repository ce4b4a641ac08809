"""FastAPI dependencies and helpers shared by the catalog routers."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from connector_connections import (
    Connection,
    PlatformClients,
    Shop,
    load_connection,
    region_shop_id,
    shop_of,
)
from connector_connections.shops import as_shop
from connector_contracts import Event, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.deps import deps_of, pooled_connection
from connector_runtime.outbox import write_outbox
from fastapi import Depends, HTTPException, Query
from pydantic import BaseModel

from catalog_sync import store
from catalog_sync.handlers import REGION_NOT_AUTHORIZED
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings
from catalog_sync.task_events import announce_task

PREFIX = "/api/v1/catalog"


DbDep = Annotated[Db, Depends(pooled_connection)]
PlatformsDep = Annotated[Platforms, Depends(deps_of)]


async def connection_of(db: Db, connection_id: str) -> Connection:
    """The connection, or 404."""
    connection = await load_connection(db, connection_id)
    if connection is None:
        raise HTTPException(404, f"unknown connection {connection_id}")
    return connection


RegionQuery = Annotated[
    str | None,
    Query(
        description="TikTok market of the connection (`US`, `GB`, ...); default region if omitted."
    ),
]
REGION_RESPONSES: dict[int | str, dict[str, str]] = {
    404: {"description": "Unknown connection, or no shop of it in that region"}
}


def region_shop(connection: Connection, region: str | None) -> str | None:
    """The TikTok shop id of the region a request selected (None: the default region's; None
    too while the connection has no shop), or 404 when the connection has no shop there."""
    shop_id = region_shop_id(connection, region)
    if shop_id is None and region is not None:
        raise HTTPException(404, f"{region.upper()} is not a region of {connection.name}")
    return shop_id


@dataclass(frozen=True)
class InRegion:
    """The region a request calls TikTok in: its shop id, the connection as that shop sees it
    (its market first) and that shop's clients."""

    shop_id: str | None
    shop: Shop | None  # None while the connection has no authorized shop
    connection: Connection
    clients: PlatformClients


def in_region(platforms: Platforms, connection: Connection, region: str | None) -> InRegion:
    """The selected region's shop (default region if omitted), 404 for a market the connection
    has no shop in, 409 when that region's shop is no longer authorized."""
    shop_id = region_shop(connection, region)
    shop = shop_of(connection, shop_id) if shop_id else None
    if shop is None:
        if region is not None:
            raise HTTPException(409, REGION_NOT_AUTHORIZED)
        return InRegion(shop_id, None, connection, platforms.clients(connection))
    seen = as_shop(connection, shop)
    return InRegion(shop_id, shop, seen, platforms.platform_clients.for_shop(seen, shop))


IN_REGION_RESPONSES: dict[int | str, dict[str, str]] = {
    **REGION_RESPONSES,
    409: {"description": "That region's TikTok shop is no longer authorized"},
}


def product_gid(product_id: str) -> str:
    """Accept a numeric Shopify product id or a full gid."""
    return product_id if product_id.startswith("gid://") else f"gid://shopify/Product/{product_id}"


class TaskAccepted(BaseModel):
    """A long-running action was accepted; follow it at `GET /api/v1/catalog/tasks/{task_id}`."""

    task_id: str
    status: str = "running"


async def start_task(
    db: Db,
    settings: CatalogSyncSettings,
    connection_id: str,
    kind: str,
    total: int | None,
    command: Event,
    shop_id: str | None = None,
) -> TaskAccepted:
    """Create the task (of a region's shop, or None: connection-wide) and queue its command in
    one transaction (it survives restarts)."""
    task_id = getattr(command, "task_id", None) or str(uuid.uuid4())
    async with db.transaction():
        await store.create_task(db, task_id, connection_id, kind, total, shop_id)
        await announce_task(db, settings, task_id)
        await write_outbox(
            db, settings, new_envelope(command, connection_id=connection_id, task_id=task_id)
        )
    return TaskAccepted(task_id=task_id)


def new_task_id() -> str:
    """A fresh task id."""
    return str(uuid.uuid4())
