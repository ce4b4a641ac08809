"""Read-only TikTok lookups the console's product forms need: a category's rules (which
attributes, certifications, size chart, compliance it requires) and a listed product's SKUs."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from tiktok_shop.errors import BusinessError

from catalog_sync.api.deps import (
    IN_REGION_RESPONSES,
    PREFIX,
    DbDep,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
)
from catalog_sync.core.models import CategoryRequirements
from catalog_sync.pushing import cached_requirements

router = APIRouter(prefix=PREFIX, tags=["catalog: settings and categories"])


@router.get(
    "/{connection_id}/tiktok/categories/{category_id}/requirements",
    response_model=CategoryRequirements,
    responses={422: {"description": "A category TikTok does not know"}, **IN_REGION_RESPONSES},
)
async def category_requirements(
    connection_id: str,
    category_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> CategoryRequirements:
    """What a leaf of a region's category tree requires (TikTok's Get Attributes and Get
    Category Rules, the same cached answer a push checks against), to mark required fields."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    try:
        return await cached_requirements(db, chosen.clients, chosen.connection, category_id)
    except BusinessError as exc:
        raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc


class TikTokSkuView(BaseModel):
    """A SKU of a product listed on TikTok Shop."""

    id: str
    seller_sku: str = Field(description="The seller SKU; '' when the listing has none.")


class TikTokProductView(BaseModel):
    """A product listed on TikTok Shop (to map it to a Shopify product SKU by SKU)."""

    id: str
    title: str
    status: str
    skus: list[TikTokSkuView]


@router.get(
    "/{connection_id}/tiktok/products/{tiktok_product_id}",
    response_model=TikTokProductView,
    responses={404: {"description": "Not a product of the region's shop"}, **IN_REGION_RESPONSES},
)
async def tiktok_product(
    connection_id: str,
    tiktok_product_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> TikTokProductView:
    """A product of the region's shop by its TikTok product id, with its SKUs."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    try:
        found = await chosen.clients.tiktok.products.get(tiktok_product_id)
    except BusinessError as exc:
        raise HTTPException(404, f"TikTok Shop: {exc.message}") from exc
    return TikTokProductView(
        id=found.id,
        title=found.title,
        status=found.status,
        skus=[TikTokSkuView(id=s.id, seller_sku=s.seller_sku) for s in found.skus],
    )
