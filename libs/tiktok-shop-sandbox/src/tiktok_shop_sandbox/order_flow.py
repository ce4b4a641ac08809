"""Order lifecycle: status changes with their webhooks, shipping, cancellations, returns.

Webhooks spell the cancelled order status `CANCEL` and the withdrawn cancellation status
`CANCELLATION_REQUEST_CANCELLED`, unlike the API (reference A8, D1).
"""

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Cancellation, Order, Package, Return, Shop
from tiktok_shop_sandbox.world import now

SHIPPED_STATUSES = {"AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"}
FINAL_STATUSES = {"COMPLETED", "CANCELLED"}
_WEBHOOK_ORDER_STATUS = {"CANCELLED": "CANCEL"}
_WEBHOOK_CANCEL_STATUS = {"CANCELLATION_REQUEST_CANCEL": "CANCELLATION_REQUEST_CANCELLED"}
_LINE_STATUS = {"PARTIALLY_SHIPPING": "AWAITING_SHIPMENT"}


def move_stock(sandbox: Sandbox, order: Order, per_line: int) -> None:
    """Move the ordered SKUs' TikTok stock (one unit per line): -1 when sold, +1 when the order
    is cancelled, in the SKU's first warehouse; never below 0."""
    skus = {
        s.id: s
        for p in sandbox.world.products.values()
        if p.shop_id == order.shop_id
        for s in p.skus
    }
    for line in order.line_items:
        sku = skus.get(line.sku_id)
        if sku is not None and sku.inventory:
            warehouse = next(iter(sku.inventory))
            sku.inventory[warehouse] = max(0, sku.inventory[warehouse] + per_line)


def set_order_status(sandbox: Sandbox, shop: Shop, order: Order, status: str) -> None:
    """Move an order to `status`, keep its lines/packages consistent, send webhook 1."""
    timestamp = now()
    if order.paid_time is None and status not in {"UNPAID", "CANCELLED"}:
        order.paid_time = timestamp
    order.status = status
    order.is_on_hold = status == "ON_HOLD" or (order.is_on_hold and status == "UNPAID")
    order.update_time = timestamp
    for line in order.line_items:
        if not line.cancelled:
            line.display_status = _LINE_STATUS.get(status, status)
    if status in {"DELIVERED", "COMPLETED"}:
        for package in order.packages:
            package.status = "COMPLETED"
    if status == "CANCELLED":
        for package in order.packages:
            package.status = "CANCELLED"
        move_stock(sandbox, order, +1)  # TikTok puts a cancelled order's units back
    if status == "PARTIALLY_SHIPPING":
        # The webhook's status list has no PARTIALLY_SHIPPING (reference A6 Orders): API only.
        return
    sandbox.notify(
        shop,
        1,
        {
            "order_id": order.id,
            "order_status": _WEBHOOK_ORDER_STATUS.get(status, status),
            "is_on_hold_order": order.is_on_hold,
            "update_time": timestamp,
        },
    )


def after_package_shipped(sandbox: Sandbox, shop: Shop, order: Order, status: str) -> None:
    """Advance the order once a package ships: all shipped -> `status`, else PARTIALLY_SHIPPING."""
    live = [p for p in order.packages if p.status != "CANCELLED"]
    if all(p.status != "PROCESSING" for p in live):
        set_order_status(sandbox, shop, order, status)
    elif order.status != "PARTIALLY_SHIPPING":
        set_order_status(sandbox, shop, order, "PARTIALLY_SHIPPING")


