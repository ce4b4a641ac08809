"""Logistics API: warehouses, delivery options, shipping providers (reference A6 Logistics)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCallDep
from tiktok_shop_sandbox.logistics import DELIVERY_OPTION, SHIPPING_PROVIDERS

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
