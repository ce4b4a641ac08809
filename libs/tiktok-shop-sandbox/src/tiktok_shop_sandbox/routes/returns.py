"""Return & refund API: cancellations and returns (reference A6 Cancellations and returns)."""

from collections.abc import Iterable
from typing import TypeVar

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.order_flow import (
    RETURN_REJECTIONS,
    SHIPPED_STATUSES,
    next_return_status,
    set_cancellation_status,
    set_return_status,
)
from tiktok_shop_sandbox.paging import in_window, page, page_size_of
from tiktok_shop_sandbox.seller_returns import create_return
from tiktok_shop_sandbox.state import Cancellation, JsonDict, Return
from tiktok_shop_sandbox.views import cancellation_view, return_view
from tiktok_shop_sandbox.world import now

router = APIRouter()


def _listed(body: JsonDict, key: str, value: str) -> bool:
    wanted = body.get(key)
    return not wanted or value in wanted


def _cancellation(call: ShopCall, cancel_id: str) -> Cancellation:
    record = call.sandbox.world.cancellations.get(cancel_id)
    if record is None or record.shop_id != call.shop.id:
        raise PlatformError(25007006, "Order not found.")
    if record.status != "CANCELLATION_REQUEST_PENDING":
        raise PlatformError(25001003, "Invalid order status.")
    return record


R = TypeVar("R", Cancellation, Return)


def _search(
    call: ShopCall, records: Iterable[R], filters: dict[str, str], low: int
) -> tuple[list[R], str, int]:
    """Filter (body key -> record attribute), time-window, sort ASC by default, paginate."""
    body = call.json()
    size = page_size_of(call.query.get("page_size"), low, 50, 10)
    found = [
        r
        for r in records
        if r.shop_id == call.shop.id
        and all(_listed(body, key, getattr(r, attr)) for key, attr in filters.items())
        and in_window(r.create_time, body, "create_time")
        and in_window(r.update_time, body, "update_time")
    ]
    found.sort(key=lambda r: (r.create_time, r.id), reverse=call.query.get("sort_order") == "DESC")
    items, token = page(found, size, call.query.get("page_token"))
    return items, token, len(found)


@router.post("/return_refund/202309/cancellations/search")
async def search_cancellations(call: ShopCallDep) -> JSONResponse:
    """Search Cancellations (create_time ASC by default)."""
    world = call.sandbox.world
    filters = {
        "cancel_ids": "id",
        "order_ids": "order_id",
        "cancel_status": "status",
        "cancel_types": "cancel_type",
    }
    items, token, total = _search(call, world.cancellations.values(), filters, 1)
    views = [cancellation_view(c, world.orders[c.order_id]) for c in items]
    return ok({"cancellations": views, "next_page_token": token, "total_count": total})


@router.post("/return_refund/202309/cancellations/{cancel_id}/approve")
async def approve_cancellation(cancel_id: str, call: ShopCallDep) -> JSONResponse:
    """Approve a buyer's cancellation: the lines (or whole order) are cancelled."""
    record = _cancellation(call, cancel_id)
    set_cancellation_status(call.sandbox, call.shop, record, "CANCELLATION_REQUEST_SUCCESS")
    return ok({})


@router.post("/return_refund/202309/cancellations/{cancel_id}/reject")
async def reject_cancellation(cancel_id: str, call: ShopCallDep) -> JSONResponse:
    """Reject a buyer's cancellation; `reject_reason` is required."""
    record = _cancellation(call, cancel_id)
    if not call.json().get("reject_reason"):
        raise PlatformError(25001001, "An invalid request parameter was passed: reject_reason.")
    set_cancellation_status(call.sandbox, call.shop, record, "CANCELLATION_REQUEST_CANCEL")
    return ok({})


