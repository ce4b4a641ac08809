"""Reads for the API: a product's stock state per region and SKU."""

import json

from asyncpg import Record
from connector_runtime.db import Connection

from inventory_guard.api.views import RegionStock, SkuState
from inventory_guard.core.models import ProductSettings

_SKUS = (
    "SELECT s.tiktok_shop_id, s.tiktok_sku_id, s.shopify_variant_id, s.shopify_inventory_item_id,"
    " s.shopify_stock, s.sent_quantity, s.low, s.sent_at,"
    " COALESCE(jsonb_object_agg(l.shopify_location_id, l.available)"
    " FILTER (WHERE l.shopify_location_id IS NOT NULL), '{}')::text AS levels FROM skus s"
    " LEFT JOIN levels l ON l.connection_id = s.connection_id"
    " AND l.shopify_inventory_item_id = s.shopify_inventory_item_id"
    " WHERE s.connection_id = $1 AND s.shopify_product_id = $2"
    " GROUP BY s.connection_id, s.tiktok_shop_id, s.tiktok_sku_id ORDER BY s.tiktok_sku_id"
)


def _sku(r: Record) -> SkuState:
    return SkuState(
        tiktok_sku_id=r["tiktok_sku_id"],
        shopify_variant_id=r["shopify_variant_id"],
        shopify_inventory_item_id=r["shopify_inventory_item_id"],
        shopify_available=json.loads(r["levels"]),
        stock=r["shopify_stock"],
        tiktok_quantity=r["sent_quantity"],
        low=r["low"],
        last_sync_at=r["sent_at"],
    )


async def product_state(conn: Connection, cid: str, shopify_product_id: str) -> list[RegionStock]:
    """The product in every region it is linked in (empty: not linked)."""
    products = await conn.fetch(
        "SELECT *, overrides::text AS overrides_json FROM products WHERE connection_id = $1"
        " AND shopify_product_id = $2 ORDER BY tiktok_shop_id",
        cid,
        shopify_product_id,
    )
    skus = await conn.fetch(_SKUS, cid, shopify_product_id)
    return [
        RegionStock(
            tiktok_shop_id=p["tiktok_shop_id"],
            region=p["region"],
            tiktok_product_id=p["tiktok_product_id"],
            tiktok_status=p["tiktok_status"],
            policy=p["policy"],
            guard_deactivated=p["guard_deactivated"],
            sync_stock=p["sync_stock"],
            reason=p["reason"],
            reason_code=p["reason_code"],
            pending_since=p["pending_since"],
            last_sync_at=p["last_sync_at"],
            overrides=ProductSettings.model_validate_json(p["overrides_json"]),
            skus=[_sku(s) for s in skus if s["tiktok_shop_id"] == p["tiktok_shop_id"]],
        )
        for p in products
    ]
