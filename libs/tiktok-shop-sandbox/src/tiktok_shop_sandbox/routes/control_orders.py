"""Control plane for buyers and the platform: place orders, move them, cancel, return, audit."""

from decimal import Decimal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from tiktok_shop_sandbox.audit import finish_audit
from tiktok_shop_sandbox.gate import sandbox_of
from tiktok_shop_sandbox.order_factory import LineSpec, build_order
from tiktok_shop_sandbox.order_flow import (
    move_stock,
    set_cancellation_status,
    set_order_status,
    set_return_status,
)
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Cancellation, JsonDict, Order, Package, Return
from tiktok_shop_sandbox.views import order_view, product_view
from tiktok_shop_sandbox.world import now

router = APIRouter(prefix="/_sandbox")

ORDER_STATUSES = {
    "UNPAID",
    "ON_HOLD",
    "AWAITING_SHIPMENT",
    "PARTIALLY_SHIPPING",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
}


class NewOrder(BaseModel):
    """An order placed by a simulated buyer."""

    order_id: str | None = None
    status: str = "AWAITING_SHIPMENT"
    fbt: bool = False
    shipping_type: str = "SELLER"
    # The buyer's shipping option (Get Order Detail `delivery_option_name`, display only).
    delivery_option_name: str | None = None
    lines: list[LineSpec] = Field(min_length=1)
    # Line-index groups, one per package (split packages); default: one package for all.
    packages: list[list[int]] | None = None
    shipping_fee: Decimal = Decimal("0")
    shipping_seller_discount: Decimal = Decimal("0")
    shipping_platform_discount: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    buyer_email: str | None = None
    # The same buyer across orders (TikTok's `user_id`) and the masked name TikTok shows.
    buyer_user_id: str | None = None
    buyer_name: str | None = None
    create_time: int | None = None


class StatusChange(BaseModel):
    """A new status."""

    status: str


class NewCancellation(BaseModel):
    """A buyer (or system) cancellation request."""

    role: str = "BUYER"
    reason: str = "ecom_order_to_ship_canceled_reason_created_by_mistakes"
    line_item_ids: list[str] | None = None


class NewReturn(BaseModel):
    """A buyer return / refund / replacement request."""

    return_type: str = "REFUND"
    reason: str = "ecom_order_delivered_refund_and_return_reason_damaged_product"
    line_item_ids: list[str] | None = None


class CombineRequest(BaseModel):
    """Orders of one shop whose unshipped lines TikTok combines into one package."""

    order_ids: list[str] = Field(min_length=2)


class AuditOutcome(BaseModel):
    """Force a product's audit result now."""

    approved: bool
    reasons: list[str] = Field(default_factory=list)


def _order(sandbox: Sandbox, order_id: str) -> Order:
    order = sandbox.world.orders.get(order_id)
    if order is None:
        raise HTTPException(404, f"unknown order {order_id}")
    return order


@router.post("/shops/{shop_id}/orders")
async def place_order(shop_id: str, body: NewOrder, request: Request) -> JsonDict:
    """Place an order (webhook 1 with its first status)."""
    sandbox = sandbox_of(request)
    shop = sandbox.world.shop(shop_id)
    if body.status not in {"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT"}:
        raise HTTPException(422, "new orders start UNPAID, ON_HOLD or AWAITING_SHIPMENT")
    if body.order_id and body.order_id in sandbox.world.orders:
        raise HTTPException(409, f"order {body.order_id} exists")
    order = build_order(sandbox.world, shop, body.order_id, body.lines, body.packages, _money(body))
    order.fulfillment_type = "FULFILLMENT_BY_TIKTOK" if body.fbt else "FULFILLMENT_BY_SELLER"
    order.shipping_type = "TIKTOK" if body.fbt else body.shipping_type
    order.buyer_email = body.buyer_email or order.buyer_email
    order.delivery_option_name = body.delivery_option_name or order.delivery_option_name
    order.user_id = body.buyer_user_id or order.user_id
    if body.buyer_name:
        order.recipient = {**order.recipient, "name": body.buyer_name}
    order.create_time = order.update_time = body.create_time or order.create_time
    sandbox.world.orders[order.id] = order
    move_stock(sandbox, order, -1)  # TikTok takes the sold units off its own stock at once
    initial = "UNPAID" if body.status == "UNPAID" else body.status
    order.paid_time = None if initial == "UNPAID" else order.create_time
    order.is_on_hold = initial == "ON_HOLD"
    set_order_status(sandbox, shop, order, initial)
    release = sandbox.settings.on_hold_release_seconds
    if initial == "ON_HOLD" and release is not None:
        sandbox.later(release, lambda: _release_hold(sandbox, order.id))
    return order_view(order)


