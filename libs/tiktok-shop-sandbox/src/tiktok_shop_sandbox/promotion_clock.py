"""The promotion clock, one per shop: activity times and states run on it, so a test can move
its shop 45 or 180 days ahead in a call without touching other tests' shops. Signatures, tokens
and orders stay on the wall clock (a client's request timestamps must still be accepted)."""

from decimal import Decimal

from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Activity, JsonDict
from tiktok_shop_sandbox.world import World, now

ACTIVITY_STATUS_WEBHOOK = 39


def promotion_now(world: World, shop_id: str) -> int:
    """TikTok's time for the shop's promotions, Unix seconds."""
    return now() + world.promotion_clock_offsets.get(shop_id, 0)


def status_at(activity: Activity, current: int) -> str:
    """DRAFT until products are added, then NOT_START / ONGOING / EXPIRED by time."""
    if activity.deactivated:
        return "DEACTIVATED"
    if not activity.products:
        return "DRAFT"
    if current < activity.begin_time:
        return "NOT_START"
    return "ONGOING" if current < activity.end_time else "EXPIRED"


def notify_status_changes(sandbox: Sandbox) -> int:
    """Send webhook 39 for every activity that became ONGOING, EXPIRED or DEACTIVATED since the
    last notice (called on each promotion call and clock move); how many were sent."""
    sent = 0
    for activity in sandbox.world.activities.values():
        status = status_at(activity, promotion_now(sandbox.world, activity.shop_id))
        if status == activity.notified_status or status not in _NOTIFIED:
            continue
        activity.notified_status = status
        shop = sandbox.world.shops.get(activity.shop_id)
        if shop is not None:
            sandbox.notify(shop, ACTIVITY_STATUS_WEBHOOK, _payload(activity, status))
            sent += 1
    return sent


_NOTIFIED = frozenset({"ONGOING", "EXPIRED", "DEACTIVATED"})


def _payload(activity: Activity, status: str) -> dict[str, object]:
    return {
        "activity_id": activity.id,
        "activity_type": activity.activity_type,
        "product_level": activity.product_level,
        "status": status,
        "update_time": activity.update_time,
    }


def seller_discount(
    world: World, shop_id: str, product_id: str, sku_id: str, price: Decimal
) -> Decimal:
    """What an ongoing activity takes off one unit of a SKU (seller-funded, as TikTok books
    product discounts on order lines); 0 when no activity holds it."""
    current = promotion_now(world, shop_id)
    for activity in world.activities.values():
        entry = activity.products.get(product_id)
        if activity.shop_id != shop_id or entry is None:
            continue
        if status_at(activity, current) != "ONGOING":
            continue
        deal = _deal_of(activity, entry, sku_id, price)
        if deal is not None:
            return max(Decimal(0), price - deal)
    return Decimal(0)


def _deal_of(activity: Activity, entry: JsonDict, sku_id: str, price: Decimal) -> Decimal | None:
    if activity.product_level == "VARIATION":
        sku = next((s for s in entry.get("skus") or [] if str(s.get("id")) == sku_id), None)
        entry = sku or {}
    if entry.get("discount"):
        return price * (100 - Decimal(str(entry["discount"]))) / 100
    amount = entry.get("activity_price_amount")
    return Decimal(str(amount)) if amount is not None else None
