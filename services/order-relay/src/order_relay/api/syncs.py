"""'Sync missed orders': a task that finds AWAITING_SHIPMENT orders in a window and relays them."""

from datetime import datetime, timedelta
from typing import Self
from uuid import uuid4

from connector_connections import UnknownRegion, region_scope
from connector_connections.caller import CallerDep, require_owned
from fastapi import APIRouter, HTTPException
from pydantic import AwareDatetime, BaseModel, Field, model_validator

from order_relay import sync_store
from order_relay.api.deps import Db, Settings

router = APIRouter(prefix="/api/v1/order-syncs", tags=["missed orders"])

MAX_WINDOW = timedelta(days=30)


class NewSync(BaseModel):
    """The window of TikTok order creation times to search."""

    connection_id: str = Field(min_length=1)
    region: str | None = Field(
        default=None, description="The market to search, e.g. `DE` (default: the default region)."
    )
    created_from: AwareDatetime
    created_to: AwareDatetime

    @model_validator(mode="after")
    def _window(self) -> Self:
        if self.created_to <= self.created_from:
            raise ValueError("created_to must be after created_from")
        if self.created_to - self.created_from > MAX_WINDOW:
            raise ValueError("the window is at most 30 days")
        return self


class SyncTask(BaseModel):
    """A missed-order sync and its progress."""

    task_id: str
    connection_id: str
    window_start: datetime
    window_end: datetime
    status: str = Field(description="queued, running, completed or error.")
    found: int = Field(description="AWAITING_SHIPMENT orders found in the window.")
    queued: int = Field(description="Orders sent to the relay so far.")
    already_synced: int = Field(description="Orders already in Shopify (or deliberately not).")
    error: str | None
    tiktok_shop_id: str | None = Field(description="The region's TikTok shop searched.")
    created_at: datetime
    updated_at: datetime


@router.post(
    "",
    status_code=202,
    response_model=SyncTask,
    responses={404: {"description": "The connection has no shop in that region"}},
)
async def start_sync(body: NewSync, db: Db, settings: Settings, caller: CallerDep) -> SyncTask:
    """Start syncing the missed orders of a window in one region (only AWAITING_SHIPMENT
    orders qualify)."""
    require_owned(caller, body.connection_id)
    try:
        shop_id = await region_scope(db, body.connection_id, body.region)
    except UnknownRegion as exc:
        raise HTTPException(404, str(exc)) from exc
    task = await sync_store.create_task(
        db,
        settings,
        f"sync_{uuid4().hex[:12]}",
        body.connection_id,
        (body.created_from, body.created_to),
        shop_id,
    )
    return SyncTask(**task.__dict__)


@router.get("/{task_id}", response_model=SyncTask, responses={404: {"description": "Unknown task"}})
async def get_sync(task_id: str, db: Db, caller: CallerDep) -> SyncTask:
    """A task's progress."""
    task = await sync_store.get_task(db, task_id)
    if task is None or not caller.owns(task.connection_id):
        raise HTTPException(404, f"no task {task_id}")
    return SyncTask(**task.__dict__)