@router.post("/return_refund/202309/cancellations")
async def cancel_order(call: ShopCallDep) -> JSONResponse:
    """Seller cancels an order (or some lines) before it ships."""
    body = call.json()
    world = call.sandbox.world
    order = world.shop_order(call.shop, str(body.get("order_id", "")))
    if not body.get("cancel_reason"):
        raise PlatformError(25001001, "An invalid request parameter was passed: cancel_reason.")
    if order.status in {"COMPLETED", "CANCELLED"}:
        raise PlatformError(
            25001051, "Not allowed to return or cancel since order is completed or cancelled"
        )
    if order.status in SHIPPED_STATUSES or order.status == "PARTIALLY_SHIPPING":
        raise PlatformError(
            25001045, "The order has already been shipped and we are unable to cancel shipment."
        )
    if any(
        c.order_id == order.id and c.status == "CANCELLATION_REQUEST_PENDING"
        for c in world.cancellations.values()
    ):
        raise PlatformError(25001011, "A return request is already in process.")
    live = [line.id for line in order.line_items if not line.cancelled]
    line_ids = [str(i) for i in body.get("order_line_item_ids") or live]
    if any(i not in live for i in line_ids):
        raise PlatformError(25005011, "The requested line item(s) exceed the allowable quantity.")
    record = Cancellation(
        world.ids.next(),
        order.id,
        call.shop.id,
        "CANCELLATION_REQUEST_PENDING",
        "SELLER",
        "CANCEL",
        str(body["cancel_reason"]),
        line_ids,
        now(),
        now(),
    )
    world.cancellations[record.id] = record
    set_cancellation_status(call.sandbox, call.shop, record, "CANCELLATION_REQUEST_SUCCESS")
    return ok({"cancel_id": record.id, "cancel_status": record.status})


def _return(call: ShopCall, return_id: str) -> Return:
    record = call.sandbox.world.returns.get(return_id)
    if record is None or record.shop_id != call.shop.id:
        raise PlatformError(25007006, "Order not found.")
    return record


@router.post("/return_refund/202309/returns")
async def create_seller_return(call: ShopCallDep) -> JSONResponse:
    """Create Return: the seller refunds on the buyer's behalf (approved sellers only)."""
    record = create_return(call.sandbox, call.shop, call.json(), call.query.get("idempotency_key"))
    return ok({"return_id": record.id, "return_status": record.status})


@router.post("/return_refund/202309/returns/search")
async def search_returns(call: ShopCallDep) -> JSONResponse:
    """Search Returns (page size 10-50)."""
    world = call.sandbox.world
    filters = {
        "return_ids": "id",
        "order_ids": "order_id",
        "return_status": "status",
        "return_types": "return_type",
    }
    items, token, total = _search(call, world.returns.values(), filters, 10)
    views = [return_view(r, world.orders[r.order_id]) for r in items]
    return ok({"return_orders": views, "next_page_token": token, "total_count": total})


@router.post("/return_refund/202309/returns/{return_id}/approve")
async def approve_return(return_id: str, call: ShopCallDep) -> JSONResponse:
    """Approve a return with a decision valid for its type and status."""
    record = _return(call, return_id)
    decision = str(call.json().get("decision", ""))
    status = next_return_status(record, decision)
    record.decision = decision
    set_return_status(call.sandbox, call.shop, record, status)
    return ok({})


@router.post("/return_refund/202309/returns/{return_id}/reject")
async def reject_return(return_id: str, call: ShopCallDep) -> JSONResponse:
    """Reject a return; `reject_reason` is required."""
    record = _return(call, return_id)
    body = call.json()
    if not body.get("reject_reason"):
        raise PlatformError(25001001, "An invalid request parameter was passed: reject_reason.")
    if record.status not in RETURN_REJECTIONS:
        raise PlatformError(25011011, "reverse status cannot reject application")
    record.decision = str(body.get("decision", ""))
    set_return_status(call.sandbox, call.shop, record, RETURN_REJECTIONS[record.status])
    return ok({})
