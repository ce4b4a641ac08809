"""FastAPI dependencies and helpers shared by the catalog routers."""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from connector_connections import Connection, load_connection
from connector_contracts import Event, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from catalog_sync import store
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings

PREFIX = "/api/v1/catalog"


async def database(request: Request) -> AsyncIterator[Db]:
    """A pooled database connection for one request."""
    async with request.app.state.runtime.request_pool.connection() as conn:
        yield conn


def platforms(request: Request) -> Platforms:
    """The process's platform resources (bound by `bind_platforms`)."""
    value: Platforms = request.state.platforms
    return value


def bind_platforms(platforms: Platforms, *routers: APIRouter) -> APIRouter:
    """One router whose requests see `platforms` (the composition root owns the instance)."""

    def provide(request: Request) -> None:
        request.state.platforms = platforms

    outer = APIRouter(dependencies=[Depends(provide)])
    for router in routers:
        outer.include_router(router)
    return outer


DbDep = Annotated[Db, Depends(database)]
PlatformsDep = Annotated[Platforms, Depends(platforms)]


async def connection_of(db: Db, connection_id: str) -> Connection:
    """The connection, or 404."""
    connection = await load_connection(db, connection_id)
    if connection is None:
        raise HTTPException(404, f"unknown connection {connection_id}")
    return connection


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
) -> TaskAccepted:
    """Create the task and queue its command in one transaction (it survives restarts)."""
    task_id = getattr(command, "task_id", None) or str(uuid.uuid4())
    async with db.transaction():
        await store.create_task(db, task_id, connection_id, kind, total)
        await write_outbox(
            db, settings, new_envelope(command, connection_id=connection_id, task_id=task_id)
        )
    return TaskAccepted(task_id=task_id)


def new_task_id() -> str:
    """A fresh task id."""
    return str(uuid.uuid4())
