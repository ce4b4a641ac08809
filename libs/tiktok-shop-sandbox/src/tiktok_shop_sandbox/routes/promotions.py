"""Promotion API: activities and their products (reference A6 Promotions, error codes 17029xxx)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.paging import page
from tiktok_shop_sandbox.promotion_clock import notify_status_changes, promotion_now
from tiktok_shop_sandbox.promotion_rules import check_conflicts, check_product, status_of
from tiktok_shop_sandbox.state import Activity, JsonDict
from tiktok_shop_sandbox.views import activity_view

router = APIRouter()
ACTIVITY_TYPES = {"FIXED_PRICE", "DIRECT_DISCOUNT", "FLASHSALE"}
PRODUCT_LEVELS = {"PRODUCT", "VARIATION"}
MAX_PER_CALL = 300
MAX_PER_ACTIVITY = 10_000
MIN_DURATION_SECONDS = 600
FLASHSALE_MAX_SECONDS = 72 * 3600


def _fail(code: int, message: str) -> PlatformError:
    return PlatformError(code, message)


def _check_period(call: ShopCall, activity_type: str, begin: object, end: object) -> None:
    if not isinstance(begin, int) or not isinstance(end, int):
        raise _fail(17029001, "Invalid parameters: begin_time and end_time are required.")
    if begin <= promotion_now(call.sandbox.world, call.shop.id):
        raise _fail(17029005, "Begin Time Earlier Than Now")
    if end - begin < MIN_DURATION_SECONDS:
        raise _fail(17029006, "The activity period is too short.")
    if activity_type == "FLASHSALE" and end - begin > FLASHSALE_MAX_SECONDS:
        raise _fail(17029008, "FlashSale Period Too Long")
    if end - begin > call.sandbox.settings.promotion_max_days * 86400:
        raise _fail(17029007, "The activity period is too long.")


def _check_title(call: ShopCall, title: object, activity_id: str | None) -> str:
    if not isinstance(title, str) or not title:
        raise _fail(17029003, "The activity title is empty.")
    if len(title) > 50:
        raise _fail(17029002, "Title Length Too Long")
    for other in call.sandbox.world.activities.values():
        if other.shop_id == call.shop.id and other.title == title and other.id != activity_id:
            raise _fail(17029004, "Duplicate activity title.")
    return title


@router.post("/promotion/202309/activities")
async def create_activity(call: ShopCallDep) -> JSONResponse:
    """Create Activity."""
    body = call.json()
    activity_type = str(body.get("activity_type") or "")
    if activity_type not in ACTIVITY_TYPES:
        raise _fail(17029036, "ActivityType is not supported.")
    level = str(body.get("product_level") or "")
    if level not in PRODUCT_LEVELS:
        raise _fail(17029052, "ProductType is not supported")
    title = _check_title(call, body.get("title"), None)
    _check_period(call, activity_type, body.get("begin_time"), body.get("end_time"))
    activity = Activity(
        call.sandbox.world.ids.next(),
        call.shop.id,
        title,
        activity_type,
        level,
        int(body["begin_time"]),
        int(body["end_time"]),
        promotion_now(call.sandbox.world, call.shop.id),
        promotion_now(call.sandbox.world, call.shop.id),
        participation_limit=list(body.get("participation_limit") or []),
    )
    call.sandbox.world.activities[activity.id] = activity
    return ok(
        {
            "activity_id": activity.id,
            "create_time": activity.create_time,
            "update_time": activity.update_time,
            "status": status_of(call.sandbox.world, activity),
        }
    )


def _activity(call: ShopCall, activity_id: str, *, writable: bool) -> Activity:
    activity = call.sandbox.world.activities.get(activity_id)
    if activity is None:
        raise _fail(17029009, "Activity does not exist")
    if activity.shop_id != call.shop.id:
        raise _fail(17029028, "You are specifying activities not in your shop.")
    if writable and activity.deactivated:
        raise _fail(17029010, "Activity is deactivated")
    notify_status_changes(call.sandbox)
    if writable and status_of(call.sandbox.world, activity) == "EXPIRED":
        raise _fail(17029012, "Not allowed to update expired activities")
    return activity


def _write_result(call: ShopCall, activity: Activity) -> JsonDict:
    notify_status_changes(call.sandbox)
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "status": status_of(call.sandbox.world, activity),
        "update_time": activity.update_time,
        "total_count": len(activity.products),
    }


@router.put("/promotion/202309/activities/{activity_id}")
async def update_activity(activity_id: str, call: ShopCallDep) -> JSONResponse:
    """Update Activity: title and period."""
    activity = _activity(call, activity_id, writable=True)
    body = call.json()
    begin = body.get("begin_time", activity.begin_time)
    if status_of(call.sandbox.world, activity) == "ONGOING" and begin != activity.begin_time:
        raise _fail(17029011, "Not allowed to update the beginning time of activity")
    title = _check_title(call, body.get("title", activity.title), activity.id)
    if begin != activity.begin_time or body.get("end_time", activity.end_time) != activity.end_time:
        _check_period(call, activity.activity_type, begin, body.get("end_time", activity.end_time))
        period = (int(begin), int(body.get("end_time", activity.end_time)))
        check_conflicts(call, activity, set(activity.products), period)
    activity.title = title
    activity.begin_time = int(begin)
    activity.end_time = int(body.get("end_time", activity.end_time))
    activity.update_time = promotion_now(call.sandbox.world, call.shop.id)
    return ok(_write_result(call, activity))


@router.put("/promotion/202309/activities/{activity_id}/products")
async def update_activity_products(activity_id: str, call: ShopCallDep) -> JSONResponse:
    """Update Activity Product: add or change up to 300 products / 300 SKUs per call."""
    activity = _activity(call, activity_id, writable=True)
    products = call.json().get("products") or []
    if not products:
        raise _fail(17029033, "`products` is empty.")
    sku_count = sum(len(p.get("skus") or []) for p in products)
    if len(products) > MAX_PER_CALL or sku_count > MAX_PER_CALL:
        raise _fail(17029046, "Number of items per request exceeds the limit.")
    ids = [str(p.get("id")) for p in products]
    if len(set(ids)) != len(ids):
        raise _fail(17029039, "Duplicate product ID.")
    if len(set(ids) | set(activity.products)) > MAX_PER_ACTIVITY:
        raise _fail(
            17029025,
            "The quantity of the products or the SKUs included in the activity exceeds the limit.",
        )
    for entry in products:
        check_product(call, activity, entry)
    check_conflicts(call, activity, set(ids))
    for entry in products:
        activity.products[str(entry["id"])] = entry
    activity.update_time = promotion_now(call.sandbox.world, call.shop.id)
    return ok(_write_result(call, activity))


@router.delete("/promotion/202309/activities/{activity_id}/products")
async def remove_activity_products(activity_id: str, call: ShopCallDep) -> JSONResponse:
    """Remove Activity Product (products and/or SKUs)."""
    activity = _activity(call, activity_id, writable=True)
    body = call.json()
    product_ids = [str(i) for i in body.get("product_ids") or []]
    if any(i not in activity.products for i in product_ids):
        raise _fail(17029023, "Products Not In Promotion")
    sku_ids = {str(i) for i in body.get("sku_ids") or []}
    present = {str(s.get("id")) for p in activity.products.values() for s in p.get("skus") or []}
    if sku_ids - present:
        raise _fail(17029024, "SKU(s) not found in this promotion.")
    for product_id in product_ids:
        del activity.products[product_id]
    for entry in activity.products.values():
        entry["skus"] = [s for s in entry.get("skus") or [] if str(s.get("id")) not in sku_ids]
    activity.update_time = promotion_now(call.sandbox.world, call.shop.id)
    return ok(_write_result(call, activity))


@router.post("/promotion/202309/activities/{activity_id}/deactivate")
async def deactivate_activity(activity_id: str, call: ShopCallDep) -> JSONResponse:
    """Deactivate Activity."""
    activity = _activity(call, activity_id, writable=True)
    activity.deactivated = True
    activity.update_time = promotion_now(call.sandbox.world, call.shop.id)
    return ok(_write_result(call, activity))


@router.get("/promotion/202309/activities/{activity_id}")
async def get_activity(activity_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Activity."""
    activity = _activity(call, activity_id, writable=False)
    return ok(activity_view(activity, status_of(call.sandbox.world, activity)))


@router.post("/promotion/202309/activities/search")
async def search_activities(call: ShopCallDep) -> JSONResponse:
    """Search Activities (paging in the body, page_size 0-100, default 50)."""
    body = call.json()
    world = call.sandbox.world
    notify_status_changes(call.sandbox)
    size = body.get("page_size", 50)
    if not isinstance(size, int) or not 0 <= size <= 100:
        raise _fail(17029001, "Invalid parameters: page_size must be in [0, 100].")
    found = [
        a
        for a in call.sandbox.world.activities.values()
        if a.shop_id == call.shop.id
        and body.get("status") in (None, status_of(world, a))
        and body.get("activity_type") in (None, a.activity_type)
        and str(body.get("activity_title") or "") in a.title
    ]
    items, token = page(found, size or 50, body.get("page_token"))
    views = [
        {
            k: v
            for k, v in activity_view(a, status_of(world, a)).items()
            if k not in {"products", "activity_id"}
        }
        | {"id": a.id}
        for a in items
    ]
    return ok({"activities": views, "next_page_token": token, "total_count": len(found)})
