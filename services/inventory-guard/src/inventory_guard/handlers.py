"""inventory-guard subscribers: keep SKU links and Shopify levels, and queue the product's
push (the TikTok calls are the `stock-push` workers')."""

from datetime import datetime

from connector_connections import shops_of, track_connections, track_shop_redaction
from connector_connections.replica import load_connection
from connector_contracts import (
    Envelope,
    InventoryChanged,
    InventorySyncRequested,
    ProductPushed,
    TikTokProductChanged,
)
from connector_runtime import work
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects

from inventory_guard import metrics, store
from inventory_guard.platforms import Deps
from inventory_guard.store import ProductKey


async def queue_push(
    conn: Connection, key: ProductKey, since: datetime | None, delay: float
) -> None:
    """Queue the product's push, due after `delay` or when the one already waiting is due
    (that one reads the newest figures: the change is coalesced into it, and a steady stream
    of changes never postpones it).

    First thing in the transaction, before the product row: queueing locks the item (or
    waits for a push running now to commit, then queues a fresh one), and the workers take
    the item before the product, so the two never wait for each other; a push can only
    start after this transaction, and so sees its figures."""
    due = await work.due_at(conn, store.PUSH, key.work_key)
    if due is not None:
        metrics.COALESCED.inc()
    await work.queue(conn, store.PUSH, key.work_key, at=due, delay_seconds=delay)
    if since is not None:
        await store.mark_pending(conn, key, since)


def build_events(deps: Deps) -> EventRouter:
    """The service's subscriptions: connections, SKU links, stock changes, Update stock."""
    events = track_shop_redaction(track_connections(EventRouter()))
    delay = deps.settings.inventory_coalesce_seconds

    @events.on(InventoryChanged)
    async def on_inventory_changed(envelope: Envelope[InventoryChanged], fx: Effects) -> None:
        """Keep the newest Shopify figure, and queue every product (and region) it stocks."""
        await keep_level(fx.conn, envelope.connection_id, envelope.payload, delay)

    @events.on(TikTokProductChanged)
    async def on_tiktok_product_changed(
        envelope: Envelope[TikTokProductChanged], fx: Effects
    ) -> None:
        """A status or review change on TikTok: re-read the product and re-assert the stock."""
        cid, product_id = envelope.connection_id, envelope.payload.tiktok_product_id
        for key in await store.products_of_tiktok_product(fx.conn, cid, product_id):
            await queue_push(fx.conn, key, None, delay)
            await store.forget_tiktok_view(fx.conn, key)

    events.on(ProductPushed)(on_product_pushed)
    events.on(InventorySyncRequested)(on_sync_requested)
    return events


async def keep_level(conn: Connection, cid: str, c: InventoryChanged, delay: float) -> None:
    """Store a Shopify figure unless a newer one is stored, and queue the products it stocks."""
    stored = await store.save_level(
        conn, cid, c.shopify_inventory_item_id, c.shopify_location_id, c.available, c.updated_at
    )
    if not stored:
        metrics.STALE.inc()  # older than the figure we hold: never sent over it
        return
    for key in await store.products_of_item(conn, cid, c.shopify_inventory_item_id):
        await queue_push(conn, key, c.updated_at, delay)


async def on_product_pushed(envelope: Envelope[ProductPushed], fx: Effects) -> None:
    """Keep the product's SKU links in its region, and send its stock."""
    p = envelope.payload
    shop_id = p.tiktok_shop_id or await _default_shop(fx.conn, envelope.connection_id)
    if shop_id is None:
        return  # no TikTok shop authorized: nothing to stock
    key = ProductKey(envelope.connection_id, shop_id, p.shopify_product_id)
    fields = {
        "region": p.region,
        "warehouse_id": p.warehouse_id,
        "sync_stock": p.sync_stock,
        "tiktok_status": None,  # re-read: a push changes the status (review)
    }
    await queue_push(fx.conn, key, None, 0.0)
    await store.save_link(fx.conn, key, p.tiktok_product_id, fields, p.skus)


async def on_sync_requested(envelope: Envelope[InventorySyncRequested], fx: Effects) -> None:
    """Update stock: send the product's stock now, in every region (or the one asked)."""
    p, cid = envelope.payload, envelope.connection_id
    connection = await load_connection(fx.conn, cid)
    shops = [s.shop_id for s in shops_of(connection)] if connection else []
    for shop_id in [p.tiktok_shop_id] if p.tiktok_shop_id else shops:
        key = ProductKey(cid, shop_id, p.shopify_product_id)
        if await store.load_product(fx.conn, key) is not None:
            await queue_push(fx.conn, key, None, 0.0)
            await store.forget_tiktok_view(fx.conn, key)


async def _default_shop(conn: Connection, connection_id: str) -> str | None:
    connection = await load_connection(conn, connection_id)
    shops = shops_of(connection) if connection else []
    return shops[0].shop_id if shops else None
