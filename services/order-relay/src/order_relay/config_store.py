"""Per-connection inputs of the relay: order settings and Shopify variant <-> TikTok SKU links."""

import json
from collections.abc import Sequence

from connector_contracts import SkuLink as PushedSku
from connector_runtime.db import Connection

from order_relay.core.settings import OrderSettings
from order_relay.core.translate import SkuLink


async def load_settings(
    conn: Connection, connection_id: str, default: OrderSettings, shop_id: str | None = ""
) -> OrderSettings:
    """A region's order settings (`shop_id`: its TikTok shop), else those saved before the
    connection had a region, else the service default (ADR 0300)."""
    raw = await conn.fetchval(
        "SELECT settings FROM order_settings WHERE connection_id = $1"
        " AND tiktok_shop_id IN ($2, '') ORDER BY tiktok_shop_id = $2 DESC LIMIT 1",
        connection_id,
        shop_id or "",
    )
    return OrderSettings.model_validate(json.loads(raw)) if raw else default


async def save_settings(
    conn: Connection, connection_id: str, settings: OrderSettings, shop_id: str | None = ""
) -> None:
    """Replace a region's order settings (`shop_id` '': before the connection has a region)."""
    await conn.execute(
        "INSERT INTO order_settings (connection_id, tiktok_shop_id, settings) VALUES ($1, $2, $3)"
        " ON CONFLICT (connection_id, tiktok_shop_id) DO UPDATE SET settings = $3,"
        " updated_at = now()",
        connection_id,
        shop_id or "",
        settings.model_dump_json(),
    )


async def upsert_links(conn: Connection, connection_id: str, skus: Sequence[PushedSku]) -> None:
    """Keep the latest variant of each TikTok SKU."""
    await conn.executemany(
        "INSERT INTO sku_links (connection_id, tiktok_sku_id, shopify_variant_id,"
        " shopify_inventory_item_id, seller_sku) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (connection_id, tiktok_sku_id) DO UPDATE SET shopify_variant_id = $3,"
        " shopify_inventory_item_id = $4, seller_sku = $5, updated_at = now()",
        [
            (
                connection_id,
                s.tiktok_sku_id,
                s.shopify_variant_id,
                s.shopify_inventory_item_id,
                s.seller_sku,
            )
            for s in skus
        ],
    )


async def links_for(
    conn: Connection, connection_id: str, sku_ids: Sequence[str]
) -> dict[str, SkuLink]:
    """Links of the given TikTok SKUs."""
    rows = await conn.fetch(
        "SELECT tiktok_sku_id, shopify_variant_id, seller_sku FROM sku_links"
        " WHERE connection_id = $1 AND tiktok_sku_id = ANY($2::text[])",
        connection_id,
        list(sku_ids),
    )
    return {r["tiktok_sku_id"]: SkuLink(r["shopify_variant_id"], r["seller_sku"]) for r in rows}
