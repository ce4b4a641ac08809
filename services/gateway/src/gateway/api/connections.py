"""Merchant connections: one Shopify store linked to one TikTok shop."""

import re
from typing import Annotated
from uuid import uuid4

from connector_contracts import ConnectionCreated, new_envelope
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field, StringConstraints

from gateway.api.deps import Db, Settings
from gateway.store import insert_connection, list_connections

router = APIRouter(prefix="/api/v1/connections", tags=["connections"])

_SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")


class NewConnection(BaseModel):
    """A connection to create."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    shopify_shop_domain: Annotated[
        str, StringConstraints(pattern=_SHOP_DOMAIN.pattern, to_lower=True)
    ] = Field(description="`<shop>.myshopify.com`")
    tiktok_shop_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,30}$")]
    tiktok_region: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Connection(NewConnection):
    """A merchant connection."""

    connection_id: str


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Connection,
    responses={409: {"description": "Connection or TikTok shop already connected"}},
)
async def create_connection(body: NewConnection, db: Db, settings: Settings) -> Connection:
    """Connect a Shopify store to a TikTok shop; every service learns of it by event."""
    connection_id = f"conn_{uuid4().hex[:12]}"
    created = ConnectionCreated(connection_id=connection_id, **body.model_dump())
    async with db.transaction():
        if not await insert_connection(db, created):
            raise HTTPException(409, f"TikTok shop {body.tiktok_shop_id} is already connected")
        await write_outbox(db, settings, new_envelope(created, connection_id=connection_id))
    return Connection(connection_id=connection_id, **body.model_dump())


@router.get("", response_model=list[Connection])
async def get_connections(db: Db) -> list[Connection]:
    """List the connections."""
    return [Connection(**row) for row in await list_connections(db)]
