"""A connection's TikTok regions: "Add Country/Region" (another shop through the same OAuth
flow) and removing one (its shop leaves the connection; the other regions keep syncing)."""

import secrets
from typing import Annotated

import structlog
from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged, ConnectionStatus, ShopStatus
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field, StringConstraints
from tiktok_shop import authorize_url

from gateway.api.connections import ConnectionView
from gateway.api.deps import Db, DepsDep
from gateway.core.connecting import without_shop
from gateway.publishing import publish
from gateway.store import forget_shop_secret, save_oauth_state

router = APIRouter(tags=["connections"])
log = structlog.get_logger()

Region = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]


class NewRegion(BaseModel):
    """A TikTok market to add to a connection."""

    region: Region = Field(description="TikTok Shop market, e.g. `FR`.")


class RegionAuthorization(BaseModel):
    """Where to send the seller to authorize the shop of the new region."""

    connection_id: str
    region: str
    tiktok_authorize_url: str


async def _connection(db: Db, connection_id: str) -> ConnectionChanged:
    c = await load_connection(db, connection_id)
    if c is None:
        raise HTTPException(404, f"no connection {connection_id}")
    return c


@router.post(
    "/api/v1/connections/{connection_id}/regions",
    status_code=status.HTTP_201_CREATED,
    response_model=RegionAuthorization,
    responses={
        404: {"description": "Unknown connection"},
        409: {"description": "Disconnected, or the region is already authorized"},
    },
)
async def add_region(
    connection_id: str, body: NewRegion, db: Db, deps: DepsDep
) -> RegionAuthorization:
    """Add Country/Region: authorize another TikTok shop of the same seller at the URL."""
    c = await _connection(db, connection_id)
    if c.status is ConnectionStatus.DISCONNECTED:
        raise HTTPException(409, f"{c.name} is disconnected; create a new connection")
    if any(g.region == body.region and g.status is ShopStatus.AUTHORIZED for g in c.tiktok_shops):
        raise HTTPException(409, f"{body.region} is already a region of {c.name}")
    state = secrets.token_urlsafe(24)
    await save_oauth_state(db, state, connection_id, "tiktok", body.region)
    log.info("connection.region_requested", connection_id=connection_id, region=body.region)
    return RegionAuthorization(
        connection_id=connection_id,
        region=body.region,
        tiktok_authorize_url=authorize_url(deps.settings.tiktok_app_key, state),
    )


@router.delete(
    "/api/v1/connections/{connection_id}/regions/{region}",
    response_model=ConnectionView,
    responses={
        404: {"description": "Unknown connection or region"},
        409: {"description": "The connection's only region"},
    },
)
async def remove_region(
    connection_id: str, region: Region, db: Db, deps: DepsDep
) -> ConnectionView:
    """Remove a region: its shop leaves the connection and its refresh token is deleted."""
    c = await _connection(db, connection_id)
    grant = next((g for g in c.tiktok_shops if g.region == region), None)
    if grant is None:
        raise HTTPException(404, f"{region} is not a region of {c.name}")
    if len(c.tiktok_shops) == 1:
        raise HTTPException(
            409, f"{region} is the only region of {c.name}; a connection keeps at least one"
        )
    updated = without_shop(c, grant.shop_id)
    async with db.transaction():
        await publish(db, deps.settings, updated)
        await forget_shop_secret(db, connection_id, grant.shop_id)
    log.info(
        "connection.region_removed",
        connection_id=connection_id,
        region=region,
        tiktok_shop_id=grant.shop_id,
    )
    return ConnectionView.of(updated)
