"""Orders API: search, detail, price detail, external order references (reference A6 Orders)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.invoices import need_upload_invoice
from tiktok_shop_sandbox.paging import in_window, page, page_size_of
from tiktok_shop_sandbox.state import JsonDict, Order
from tiktok_shop_sandbox.views import money, order_view, payment_view

router = APIRouter()
MAX_DETAIL_IDS = 50
MAX_EXTERNAL_LINKS = 100  # orders per Add External Order References call (reference)


def _view(call: ShopCall, order: Order) -> JsonDict:
    return order_view(order) | {
        "need_upload_invoice": need_upload_invoice(call.sandbox, call.shop, order)
    }


def _matches(order: Order, body: JsonDict) -> bool:
    status = body.get("order_status")
    if status and order.status != status:
        return False
    if body.get("shipping_type") and order.shipping_type != body["shipping_type"]:
        return False
    if body.get("buyer_user_id") and order.user_id != body["buyer_user_id"]:
        return False
    warehouses = body.get("warehouse_ids")
    if warehouses and order.warehouse_id not in warehouses:
        return False
    return in_window(order.create_time, body, "create_time") and in_window(
        order.update_time, body, "update_time"
    )


@router.post("/order/202309/orders/search")
async def search_orders(call: ShopCallDep) -> JSONResponse:
    """Get Order List: filter, sort (create_time DESC by default), paginate."""
    body = call.json()
    size = page_size_of(call.query.get("page_size"), 1, 100, None)
    field = call.query.get("sort_field", "create_time")
    if field not in {"create_time", "update_time"}:
        raise PlatformError(36009004, "Invalid parameter: 'sort_field'.", 400)
    descending = call.query.get("sort_order", "DESC") == "DESC"
    orders = [
        o
        for o in call.sandbox.world.orders.values()
        if o.shop_id == call.shop.id and _matches(o, body)
    ]
    orders.sort(key=lambda o: (getattr(o, field), o.id), reverse=descending)
    items, token = page(orders, size, call.query.get("page_token"))
    return ok(
        {
            "orders": [_view(call, o) for o in items],
            "next_page_token": token,
            "total_count": len(orders),
        }
    )


@router.get("/order/202309/orders")
@router.get("/order/202507/orders")
async def order_detail(call: ShopCallDep) -> JSONResponse:
    """Get Order Detail for up to 50 comma-separated ids."""
    ids = [i for i in call.query.get("ids", "").split(",") if i]
    if not 0 < len(ids) <= MAX_DETAIL_IDS:
        raise PlatformError(36009004, "Invalid parameter: 'ids' must hold 1 to 50 order ids.", 400)
    orders = [call.sandbox.world.shop_order(call.shop, i) for i in ids]
    return ok({"orders": [_view(call, o) for o in orders]})


@router.get("/order/202407/orders/{order_id}/price_detail")
async def price_detail(order_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Price Detail."""
    order = call.sandbox.world.shop_order(call.shop, order_id)
    payment = payment_view(order)
    return ok(
        {
            "currency": order.currency,
            "total": payment["total_amount"],
            "payment": payment["total_amount"],
            "subtotal": payment["sub_total"],
            "subtotal_deduction_seller": payment["seller_discount"],
            "subtotal_deduction_platform": payment["platform_discount"],
            "shipping_list_price": payment["original_shipping_fee"],
            "shipping_sale_price": payment["shipping_fee"],
            "tax_amount": payment["tax"],
            "line_items": [
                {
                    "id": line.id,
                    "currency": order.currency,
                    "sku_list_price": money(line.original_price),
                    "sku_sale_price": money(line.sale_price),
                    "subtotal_deduction_seller": money(line.seller_discount),
                    "subtotal_deduction_platform": money(line.platform_discount),
                }
                for line in order.line_items
            ],
        }
    )


def _link_error(call: ShopCall, entry: JsonDict) -> JsonDict | None:
    order = call.sandbox.world.orders.get(str(entry.get("id", "")))
    external = entry.get("external_order")
    if order is None or order.shop_id != call.shop.id:
        return {"code": 36020001, "message": "Invalid order_id", "detail": entry}
    if not isinstance(external, dict) or not external.get("id") or not external.get("platform"):
        return {"code": 36020002, "message": "Invalid external_order", "detail": entry}
    order.external_orders[str(external["platform"])] = external
    return None


@router.post("/order/202406/orders/external_orders")
async def add_external_orders(call: ShopCallDep) -> JSONResponse:
    """Add External Order References; per-order failures come back in `errors`."""
    entries = call.json().get("orders")
    if not isinstance(entries, list) or not entries:
        raise PlatformError(36009004, "Invalid parameter: 'orders' is required.", 400)
    if len(entries) > MAX_EXTERNAL_LINKS:
        raise PlatformError(36009004, "Invalid parameter: 'orders' holds at most 100.", 400)
    errors = [e for e in (_link_error(call, entry) for entry in entries) if e]
    return ok({"errors": errors})


@router.get("/order/202406/orders/{order_id}/external_orders")
async def get_external_orders(order_id: str, call: ShopCallDep) -> JSONResponse:
    """Get External Order References (optionally of one platform)."""
    order = call.sandbox.world.shop_order(call.shop, order_id)
    platform = call.query.get("platform")
    refs = [r for p, r in order.external_orders.items() if platform in (None, p)]
    return ok({"external_orders": refs})


@router.post("/order/202406/orders/external_order_search")
async def search_by_external_order(call: ShopCallDep) -> JSONResponse:
    """Search Order By External Order Reference."""
    body = call.json()
    platform, external_id = body.get("platform"), body.get("external_order_id")
    orders = [
        {"id": o.id}
        for o in call.sandbox.world.orders.values()
        if o.shop_id == call.shop.id
        and any(p == platform and r.get("id") == external_id for p, r in o.external_orders.items())
    ]
    return ok({"orders": orders})
