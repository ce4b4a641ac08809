"""The oversold alert: orders TikTok cancelled because products were out of stock."""

from datetime import datetime

from connector_connections.caller import CallerDep, owned_ids
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from order_relay import aftersale_store
from order_relay.api.deps import Db

router = APIRouter(prefix="/api/v1/order-alerts", tags=["order alerts"])


class OversoldProductView(BaseModel):
    """A product to check (take down from TikTok when it is out of stock)."""

    tiktok_product_id: str
    tiktok_sku_id: str
    seller_sku: str
    product_name: str


class OversoldAlert(BaseModel):
    """'One or more orders have been cancelled due to product unavailability.'"""

    tiktok_order_id: str
    connection_id: str
    products: list[OversoldProductView]
    created_at: datetime
    dismissed: bool


@router.get("/oversold", response_model=list[OversoldAlert])
async def oversold(
    db: Db, caller: CallerDep, connection_id: str | None = None, include_dismissed: bool = False
) -> list[OversoldAlert]:
    """Orders cancelled by TikTok for lack of stock, with the products involved (of every
    connection of the caller's account without `connection_id`)."""
    connections = owned_ids(caller, connection_id)
    rows = await aftersale_store.oversold_alerts(db, connections, include_dismissed)
    return [OversoldAlert(**r) for r in rows]


@router.post(
    "/oversold/{tiktok_order_id}/dismiss",
    status_code=204,
    responses={404: {"description": "No such alert"}},
)
async def dismiss(tiktok_order_id: str, db: Db, caller: CallerDep) -> None:
    """Hide an alert from the banner."""
    if not await aftersale_store.dismiss_oversold(db, tiktok_order_id, owned_ids(caller, None)):
        raise HTTPException(404, f"no oversold alert for order {tiktok_order_id}")


class AddressChangeAlert(BaseModel):
    """'The buyer changed the shipping address on TikTok Shop after fulfilment' and the like."""

    tiktok_order_id: str
    connection_id: str
    shopify_order_name: str | None
    address_notice: str
    address_changed_at: datetime


@router.get("/address-changes", response_model=list[AddressChangeAlert])
async def address_changes(
    db: Db, caller: CallerDep, connection_id: str | None = None
) -> list[AddressChangeAlert]:
    """Orders whose buyer changed the address on TikTok in a way the merchant must handle."""
    rows = await aftersale_store.address_notices(db, owned_ids(caller, connection_id))
    return [AddressChangeAlert(**r) for r in rows]