def check_shippable(order: Order, package: Package) -> None:
    """Refuse to ship what the platform would refuse to ship."""
    if package.status != "PROCESSING":
        raise PlatformError(
            11006021, "Package has been shipped. Please not ship the package again."
        )
    if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
        raise PlatformError(11001002, "invalid param. FBT packages are shipped by TikTok.")
    if order.status not in {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"}:
        raise PlatformError(
            11001002, f"invalid param. Orders in status {order.status} cannot be shipped."
        )


def notify_package_split(sandbox: Sandbox, shop: Shop, order: Order) -> None:
    """Webhook 4 after the order's packages were split."""
    sandbox.notify(
        shop,
        4,
        {
            "sc_type": "SPLIT",
            "role_type": "SELLER",
            "package_list": [
                {"package_id": p.id, "order_id_list": [order.id]} for p in order.packages
            ],
            "update_time": now(),
        },
    )


def set_cancellation_status(
    sandbox: Sandbox, shop: Shop, cancellation: Cancellation, status: str
) -> None:
    """Move a cancellation to `status` (cancelling the order on success), send webhook 11."""
    cancellation.status = status
    cancellation.update_time = now()
    order = sandbox.world.orders[cancellation.order_id]
    if status == "CANCELLATION_REQUEST_SUCCESS":
        cancel_lines(sandbox, shop, order, cancellation)
    sandbox.notify(
        shop,
        11,
        {
            "order_id": order.id,
            "cancellations_role": cancellation.role,
            "cancel_status": _WEBHOOK_CANCEL_STATUS.get(status, status),
            "cancel_id": cancellation.id,
            "create_time": cancellation.create_time,
        },
    )


def cancel_lines(sandbox: Sandbox, shop: Shop, order: Order, cancellation: Cancellation) -> None:
    """Cancel the cancellation's lines; cancel the order when no live line remains."""
    for line in order.line_items:
        if line.id in cancellation.line_item_ids:
            line.cancelled = True
    order.cancel_reason = cancellation.reason
    order.cancellation_initiator = cancellation.role
    if all(line.cancelled for line in order.line_items):
        set_order_status(sandbox, shop, order, "CANCELLED")
    else:
        order.update_time = now()


def set_return_status(sandbox: Sandbox, shop: Shop, record: Return, status: str) -> None:
    """Move a return to `status`, send webhook 12."""
    record.status = status
    record.update_time = now()
    sandbox.notify(
        shop,
        12,
        {
            "order_id": record.order_id,
            "return_role": record.role,
            "return_type": record.return_type,
            "return_status": status,
            "return_id": record.id,
            "create_time": record.create_time,
            "update_time": record.update_time,
        },
    )


# Approve decisions accepted per (return_type, current status) -> next status (reference A6).
RETURN_APPROVALS = {
    ("REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", "APPROVE_REFUND"): (
        "RETURN_OR_REFUND_REQUEST_SUCCESS"
    ),
    ("RETURN_AND_REFUND", "RETURN_OR_REFUND_REQUEST_PENDING", "APPROVE_RETURN"): (
        "AWAITING_BUYER_SHIP"
    ),
    ("RETURN_AND_REFUND", "BUYER_SHIPPED_ITEM", "APPROVE_RECEIVED_PACKAGE"): (
        "RETURN_OR_REFUND_REQUEST_SUCCESS"
    ),
    ("REPLACEMENT", "REPLACEMENT_REQUEST_PENDING", "APPROVE_REPLACEMENT"): (
        "REPLACEMENT_REQUEST_COMPLETE"
    ),
}
RETURN_REJECTIONS = {
    "RETURN_OR_REFUND_REQUEST_PENDING": "REFUND_OR_RETURN_REQUEST_REJECT",
    "BUYER_SHIPPED_ITEM": "REJECT_RECEIVE_PACKAGE",
    "REPLACEMENT_REQUEST_PENDING": "REPLACEMENT_REQUEST_REJECT",
}


def next_return_status(record: Return, decision: str) -> str:
    """The status an approve decision leads to, or the platform's refusal."""
    key = (record.return_type, record.status, decision)
    if key in RETURN_APPROVALS:
        return RETURN_APPROVALS[key]
    if any(k[0] == record.return_type and k[2] == decision for k in RETURN_APPROVALS):
        raise PlatformError(25020003, "decision not match reverse status")
    raise PlatformError(25020004, "decision not match reverse type")
