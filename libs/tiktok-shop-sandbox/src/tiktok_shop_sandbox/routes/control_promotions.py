"""Control plane for promotions: a shop's promotion clock and its activities."""

from fastapi import APIRouter, Request
from pydantic import BaseModel

from tiktok_shop_sandbox.gate import sandbox_of
from tiktok_shop_sandbox.promotion_clock import notify_status_changes, promotion_now, status_at
from tiktok_shop_sandbox.state import JsonDict

router = APIRouter(prefix="/_sandbox")


class ClockMove(BaseModel):
    """Move the promotion clock forward by `advance_seconds` (never backwards)."""

    advance_seconds: int = 0


@router.get("/shops/{shop_id}/clock")
async def get_clock(shop_id: str, request: Request) -> JsonDict:
    """The shop's promotion clock: `now` (Unix seconds) and its offset from the wall clock."""
    world = sandbox_of(request).world
    offset = world.promotion_clock_offsets.get(shop_id, 0)
    return {"now": promotion_now(world, shop_id), "offset_seconds": offset}


@router.post("/shops/{shop_id}/clock")
async def move_clock(shop_id: str, move: ClockMove, request: Request) -> JsonDict:
    """Advance the shop's promotion clock; activities changing state on the way send webhook
    39."""
    sandbox = sandbox_of(request)
    offsets = sandbox.world.promotion_clock_offsets
    offsets[shop_id] = offsets.get(shop_id, 0) + max(0, move.advance_seconds)
    notified = notify_status_changes(sandbox)
    return await get_clock(shop_id, request) | {"notified": notified}


@router.get("/shops/{shop_id}/activities")
async def shop_activities(shop_id: str, request: Request) -> list[JsonDict]:
    """Every activity of a shop with its status on the promotion clock."""
    sandbox = sandbox_of(request)
    current = promotion_now(sandbox.world, shop_id)
    return [
        {
            "activity_id": a.id,
            "title": a.title,
            "status": status_at(a, current),
            "begin_time": a.begin_time,
            "end_time": a.end_time,
            "products": list(a.products.values()),
        }
        for a in sandbox.world.activities.values()
        if a.shop_id == shop_id
    ]
