"""Shopify's available stock read from Shopify itself rather than told by a webhook: the sweep
reads every item its region links, a push the items it holds no figure of yet (ADR 0450).
Reads go in batches, one `nodes(ids:)` call each (ADR 0420)."""

from collections.abc import Callable, Sequence
from datetime import datetime

from connector_contracts import InventoryChanged
from connector_runtime.db import Connection
from shopify import ShopifyClient

from inventory_guard import store


async def read_levels(
    conn: Connection,
    shopify: ShopifyClient,
    cid: str,
    items: Sequence[str],
    now: Callable[[], datetime],
) -> set[str]:
    """Read these items' levels at every location and store each batch as of its read (a
    webhook figure newer than the read is kept); returns the items Shopify answered for."""
    # A page of levels as wide as the widest item seen: one call per batch in the usual case;
    # items found at more locations are read again by the client with a wider page.
    per_item = max(1, await store.most_locations_per_item(conn, cid))
    answered: set[str] = set()
    at = now()
    async for batch in shopify.inventory.levels_of(items, levels_per_item=per_item):
        figures = [
            InventoryChanged(
                shopify_inventory_item_id=item,
                shopify_location_id=level.location_id,
                available=level.available,
                updated_at=at,
            )
            for item, levels in batch.items()
            for level in levels
            if level.available is not None
        ]
        if figures:
            await store.save_levels(conn, cid, figures)
        answered.update(batch)
        at = now()  # the next batch is read after this
    return answered
