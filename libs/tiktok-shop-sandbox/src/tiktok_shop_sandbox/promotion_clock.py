"""The promotion clock, one per shop: activity times and states run on it, so a test can move
its shop 45 or 180 days ahead in a call without touching other tests' shops. Signatures, tokens
and orders stay on the wall clock (a client's request timestamps must still be accepted)."""

from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Activity
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
