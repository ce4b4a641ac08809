"""Is any order stuck, and why: paid orders not in Shopify, with their reason in merchant words,
their region, and how many per reason in each region."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from connector_runtime.db import Connection
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from order_relay import metrics, stuck_store
from order_relay.api.deps import Db, Settings, region_filter
from order_relay.core.stuck import (
    StuckOrder,
    StuckReason,
    count_by_reason,
    count_by_region,
    stuck_order,
)
from order_relay.settings import OrderRelaySettings

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])


class StuckOrderView(BaseModel):
    """A paid TikTok order that is not in Shopify."""

    tiktok_order_id: str
    connection_id: str
    tiktok_shop_id: str = Field(description="The TikTok shop (region) it was placed in.")
    region: str | None = Field(
        description="That shop's market, e.g. `DE` (null when the connection is no longer known)."
    )
    reason: StuckReason = Field(
        description="retrying, failed (the merchant must act), not_relayed, waiting (for a"
        " platform: the store's API budget, an outage)."
    )
    since: datetime = Field(description="When the order entered this state.")
    attempts: int = Field(description="Attempts to create it in Shopify so far.")
    last_error: str = Field(description="What went wrong, in the merchant's words.")


class StuckOrders(BaseModel):
    """The stuck orders of a connection (or of one of its regions), oldest first, and how many
    per reason, in all and per region."""

    orders: list[StuckOrderView]
    counts: dict[str, int] = Field(description="Stuck orders per reason.")
    counts_by_region: dict[str, dict[str, int]] = Field(
        description="Stuck orders per reason in each region (market) of the connection, zeros"
        " included; only the selected one when `region` is given."
    )


@router.get(
    "/stuck",
    summary="Paid orders not in Shopify, and why.",
    responses={404: {"description": "The connection has no shop in that region"}},
)
async def get_stuck_orders(
    db: Db,
    settings: Settings,
    connection_id: Annotated[str, Query(min_length=1, max_length=128)],
    region: Annotated[str | None, Query(description="A market of the connection, e.g. DE.")] = None,
) -> StuckOrders:
    """Every paid order of the connection (of one region with `region`, else of every region)
    still not in Shopify, with its reason."""
    shop_id = await region_filter(db, connection_id, region)
    stuck = await find_stuck(db, settings, connection_id, shop_id)
    regions = (
        [region.upper()] if region else await stuck_store.connection_regions(db, connection_id)
    )
    return StuckOrders(
        orders=[StuckOrderView(**vars(o)) for o in stuck],
        counts=count_by_reason(stuck),
        counts_by_region=count_by_region(stuck, regions),
    )


async def find_stuck(
    db: Connection,
    settings: OrderRelaySettings,
    connection_id: str | None,
    shop_id: str | None = None,
) -> list[StuckOrder]:
    """Stuck orders of one connection (None: all of them), of one shop (None: every region)."""
    now = datetime.now(UTC)
    after = timedelta(seconds=settings.order_stuck_after_seconds)
    standings = await stuck_store.relay_standings(db, connection_id, shop_id)
    found = (stuck_order(s, now=now, stuck_after=after) for s in standings)
    return [o for o in found if o is not None]


async def export_stuck_orders(runtime: Any) -> None:
    """Set the stuck-orders gauge by reason and region, over every connection (a periodic job).
    A region exported before and now without stuck orders is set to zero, not left stale."""
    async with runtime.pool.acquire() as conn:
        stuck = await find_stuck(conn, runtime.settings, None)
    exported = {
        sample.labels["region"]
        for family in metrics.ORDERS_STUCK.collect()
        for sample in family.samples
    }
    for region, counts in count_by_region(stuck, exported).items():
        for reason, count in counts.items():
            metrics.ORDERS_STUCK.labels(reason, region).set(count)
