"""A connection's order settings: read and replace (validated; a bad field gets a 422)."""

from fastapi import APIRouter

from order_relay import config_store
from order_relay.api.deps import Db, Settings
from order_relay.core.settings import OrderSettings

router = APIRouter(prefix="/api/v1/order-settings", tags=["order settings"])


@router.get("/{connection_id}", response_model=OrderSettings)
async def get_settings(connection_id: str, db: Db, settings: Settings) -> OrderSettings:
    """The connection's order settings (defaults until saved)."""
    return await config_store.load_settings(db, connection_id, settings.default_order_settings())


@router.put("/{connection_id}", response_model=OrderSettings)
async def put_settings(connection_id: str, body: OrderSettings, db: Db) -> OrderSettings:
    """Replace the connection's order settings; fields left out take their defaults."""
    await config_store.save_settings(db, connection_id, body)
    return body
