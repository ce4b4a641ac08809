"""Optimize Info records: what the connector set on a TikTok listing, and what it replaced."""

from collections.abc import Sequence

from connector_runtime.db import Connection

from catalog_sync.core.optimization import Applied, OptimizedField

_KEY = "connection_id=$1 AND tiktok_shop_id=$2 AND shopify_product_id=$3"


async def applied_optimizations(
    db: Connection, connection_id: str, shop_id: str, product_id: str
) -> list[Applied]:
    """The optimizations in force on the product's listing in one region."""
    rows = await db.fetch(
        f"SELECT field, previous, applied FROM optimizations WHERE {_KEY} ORDER BY field",
        connection_id,
        shop_id,
        product_id,
    )
    return [
        Applied(field=OptimizedField(r["field"]), previous=r["previous"], applied=r["applied"])
        for r in rows
    ]


async def record_optimization(
    db: Connection, connection_id: str, shop_id: str, product_id: str, change: Applied
) -> None:
    """Record an applied value. One made on top of the last (its `previous` is what the last
    applied) keeps the first `previous`, so Undo goes back to TikTok's value before any
    optimization; one made on another value (it changed since, e.g. a new Shopify main image
    pushed) starts again from that value."""
    await db.execute(
        "INSERT INTO optimizations (connection_id, tiktok_shop_id, shopify_product_id, field,"
        " previous, applied) VALUES ($1,$2,$3,$4,$5,$6)"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id, field)"
        " DO UPDATE SET previous = CASE WHEN optimizations.applied = EXCLUDED.previous"
        " THEN optimizations.previous ELSE EXCLUDED.previous END,"
        " applied = EXCLUDED.applied, applied_at = now()",
        connection_id,
        shop_id,
        product_id,
        change.field.value,
        change.previous,
        change.applied,
    )


async def forget_optimizations(
    db: Connection,
    connection_id: str,
    shop_id: str,
    product_id: str,
    fields: Sequence[OptimizedField],
) -> None:
    """Drop undone optimizations."""
    await db.execute(
        f"DELETE FROM optimizations WHERE {_KEY} AND field = ANY($4::text[])",
        connection_id,
        shop_id,
        product_id,
        [f.value for f in fields],
    )
