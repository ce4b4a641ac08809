"""Is any order stuck, and why: paid orders not in Shopify, with their reason in merchant words."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from connector_runtime.db import Connection
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from order_relay import metrics, stuck_store
from order_relay.api.deps import Db, Settings
from order_relay.core.stuck import StuckOrder, StuckReason, stuck_order
from order_relay.settings import OrderRelaySettings

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])


class StuckOrderView(BaseModel):
    """A paid TikTok order that is not in Shopify."""

    tiktok_order_id: str
    connection_id: str
    reason: StuckReason = Field(
        description="retrying, failed (the merchant must act), not_relayed, waiting (for a"
        " platform: the store's API budget, an outage)."
    )
    since: datetime = Field(description="When the order entered this state.")
    attempts: int = Field(description="Attempts to create it in Shopify so far.")
    last_error: str = Field(description="What went wrong, in the merchant's words.")


class StuckOrders(BaseModel):
    """The connection's stuck orders, oldest first, and how many per reason."""

    orders: list[StuckOrderView]
    counts: dict[str, int]


@router.get("/stuck", summary="Paid orders not in Shopify, and why.")
async def get_stuck_orders(
    db: Db,
    settings: Settings,
    connection_id: Annotated[str, Query(min_length=1, max_length=128)],
) -> StuckOrders:
    """Every paid order of the connection still not in Shopify, with its reason."""
    stuck = await find_stuck(db, settings, connection_id)
    counts = Counter(o.reason.value for o in stuck)
    return StuckOrders(
        orders=[StuckOrderView(**vars(o)) for o in stuck],
        counts={r.value: counts.get(r.value, 0) for r in StuckReason},
    )


async def find_stuck(
    db: Connection, settings: OrderRelaySettings, connection_id: str | None
) -> list[StuckOrder]:
    """Stuck orders of one connection (None: all of them)."""
    now = datetime.now(UTC)
    after = timedelta(seconds=settings.order_stuck_after_seconds)
    standings = await stuck_store.relay_standings(db, connection_id)
    found = (stuck_order(s, now=now, stuck_after=after) for s in standings)
    return [o for o in found if o is not None]


async def export_stuck_orders(runtime: Any) -> None:
    """Set the stuck-orders gauge by reason, over every connection (a periodic job)."""
    async with runtime.pool.acquire() as conn:
        stuck = await find_stuck(conn, runtime.settings, None)
    counts = Counter(o.reason for o in stuck)
    for reason in StuckReason:
        metrics.ORDERS_STUCK.labels(reason.value).set(counts.get(reason, 0))
