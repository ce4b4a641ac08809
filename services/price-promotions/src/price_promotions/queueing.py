"""Queue a product's `price-sync` in a region, with what the metrics and logs need."""

from typing import Any

from connector_contracts import Envelope
from connector_runtime import work
from connector_runtime.db import Connection

from price_promotions.store import Region
from price_promotions.syncing import PRICE_SYNC, sync_key


async def queue_sync(
    conn: Connection, region: Region, shopify_product_id: str, cause: Envelope[Any] | None
) -> None:
    """Due now; a sync already queued for the product is moved up and carries the newer cause
    (several changes close together make one sync)."""
    payload: dict[str, Any] = {}
    if cause is not None:
        payload = {
            "correlation_id": cause.correlation_id,
            "changed_at": cause.occurred_at.isoformat(),
        }
    await work.queue(conn, PRICE_SYNC, sync_key(region, shopify_product_id), payload=payload)
