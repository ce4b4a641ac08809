"""Orders as the merchant sees them: list with filters and counts, detail with history, retry."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from connector_connections.caller import CallerDep, owned_ids
from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from order_relay import store
from order_relay.api.deps import Db, region_filter

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])

View = Literal["fulfilled", "unfulfilled", "unsynced", "cancelled", "unpaid", "pending_invoice"]

# The merchant's tabs (Silk "Orders": fulfilled, unfulfilled, unsynced, cancelled), plus unpaid
# and the Brazil orders with a pending invoice.
FILTERS: dict[str, str] = {
    "fulfilled": "relay_state = 'relayed' AND fulfillment_status = 'fulfilled'",
    "unfulfilled": "relay_state = 'relayed' AND fulfillment_status <> 'fulfilled'",
    "unsynced": "relay_state IN ('pending', 'failed', 'skipped')",
    "cancelled": "(relay_state = 'cancelled' OR status = 'CANCELLED')",
    "unpaid": "relay_state = 'none' AND NOT paid AND status <> 'CANCELLED'",
    # Brazil, "Show Pending Invoice": a package still needs an invoice (or a new one).
    "pending_invoice": "tiktok_order_id IN (SELECT tiktok_order_id FROM invoices"
    " WHERE status IN ('NEED_INVOICE', 'FAILED'))",
}

_COLUMNS = (
    "tiktok_order_id, connection_id, tiktok_shop_id, status, tiktok_updated_at, paid, relay_state,"
    " paid_source, shopify_order_id, shopify_order_name, held, relay_attempts, found_existing,"
    " failure_code, failure_reason, next_retry_at, fulfillment_status, fulfillment_error,"
    " cancel_initiator, cancelled_at, total, currency, relayed_at, updated_at,"
    " address_notice, address_changed_at"
)


class OrderView(BaseModel):
    """One TikTok order and where it stands in Shopify."""

    tiktok_order_id: str
    connection_id: str
    tiktok_shop_id: str = Field(description="The TikTok shop (region) it was placed in.")
    status: str = Field(description="TikTok status (API spelling).")
    tiktok_updated_at: datetime
    paid: bool
    relay_state: str = Field(description="none, pending, relayed, failed, skipped, cancelled.")
    paid_source: str | None = Field(description="webhook, sweep or missed-sync.")
    shopify_order_id: str | None = Field(description="Blank until the order is in Shopify.")
    shopify_order_name: str | None
    held: bool = Field(description="Fulfilment held in Shopify for the grace period.")
    relay_attempts: int
    found_existing: bool
    failure_code: str | None
    failure_reason: str | None = Field(description="Why the order is not in Shopify.")
    next_retry_at: datetime | None
    fulfillment_status: str
    fulfillment_error: str | None
    cancel_initiator: str | None
    cancelled_at: datetime | None
    total: Decimal | None
    currency: str | None
    relayed_at: datetime | None
    updated_at: datetime
    address_notice: str | None = Field(
        default=None,
        description="A buyer's address change on TikTok the merchant must know about (e.g. "
        "after fulfilment, when the parcel may go to the old address).",
    )
    address_changed_at: datetime | None = None


class HistoryEntry(BaseModel):
    """One thing that happened to an order."""

    at: datetime
    kind: str
    message: str


class OrderDetail(OrderView):
    """An order with its history (relay attempts, retries, shipments, cancellations)."""

    history: list[HistoryEntry]


class OrderPage(BaseModel):
    """A page of orders with the counts per tab."""

    orders: list[OrderView]
    counts: dict[str, int]


@router.get(
    "",
    response_model=OrderPage,
    responses={
        400: {"description": "A region without a connection"},
        404: {"description": "The connection has no shop in that region"},
    },
)
async def list_orders(
    db: Db,
    caller: CallerDep,
    connection_id: str | None = None,
    region: Annotated[str | None, Query(description="A market of the connection, e.g. DE.")] = None,
    state: View | None = None,
    tiktok_order_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> OrderPage:
    """List orders (newest TikTok update first), by connection (every connection of the caller's
    account without one), region (every region of the connection without one), tab and TikTok
    order id; the counts are the region's."""
    shop_id = await region_filter(db, connection_id, region)
    connections = owned_ids(caller, connection_id)
    scope = "connection_id = ANY($1::text[]) AND ($5::text IS NULL OR tiktok_shop_id = $5)"
    where = [scope, "($2::text IS NULL OR tiktok_order_id = $2)"] + (
        [FILTERS[state]] if state else []
    )
    counts_sql = ", ".join(
        f"count(*) FILTER (WHERE {sql}) AS {name}" for name, sql in FILTERS.items()
    )
    # The page and the tab counts from one snapshot, so they agree (ADR 1031).
    async with db.transaction(isolation="repeatable_read", readonly=True):
        rows = await db.fetch(
            f"SELECT {_COLUMNS} FROM orders WHERE {' AND '.join(where)}"
            " ORDER BY tiktok_updated_at DESC, tiktok_order_id LIMIT $3 OFFSET $4",
            connections,
            tiktok_order_id,
            limit,
            offset,
            shop_id,
        )
        counts = await db.fetchrow(
            f"SELECT count(*) AS total, {counts_sql} FROM orders"
            " WHERE connection_id = ANY($1::text[]) AND ($2::text IS NULL OR tiktok_shop_id = $2)",
            connections,
            shop_id,
        )
    return OrderPage(orders=[OrderView(**dict(r)) for r in rows], counts=dict(counts or {}))


@router.get(
    "/{tiktok_order_id}",
    response_model=OrderDetail,
    responses={404: {"description": "Unknown order"}},
)
async def get_order(tiktok_order_id: str, db: Db, caller: CallerDep) -> OrderDetail:
    """One order by its TikTok order id, with its history."""
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM orders WHERE tiktok_order_id = $1", tiktok_order_id
    )
    if row is None or not caller.owns(row["connection_id"]):
        raise HTTPException(404, f"no order {tiktok_order_id}")
    history = await db.fetch(
        "SELECT at, kind, message FROM order_history WHERE tiktok_order_id = $1 ORDER BY id",
        tiktok_order_id,
    )
    return OrderDetail(**dict(row), history=[HistoryEntry(**dict(h)) for h in history])


@router.post(
    "/{tiktok_order_id}/retry",
    status_code=202,
    response_model=OrderView,
    responses={404: {"description": "Unknown order"}, 409: {"description": "Nothing to retry"}},
)
async def retry_order(tiktok_order_id: str, db: Db, caller: CallerDep) -> OrderView:
    """Relay a failed order again now."""
    async with db.transaction():
        row = await db.fetchrow(
            f"SELECT {_COLUMNS} FROM orders WHERE tiktok_order_id = $1 FOR UPDATE", tiktok_order_id
        )
        if row is None or not caller.owns(row["connection_id"]):
            raise HTTPException(404, f"no order {tiktok_order_id}")
        if row["relay_state"] not in ("failed", "pending"):
            raise HTTPException(409, f"order {tiktok_order_id} is {row['relay_state']}, not failed")
        attempt = int(row["relay_attempts"]) + 1
        now = datetime.now(UTC)
        await store.schedule_retry(db, tiktok_order_id, row["connection_id"], now, attempt)
        await store.add_history(db, tiktok_order_id, "retry", "Retry requested by the merchant.")
    return OrderView(**dict(row))
