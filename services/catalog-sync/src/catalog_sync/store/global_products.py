"""EU Global Products state of products."""

import json
from collections.abc import Sequence

from connector_runtime.db import Connection

from catalog_sync.core.global_products import GlobalStatus, RegionPublication
from catalog_sync.store.models import ProductRecord, to_record
from catalog_sync.store.products import in_region

# --- Global Products ------------------------------------------------------------------------


async def add_to_global_list(db: Connection, connection_id: str, ids: Sequence[str]) -> None:
    """Put pulled products on the Global Products list (not synced yet)."""
    await db.execute(
        "UPDATE products SET global_listed=true, global_status=COALESCE(global_status,"
        " 'global_not_synced') WHERE connection_id=$1 AND shopify_product_id = ANY($2::text[])",
        connection_id,
        list(ids),
    )


async def record_global(
    db: Connection,
    connection_id: str,
    product_id: str,
    status: GlobalStatus,
    reason: str | None,
    global_product_id: str | None = None,
    skus: dict[str, str] | None = None,
) -> None:
    """A global sync's outcome."""
    await db.execute(
        "UPDATE products SET global_status=$3, global_reason=$4,"
        " global_product_id=COALESCE($5, global_product_id),"
        " global_skus=COALESCE($6::jsonb, global_skus), updated_at=now()"
        " WHERE connection_id=$1 AND shopify_product_id=$2",
        connection_id,
        product_id,
        status.value,
        reason,
        global_product_id,
        json.dumps(skus) if skus is not None else None,
    )


async def record_publication(
    db: Connection, connection_id: str, product_id: str, region: str, outcome: RegionPublication
) -> None:
    """A publish's outcome in one region."""
    await db.execute(
        "UPDATE products SET published = published || jsonb_build_object($3::text, $4::jsonb),"
        " updated_at=now() WHERE connection_id=$1 AND shopify_product_id=$2",
        connection_id,
        product_id,
        region,
        outcome.model_dump_json(),
    )


async def list_global(
    db: Connection,
    connection_id: str,
    status: str | None,
    limit: int,
    offset: int,
    shop_id: str | None,
) -> tuple[list[ProductRecord], int, dict[str, int]]:
    """A page of the Global Products list, with each product's local listing in the default
    region (`shop_id`), how many match, and counts per global status."""
    rows = await db.fetch(
        f"SELECT * FROM {in_region('$3')} WHERE connection_id=$1 AND global_listed"
        " AND NOT deleted AND ($2::text IS NULL OR global_status=$2) ORDER BY shopify_product_id"
        f" LIMIT {int(limit)} OFFSET {int(offset)}",
        connection_id,
        status,
        shop_id or "",
    )
    counted = await db.fetch(
        "SELECT global_status, count(*) AS n FROM products WHERE connection_id=$1 AND global_listed"
        " AND NOT deleted GROUP BY global_status",
        connection_id,
    )
    counts = {s.value: 0 for s in GlobalStatus} | {r["global_status"]: int(r["n"]) for r in counted}
    total = counts.get(status, 0) if status else sum(counts.values())
    return [to_record(r) for r in rows], total, counts


async def count_publish_failed(db: Connection, connection_id: str) -> int:
    """Products on the Global Products list some region refused to publish."""
    return int(
        await db.fetchval(
            "SELECT count(*) FROM products WHERE connection_id=$1 AND global_listed AND NOT"
            " deleted AND EXISTS (SELECT 1 FROM jsonb_each(published) AS p(region, outcome)"
            " WHERE p.outcome->>'status' = 'failed')",
            connection_id,
        )
        or 0
    )
