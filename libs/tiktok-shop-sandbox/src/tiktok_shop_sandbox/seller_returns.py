"""Create Return (reference return-and-refund/create-return.json): a seller refunds on the
buyer's behalf, e.g. after a return handled by a third-party returns app (Loop). TikTok allows it
only to sellers it approved for it; the sandbox's shops are not, until the control plane says so."""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.order_flow import RETURN_REJECTIONS, SHIPPED_STATUSES, set_return_status
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import JsonDict, Order, Return, Shop
from tiktok_shop_sandbox.world import now

SELLER_RETURN_TYPES = {"REFUND", "RETURN_AND_REFUND"}
_ENDED = {*RETURN_REJECTIONS.values(), "RETURN_OR_REFUND_REQUEST_CANCEL"}


def create_return(sandbox: Sandbox, shop: Shop, body: JsonDict, key: str | None) -> Return:
    """A seller-created return, PENDING like TikTok answers (an idempotency key seen before
    gives the first return again)."""
    world = sandbox.world
    if key and key in world.return_keys:
        return world.returns[world.return_keys[key]]
    if shop.id not in world.return_api_shops:
        raise PlatformError(25020005, "No permission to process this order")
    order = world.orders.get(str(body.get("order_id") or ""))
    if order is None or order.shop_id != shop.id:
        raise PlatformError(25007006, "Order not found.")
    lines = _lines(world.returns.values(), order, body)
    record = Return(
        world.ids.next(),
        order.id,
        shop.id,
        str(body["return_type"]),
        "RETURN_OR_REFUND_REQUEST_PENDING",
        "SELLER",
        str(body["return_reason"]),
        lines,
        now(),
        now(),
    )
    world.returns[record.id] = record
    if key:
        world.return_keys[key] = record.id
    set_return_status(sandbox, shop, record, record.status)
    return record


def _lines(returns: Iterable[Return], order: Order, body: JsonDict) -> list[str]:
    if order.status not in SHIPPED_STATUSES:
        raise PlatformError(25001003, "Invalid order status.")
    if body.get("return_type") not in SELLER_RETURN_TYPES:
        raise PlatformError(25001001, "An invalid request parameter was passed: return_type.")
    if not str(body.get("return_reason") or "").startswith("ecom_order_"):
        raise PlatformError(
            25001014, "Unknown return reason. Please ensure you are passing a valid return reason."
        )
    live = {line.id: line for line in order.line_items if not line.cancelled}
    wanted = [str(i) for i in body.get("order_line_item_ids") or live]
    if not wanted or any(i not in live for i in wanted):
        raise PlatformError(
            25001001, "An invalid request parameter was passed: order_line_item_ids."
        )
    taken = {
        line
        for r in returns
        if r.order_id == order.id and r.status not in _ENDED
        for line in r.line_item_ids
    }
    if taken & set(wanted):
        raise PlatformError(
            25001011,
            "A return request is already in process, or the order has already been cancelled.",
        )
    _check_total(body, sum((live[i].sale_price for i in wanted), Decimal(0)))
    return wanted


def _check_total(body: JsonDict, refundable: Decimal) -> None:
    if body.get("refund_total") in (None, ""):
        return
    try:
        total = Decimal(str(body["refund_total"]))
    except InvalidOperation as exc:
        raise PlatformError(
            25001001, "An invalid request parameter was passed: refund_total."
        ) from exc
    if total > refundable:
        raise PlatformError(25005005, "Refund total amount is larger than the refundable amount.")
