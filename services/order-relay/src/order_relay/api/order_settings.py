"""A region's order settings: read and replace (validated; a bad field gets a 422).

Order settings are per region (ADR 0300): `region` selects the TikTok market of the connection
(`DE`, `FR`, ...); without it, the connection's default region.
"""

from connector_connections import UnknownRegion, region_scope
from fastapi import APIRouter, HTTPException

from order_relay import config_store
from order_relay.api.deps import Db, Settings
from order_relay.core.settings import OrderSettings

router = APIRouter(prefix="/api/v1/order-settings", tags=["order settings"])

_RESPONSES: dict[int | str, dict[str, str]] = {
    404: {"description": "The connection has no shop in that region"}
}


async def _shop(db: Db, connection_id: str, region: str | None) -> str | None:
    try:
        return await region_scope(db, connection_id, region)
    except UnknownRegion as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/{connection_id}", response_model=OrderSettings, responses=_RESPONSES)
async def get_settings(
    connection_id: str, db: Db, settings: Settings, region: str | None = None
) -> OrderSettings:
    """The region's order settings (defaults until saved)."""
    shop_id = await _shop(db, connection_id, region)
    default = settings.default_order_settings()
    return await config_store.load_settings(db, connection_id, default, shop_id)


@router.put("/{connection_id}", response_model=OrderSettings, responses=_RESPONSES)
async def put_settings(
    connection_id: str, body: OrderSettings, db: Db, region: str | None = None
) -> OrderSettings:
    """Replace the region's order settings; fields left out take their defaults."""
    await config_store.save_settings(
        db, connection_id, body, await _shop(db, connection_id, region)
    )
    return body