def _release_hold(sandbox: Sandbox, order_id: str) -> None:
    order = sandbox.world.orders.get(order_id)
    if order is not None and order.status == "ON_HOLD":
        set_order_status(sandbox, sandbox.world.shop(order.shop_id), order, "AWAITING_SHIPMENT")


def _money(body: NewOrder) -> dict[str, Decimal]:
    return {
        "shipping_fee": body.shipping_fee,
        "shipping_seller_discount": body.shipping_seller_discount,
        "shipping_platform_discount": body.shipping_platform_discount,
        "tax": body.tax,
    }


@router.post("/orders/{order_id}/status")
async def move_order(order_id: str, body: StatusChange, request: Request) -> JsonDict:
    """Move an order to any status (webhook 1; CANCELLED is sent as `CANCEL`)."""
    sandbox = sandbox_of(request)
    order = _order(sandbox, order_id)
    if body.status not in ORDER_STATUSES:
        raise HTTPException(422, f"unknown status {body.status}")
    set_order_status(sandbox, sandbox.world.shop(order.shop_id), order, body.status)
    return order_view(order)


@router.get("/orders/{order_id}")
async def inspect_order(order_id: str, request: Request) -> JsonDict:
    """An order with its packages, tracking, external references, returns and invoices."""
    sandbox = sandbox_of(request)
    order = _order(sandbox, order_id)
    returns = [
        {
            "return_id": r.id,
            "return_type": r.return_type,
            "return_status": r.status,
            "role": r.role,
            "line_item_ids": r.line_item_ids,
        }
        for r in sandbox.world.returns.values()
        if r.order_id == order.id
    ]
    # Brazil: each package's invoice as TikTok holds it (PROCESSING, then SUCCESS or FAILED).
    invoices = [
        {"package_id": package_id, "status": status}
        for (package_id, of), status in sandbox.world.invoice_status.items()
        if of == order.id
    ]
    return order_view(order) | {
        "external_orders": list(order.external_orders.values()),
        "returns": returns,
        "invoices": invoices,
    }


@router.post("/orders/{order_id}/cancellations")
async def request_cancellation(order_id: str, body: NewCancellation, request: Request) -> JsonDict:
    """A buyer asks to cancel; UNPAID/ON_HOLD orders cancel at once, others await the seller."""
    sandbox = sandbox_of(request)
    order = _order(sandbox, order_id)
    shop = sandbox.world.shop(order.shop_id)
    lines = body.line_item_ids or [line.id for line in order.line_items if not line.cancelled]
    record = Cancellation(
        sandbox.world.ids.next(),
        order.id,
        shop.id,
        "CANCELLATION_REQUEST_PENDING",
        body.role,
        "BUYER_CANCEL" if body.role == "BUYER" else "CANCEL",
        body.reason,
        lines,
        now(),
        now(),
    )
    sandbox.world.cancellations[record.id] = record
    # ON_HOLD orders can be cancelled by the buyer without seller approval (reference A6).
    immediate = order.status in {"UNPAID", "ON_HOLD"} or body.role == "SYSTEM"
    status = "CANCELLATION_REQUEST_SUCCESS" if immediate else "CANCELLATION_REQUEST_PENDING"
    set_cancellation_status(sandbox, shop, record, status)
    return {"cancel_id": record.id, "cancel_status": record.status}


@router.post("/cancellations/{cancel_id}/status")
async def move_cancellation(cancel_id: str, body: StatusChange, request: Request) -> JsonDict:
    """Move a cancellation (e.g. the buyer withdraws it: CANCELLATION_REQUEST_CANCEL)."""
    sandbox = sandbox_of(request)
    record = sandbox.world.cancellations.get(cancel_id)
    if record is None:
        raise HTTPException(404, f"unknown cancellation {cancel_id}")
    set_cancellation_status(sandbox, sandbox.world.shop(record.shop_id), record, body.status)
    return {"cancel_id": record.id, "cancel_status": record.status}


class ReturnApiApproval(BaseModel):
    """TikTok's approval of a seller for Create Return (e.g. the Loop integration)."""

    approved: bool = True


@router.post("/shops/{shop_id}/return_api_approval")
async def approve_return_api(shop_id: str, body: ReturnApiApproval, request: Request) -> JsonDict:
    """Approve (or withdraw) a shop for seller-created returns."""
    world = sandbox_of(request).world
    world.shop(shop_id)
    (world.return_api_shops.add if body.approved else world.return_api_shops.discard)(shop_id)
    return {"shop_id": shop_id, "approved": body.approved}


