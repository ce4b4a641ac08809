"""Event API: per-shop webhook subscriptions (reference A6 Events, A8)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCallDep
from tiktok_shop_sandbox.webhooks import EVENT_TYPES
from tiktok_shop_sandbox.world import now

router = APIRouter()
_PATH = "/event/202309/webhooks"


def _event_type(value: object) -> str:
    if value not in EVENT_TYPES.values():
        raise PlatformError(36009004, f"Invalid parameter: unknown event_type {value!r}.", 400)
    return str(value)


@router.get(_PATH)
async def get_webhooks(call: ShopCallDep) -> JSONResponse:
    """Get Shop Webhooks."""
    hooks = [
        {"event_type": t, "address": a, "create_time": c, "update_time": u}
        for t, (a, c, u) in call.shop.webhooks.items()
    ]
    return ok({"webhooks": hooks, "total_count": len(hooks)})


@router.put(_PATH)
async def update_webhook(call: ShopCallDep) -> JSONResponse:
    """Update Shop Webhook: subscribe an event type to an address (<= 255 chars)."""
    body = call.json()
    event_type = _event_type(body.get("event_type"))
    address = str(body.get("address") or "")
    # The platform demands https; plain http is let through so tests can use local receivers.
    if not address.startswith(("https://", "http://")) or len(address) > 255:
        raise PlatformError(36009004, "Invalid parameter: 'address' must be an https URL.", 400)
    created = call.shop.webhooks.get(event_type, (address, now(), now()))[1]
    call.shop.webhooks[event_type] = (address, created, now())
    return ok({})


@router.delete(_PATH)
async def delete_webhook(call: ShopCallDep) -> JSONResponse:
    """Delete Shop Webhook of an event type."""
    event_type = _event_type(call.json().get("event_type"))
    call.shop.webhooks.pop(event_type, None)
    return ok({})
