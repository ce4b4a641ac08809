"""The `activity_intents` table: activity generations a run set out to create (ADR 0520)."""

import asyncpg
from connector_runtime.db import Connection

from price_promotions.store import Region


async def note_intent(
    side_pool: asyncpg.Pool, region: Region, shopify_product_id: str, generation: int
) -> None:
    """Record, committed at once on the side pool, that the run creates this generation: the
    run's own transaction would roll the note back with everything else if it died."""
    async with side_pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO activity_intents (connection_id, tiktok_shop_id, shopify_product_id,"
            " generation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            region.connection_id,
            region.tiktok_shop_id,
            shopify_product_id,
            generation,
        )


async def noted_generations(conn: Connection, region: Region, shopify_product_id: str) -> list[int]:
    """The generations noted for the product."""
    rows = await conn.fetch(
        "SELECT generation FROM activity_intents WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
    )
    return [r["generation"] for r in rows]


async def settle_intents(
    conn: Connection, region: Region, shopify_product_id: str, through: int
) -> None:
    """Drop the notes up to generation `through`: recorded, adopted or ended (in the run's
    transaction, so they come back if it rolls back)."""
    await conn.execute(
        "DELETE FROM activity_intents WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND shopify_product_id = $3 AND generation <= $4",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
        through,
    )


async def products_with_intents(conn: Connection, region: Region) -> list[str]:
    """The region's products a run may have left an unrecorded activity for."""
    rows = await conn.fetch(
        "SELECT DISTINCT shopify_product_id FROM activity_intents WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 ORDER BY shopify_product_id",
        region.connection_id,
        region.tiktok_shop_id,
    )
    return [r["shopify_product_id"] for r in rows]