@router.post("/orders/{order_id}/returns")
async def request_return(order_id: str, body: NewReturn, request: Request) -> JsonDict:
    """A buyer requests a refund, return or replacement."""
    sandbox = sandbox_of(request)
    order = _order(sandbox, order_id)
    shop = sandbox.world.shop(order.shop_id)
    pending = (
        "REPLACEMENT_REQUEST_PENDING"
        if body.return_type == "REPLACEMENT"
        else "RETURN_OR_REFUND_REQUEST_PENDING"
    )
    lines = body.line_item_ids or [line.id for line in order.line_items if not line.cancelled]
    record = Return(
        sandbox.world.ids.next(),
        order.id,
        shop.id,
        body.return_type,
        pending,
        "BUYER",
        body.reason,
        lines,
        now(),
        now(),
    )
    sandbox.world.returns[record.id] = record
    set_return_status(sandbox, shop, record, pending)
    return {"return_id": record.id, "return_status": record.status}


@router.post("/returns/{return_id}/status")
async def move_return(return_id: str, body: StatusChange, request: Request) -> JsonDict:
    """Move a return (e.g. BUYER_SHIPPED_ITEM after the buyer sends the parcel)."""
    sandbox = sandbox_of(request)
    record = sandbox.world.returns.get(return_id)
    if record is None:
        raise HTTPException(404, f"unknown return {return_id}")
    set_return_status(sandbox, sandbox.world.shop(record.shop_id), record, body.status)
    return {"return_id": record.id, "return_status": record.status}


@router.post("/packages/combine")
async def combine_packages(body: CombineRequest, request: Request) -> JsonDict:
    """Combine the unshipped packages of several orders into one (webhook 4, `COMBINE`).

    The package is shared: every order lists it, and shipping it ships all their lines.
    """
    sandbox = sandbox_of(request)
    orders = [_order(sandbox, order_id) for order_id in dict.fromkeys(body.order_ids)]
    if len(orders) < 2 or len({o.shop_id for o in orders}) != 1:
        raise HTTPException(422, "combine two or more orders of one shop")
    for order in orders:
        if order.status not in {"AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"}:
            raise HTTPException(409, f"order {order.id} is {order.status}")
        if not any(p.status == "PROCESSING" for p in order.packages):
            raise HTTPException(409, f"order {order.id} has no unshipped package")
    package = Package(sandbox.world.ids.next(), orders[0].id, [], update_time=now())
    for order in orders:
        processing = {p.id for p in order.packages if p.status == "PROCESSING"}
        for line in order.line_items:
            if line.package_id in processing:
                line.package_id = package.id
                package.line_item_ids.append(line.id)
        order.packages = [p for p in order.packages if p.id not in processing] + [package]
        order.update_time = now()
    sandbox.notify(
        sandbox.world.shop(orders[0].shop_id),
        4,
        {
            "sc_type": "COMBINE",
            "role_type": "SELLER",
            "package_list": [{"package_id": package.id, "order_id_list": [o.id for o in orders]}],
            "update_time": now(),
        },
    )
    return {"package_id": package.id, "order_ids": [o.id for o in orders]}


@router.get("/products/{product_id}")
async def inspect_product(product_id: str, request: Request) -> JsonDict:
    """A product with its SKUs, stock and prices."""
    world = sandbox_of(request).world
    product = world.products.get(product_id)
    if product is None:
        raise HTTPException(404, f"unknown product {product_id}")
    return product_view(product, files=world.files)


@router.post("/products/{product_id}/audit")
async def audit_now(product_id: str, body: AuditOutcome, request: Request) -> JsonDict:
    """Finish a product's audit now with the given outcome (webhooks 5 and 37)."""
    sandbox = sandbox_of(request)
    product = sandbox.world.products.get(product_id)
    if product is None:
        raise HTTPException(404, f"unknown product {product_id}")
    finish_audit(sandbox, product, body.approved, body.reasons)
    return product_view(product, files=sandbox.world.files)


class AddressChange(BaseModel):
    """Recipient address fields the buyer corrects (the rest stay)."""

    name: str | None = None
    phone_number: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    postal_code: str | None = None
    full_address: str | None = None


# Until the parcel leaves, the buyer may correct the address (webhook 3 tells the seller).
ADDRESS_EDITABLE = frozenset({"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION"})


@router.post("/orders/{order_id}/recipient_address")
async def change_address(order_id: str, body: AddressChange, request: Request) -> JsonDict:
    """The buyer changes the recipient address (webhook 3, `RECIPIENT_ADDRESS_UPDATE`)."""
    sandbox = sandbox_of(request)
    order = _order(sandbox, order_id)
    if order.status not in ADDRESS_EDITABLE:
        raise HTTPException(409, f"the address of an order in {order.status} cannot change")
    order.recipient = {**order.recipient, **body.model_dump(exclude_none=True)}
    order.update_time = now()
    sandbox.notify(
        sandbox.world.shop(order.shop_id),
        3,
        {"order_id": order.id, "update_time": order.update_time},
    )
    return order_view(order)
