"""TikTok Shop Warehouse Setting and Template Settings: a region's shop's warehouses and
shipping templates as TikTok lists them, each marked with the region's choice; a choice is
checked against the same lists when the settings are saved."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from catalog_sync import store
from catalog_sync.api.deps import (
    IN_REGION_RESPONSES,
    PREFIX,
    DbDep,
    InRegion,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
)
from catalog_sync.core.shipping import template_error, warehouse_error

router = APIRouter(prefix=PREFIX, tags=["catalog: settings and categories"])


class WarehouseView(BaseModel):
    """A warehouse of the region's TikTok shop."""

    id: str
    name: str
    type: str = Field(description="SALES_WAREHOUSE (stock ships from it) or RETURN_WAREHOUSE.")
    effect_status: str = Field(description="ENABLED, DISABLED or RESTRICTED (TikTok's).")
    is_default: bool = Field(description="TikTok's default: used while none is chosen.")
    selected: bool = Field(description="The region's products keep their stock here.")


class ShippingTemplateView(BaseModel):
    """A shipping template of the region's TikTok shop."""

    id: str
    name: str
    is_default: bool = Field(description="TikTok's default: used while none is chosen.")
    available: bool
    unavailable_reasons: list[str] = Field(description="TikTok's reasons it cannot be used.")
    selected: bool = Field(description="The region's products are bound to it.")


@router.get(
    "/{connection_id}/tiktok/warehouses",
    response_model=list[WarehouseView],
    responses=IN_REGION_RESPONSES,
)
async def tiktok_warehouses(
    connection_id: str, db: DbDep, platforms: PlatformsDep, region: RegionQuery = None
) -> list[WarehouseView]:
    """The region's shop's warehouses (Get Warehouse List) and which one its products use."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    settings = await store.load_settings(db, connection_id, chosen.shop_id)
    warehouses = await chosen.clients.tiktok.logistics.warehouses()
    sales = [w for w in warehouses if w.type == "SALES_WAREHOUSE"]
    default = next((w.id for w in sales if w.is_default), sales[0].id if sales else None)
    used = settings.warehouse_id or default
    return [
        WarehouseView(
            id=w.id,
            name=w.name,
            type=w.type,
            effect_status=w.effect_status,
            is_default=w.is_default,
            selected=w.id == used,
        )
        for w in warehouses
    ]


@router.get(
    "/{connection_id}/tiktok/shipping-templates",
    response_model=list[ShippingTemplateView],
    responses=IN_REGION_RESPONSES,
)
async def tiktok_shipping_templates(
    connection_id: str, db: DbDep, platforms: PlatformsDep, region: RegionQuery = None
) -> list[ShippingTemplateView]:
    """The region's shop's shipping templates (Get Available Shipping Template) and which one
    its products are bound to (none chosen: TikTok's default, nothing is sent)."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    settings = await store.load_settings(db, connection_id, chosen.shop_id)
    templates = await chosen.clients.tiktok.logistics.shipping_templates()
    return [
        ShippingTemplateView(
            id=t.template.template_id,
            name=t.template.template_name,
            is_default=t.template.is_default,
            available=t.template_is_available,
            unavailable_reasons=t.unavailable_reasons,
            selected=t.template.template_id == settings.shipping_template_id,
        )
        for t in templates
    ]


async def check_shipping_choice(
    chosen: InRegion, warehouse_id: str | None, template_id: str | None
) -> None:
    """422 with the merchant's reason when the region's shop cannot use a chosen warehouse or
    shipping template (None / empty: not being set)."""
    logistics = chosen.clients.tiktok.logistics
    if warehouse_id and (error := warehouse_error(await logistics.warehouses(), warehouse_id)):
        raise HTTPException(422, error)
    if template_id and (error := template_error(await logistics.shipping_templates(), template_id)):
        raise HTTPException(422, error)
