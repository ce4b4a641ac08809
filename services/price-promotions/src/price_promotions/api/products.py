"""Price and activity state per product and SKU in a region."""

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from price_promotions import store
from price_promotions.api.deps import Db, region_of

router = APIRouter(prefix="/api/v1/pricing", tags=["pricing"])


@router.get("/{connection_id}/regions/{tiktok_shop_id}/products")
async def list_products(
    connection_id: str,
    tiktok_shop_id: str,
    db: Db,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """The region's products: last sync status and reason, SKU prices, activity."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    rows = await store.list_states(db, region, limit, offset)
    return {"products": rows, "total": await store.count_states(db, region)}


@router.get("/{connection_id}/regions/{tiktok_shop_id}/products/{product_id}")
async def get_product(
    connection_id: str, tiktok_shop_id: str, product_id: str, db: Db
) -> dict[str, Any]:
    """One product's price state (`product_id`: Shopify's numeric id or its gid)."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    gid = product_id if product_id.startswith("gid://") else f"gid://shopify/Product/{product_id}"
    rows = await store.list_states(db, region, 1, 0, shopify_product_id=gid)
    if not rows:
        raise HTTPException(404, f"no price state for {gid} in {tiktok_shop_id}")
    return rows[0]
