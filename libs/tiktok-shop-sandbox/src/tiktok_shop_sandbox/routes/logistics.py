"""Logistics API: warehouses, delivery options, shipping providers (reference A6 Logistics)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCallDep
from tiktok_shop_sandbox.logistics import DELIVERY_OPTION, SHIPPING_PROVIDERS
from tiktok_shop_sandbox.state import JsonDict, ShippingTemplate

router = APIRouter()


@router.get("/logistics/202309/warehouses")
async def warehouses(call: ShopCallDep) -> JSONResponse:
    """Get Warehouse List."""
    views = [
        {
            "id": w.id,
            "name": w.name,
            "effect_status": "ENABLED",
            "type": w.type,
            "sub_type": "DOMESTIC_WAREHOUSE",
            "is_default": w.is_default,
            "address": {"region_code": call.shop.region},
        }
        for w in call.shop.warehouses
    ]
    return ok({"warehouses": views})


def _template_view(template: ShippingTemplate) -> JsonDict:
    reasons = []
    if template.unreachable_reason:
        reason = {"filter_type": "9", "reason": template.unreachable_reason}
        reasons = [{"service_id": "0", "filter_reason": [reason]}]
    return {
        "template_is_available": template.available,
        "template": {
            "template_name": template.name,
            "template_id": template.id,
            "is_default": template.is_default,
            "template_party": template.party,
        },
        "service_unreachable_reason": reasons,
    }


@router.get("/logistics/202510/seller_templates")
async def shipping_templates(call: ShopCallDep) -> JSONResponse:
    """Get Available Shipping Template: the shop's own templates, usable or with the reason
    they are not."""
    return ok({"templates": [_template_view(t) for t in call.shop.shipping_templates]})


@router.get("/logistics/202309/warehouses/{warehouse_id}/delivery_options")
async def delivery_options(warehouse_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Warehouse Delivery Options."""
    if all(w.id != warehouse_id for w in call.shop.warehouses):
        raise PlatformError(11005004, "warehouse not exist")
    return ok({"delivery_options": [DELIVERY_OPTION]})


@router.get("/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers")
async def shipping_providers(delivery_option_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Shipping Providers of a delivery option."""
    if delivery_option_id != DELIVERY_OPTION["id"]:
        raise PlatformError(21008116, "No Subscription without specified delivery option.")
    return ok({"shipping_providers": SHIPPING_PROVIDERS})
