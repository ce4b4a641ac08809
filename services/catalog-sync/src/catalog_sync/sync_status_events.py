"""`product.sync.changed`: a product's sync status in every region, written in the transaction
that changed it, so the gateway's Home counts follow each product without scanning any."""

from collections.abc import Sequence

from connector_contracts import (
    ProductSyncChanged,
    ProductSyncStatus,
    RegionSyncStatus,
    new_envelope,
)
from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from connector_runtime.settings import ServiceSettings


async def announce_products(
    db: Connection, settings: ServiceSettings, connection_id: str, product_ids: Sequence[str]
) -> None:
    """Stamp each product's next revision and put its statuses in the outbox of `db`'s
    transaction (unknown ids are skipped)."""
    # Locked in one order so two transactions announcing overlapping products cannot deadlock.
    bumped = await db.fetch(
        "UPDATE products p SET sync_revision = p.sync_revision + 1 FROM (SELECT shopify_product_id"
        " FROM products WHERE connection_id = $1 AND shopify_product_id = ANY($2::text[])"
        " ORDER BY shopify_product_id FOR UPDATE) AS locked"
        " WHERE p.connection_id = $1 AND p.shopify_product_id = locked.shopify_product_id"
        " RETURNING p.shopify_product_id, p.sync_revision, p.deleted",
        connection_id,
        sorted(set(product_ids)),
    )
    if not bumped:
        return
    # A second statement, so it sees the listings another transaction committed while this
    # one waited for the products' locks (a statement keeps the snapshot it started with).
    rows = await db.fetch(
        "SELECT shopify_product_id, tiktok_shop_id, status FROM local_listings"
        " WHERE connection_id = $1 AND shopify_product_id = ANY($2::text[])"
        " ORDER BY tiktok_shop_id",
        connection_id,
        [r["shopify_product_id"] for r in bumped],
    )
    regions: dict[str, list[RegionSyncStatus]] = {}
    for r in rows:
        regions.setdefault(r["shopify_product_id"], []).append(
            RegionSyncStatus(
                tiktok_shop_id=r["tiktok_shop_id"], status=ProductSyncStatus(r["status"])
            )
        )
    for b in bumped:
        pid = b["shopify_product_id"]
        event = ProductSyncChanged(
            shopify_product_id=pid,
            revision=b["sync_revision"],
            deleted=b["deleted"],
            regions=regions.get(pid, []),
        )
        await write_outbox(db, settings, new_envelope(event, connection_id=connection_id))
