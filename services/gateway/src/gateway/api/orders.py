"""The orders read model: what the merchant sees of TikTok orders."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from gateway.api.deps import Db
from gateway.store import list_orders

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])


class OrderView(BaseModel):
    """One TikTok order as the connector knows it."""

    tiktok_order_id: str
    connection_id: str
    status: str
    status_updated_at: datetime
    paid: bool
    paid_at: datetime | None
    paid_events: int


class OrderPage(BaseModel):
    """A page of orders with counts per state."""

    orders: list[OrderView]
    counts: dict[str, int]


@router.get("", response_model=OrderPage)
async def get_orders(
    db: Db,
    connection_id: str | None = None,
    state: Literal["paid", "unpaid", "cancelled"] | None = None,
    tiktok_order_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """List orders, newest status first, filterable by connection, state and TikTok order id."""
    rows, counts = await list_orders(
        db,
        connection_id=connection_id,
        state=state,
        tiktok_order_id=tiktok_order_id,
        limit=limit,
        offset=offset,
    )
    return OrderPage(orders=[OrderView(**r) for r in rows], counts=counts)


@router.get(
    "/{tiktok_order_id}",
    response_model=OrderView,
    responses={404: {"description": "Unknown order"}},
)
async def get_order(tiktok_order_id: str, db: Db) -> OrderView:
    """One order by its TikTok order id."""
    rows, _ = await list_orders(
        db, connection_id=None, state=None, tiktok_order_id=tiktok_order_id, limit=1, offset=0
    )
    if not rows:
        raise HTTPException(404, f"no order {tiktok_order_id}")
    return OrderView(**rows[0])
