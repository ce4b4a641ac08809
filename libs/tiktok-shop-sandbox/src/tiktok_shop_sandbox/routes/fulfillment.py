"""Fulfillment API: ship, mark shipped, fix tracking, package detail, invoices (reference A6)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox import invoices
from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.logistics import provider_ids
from tiktok_shop_sandbox.order_flow import (
    after_package_shipped,
    check_shippable,
    notify_package_split,
)
from tiktok_shop_sandbox.paging import page, page_size_of
from tiktok_shop_sandbox.state import JsonDict, Order, Package
from tiktok_shop_sandbox.views import package_view
from tiktok_shop_sandbox.world import now

router = APIRouter()
# Mark Package As Shipped exists only in these markets (reference A6 Fulfillment).
MARK_SHIPPED_REGIONS = {"US", "GB", "UK", "ES", "IE", "IT", "DE", "FR", "JP"}


def _package(call: ShopCall, package_id: str) -> tuple[Order, Package]:
    for order in call.sandbox.world.orders.values():
        if order.shop_id != call.shop.id:
            continue
        for package in order.packages:
            if package.id == package_id:
                return order, package
    raise PlatformError(21011028, "The package does not belong to the current shop.")


def _tracking(body: JsonDict, code: int) -> tuple[str, str]:
    tracking = str(body.get("tracking_number") or "")
    provider = str(body.get("shipping_provider_id") or "")
    if not tracking or provider not in provider_ids():
        raise PlatformError(code, "Invalid tracking number or provider ID. Please double check.")
    return tracking, provider


@router.post("/fulfillment/202309/packages/{package_id}/ship")
async def ship_package(package_id: str, call: ShopCallDep) -> JSONResponse:
    """Ship Package; seller-shipped orders must give `self_shipment` tracking."""
    order, package = _package(call, package_id)
    check_shippable(order, package)
    invoices.check_invoiced(
        call.sandbox, call.shop, [order, *_sharing(call, package, order)], package
    )
    body = call.json()
    self_shipment = body.get("self_shipment")
    if order.shipping_type == "SELLER":
        if not isinstance(self_shipment, dict):
            raise PlatformError(11001002, "invalid param. 'self_shipment' is required.")
        package.tracking_number, package.shipping_provider_id = _tracking(self_shipment, 11001002)
        next_status = "IN_TRANSIT"
    else:
        next_status = "AWAITING_COLLECTION"
    package.handover_method = str(body.get("handover_method") or "DROP_OFF")
    package.status = "FULFILLING"
    package.update_time = now()
    after_package_shipped(call.sandbox, call.shop, order, next_status)
    for other in _sharing(call, package, order):  # a combined package ships every order's lines
        after_package_shipped(call.sandbox, call.shop, other, next_status)
    return ok({})


def _sharing(call: ShopCall, package: Package, order: Order) -> list[Order]:
    """The other orders of a combined package."""
    return [
        o
        for o in call.sandbox.world.orders.values()
        if o.shop_id == call.shop.id and o is not order and any(p is package for p in o.packages)
    ]


@router.post("/fulfillment/202309/orders/{order_id}/packages")
async def mark_shipped(order_id: str, call: ShopCallDep) -> JSONResponse:
    """Mark Package As Shipped: ship some/all unshipped lines in a new package."""
    if call.shop.region not in MARK_SHIPPED_REGIONS:
        raise PlatformError(21001001, "Invalid parameters. Not available in this market.")
    order = call.sandbox.world.shop_order(call.shop, order_id)
    body = call.json()
    tracking, provider = _tracking(body, 11028006)
    unshipped = {
        line.id: line
        for line in order.line_items
        if not line.cancelled
        and any(p.id == line.package_id and p.status == "PROCESSING" for p in order.packages)
    }
    wanted = [str(i) for i in body.get("order_line_item_ids") or unshipped]
    if not wanted or any(i not in unshipped for i in wanted):
        raise PlatformError(21001001, "Invalid parameters. Line items are unknown or shipped.")
    check_shippable(order, next(p for p in order.packages if p.status == "PROCESSING"))
    package = _split_off(call, order, wanted)
    package.tracking_number, package.shipping_provider_id = tracking, provider
    package.status, package.update_time = "FULFILLING", now()
    after_package_shipped(call.sandbox, call.shop, order, "IN_TRANSIT")
    return ok({"order_id": order.id, "order_line_item_ids": wanted, "package_id": package.id})


def _split_off(call: ShopCall, order: Order, line_ids: list[str]) -> Package:
    """Move lines out of their unshipped packages into a new one (dropping emptied packages)."""
    package = Package(call.sandbox.world.ids.next(), order.id, list(line_ids))
    for old in order.packages:
        old.line_item_ids = [i for i in old.line_item_ids if i not in line_ids]
    split = any(p.line_item_ids for p in order.packages if p.status == "PROCESSING")
    order.packages = [p for p in order.packages if p.line_item_ids] + [package]
    for line in order.line_items:
        if line.id in line_ids:
            line.package_id = package.id
    if split:
        notify_package_split(call.sandbox, call.shop, order)
    return package


@router.post("/fulfillment/202309/packages/{package_id}/shipping_info/update")
async def update_package_shipping_info(package_id: str, call: ShopCallDep) -> JSONResponse:
    """Update Package Shipping Info: fix the tracking of a shipped package."""
    order, package = _package(call, package_id)
    if order.status == "CANCELLED":
        raise PlatformError(21011042, "Cannot complete the operation when order is cancelled.")
    if package.status == "PROCESSING":
        raise PlatformError(21011043, "The package has not been shipped yet.")
    if package.status == "COMPLETED":
        raise PlatformError(21011030, "Package has already been delivered.")
    package.tracking_number, package.shipping_provider_id = _tracking(call.json(), 21011022)
    package.tracking_updates += 1
    package.update_time = order.update_time = now()
    return ok({})


@router.get("/fulfillment/202309/packages/{package_id}")
async def package_detail(package_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Package Detail."""
    order, package = _package(call, package_id)
    return ok(package_view(package, order))


@router.post("/fulfillment/202309/packages/search")
async def search_packages(call: ShopCallDep) -> JSONResponse:
    """Search Package by status."""
    status = call.json().get("package_status")
    size = page_size_of(call.query.get("page_size"), 1, 50, None)
    found = [
        {"id": p.id, "status": p.status, "orders": [{"id": o.id}], "update_time": p.update_time}
        for o in call.sandbox.world.orders.values()
        if o.shop_id == call.shop.id
        for p in o.packages
        if status in (None, p.status)
    ]
    items, token = page(found, size, call.query.get("page_token"))
    return ok({"packages": items, "next_page_token": token, "total_count": len(found)})


@router.post("/fulfillment/202502/invoice/upload")
async def upload_invoice(call: ShopCallDep) -> JSONResponse:
    """Upload Invoice (Brazil only); the verification result comes later as webhook 36."""
    if not invoices.needs_invoice(call.shop):
        raise PlatformError(21001001, "Invalid parameters. Invoices are only for Brazil shops.")
    body = call.json().get("invoices")
    if not isinstance(body, list) or not body or not all(isinstance(i, dict) for i in body):
        raise PlatformError(21001001, "Invalid parameters. 'invoices' is required.")
    return ok({"errors": invoices.upload(call.sandbox, call.shop, body)})
