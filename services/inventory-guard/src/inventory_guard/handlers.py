"""inventory-guard subscribers: keep SKU links and Shopify levels, and queue the product's
push (the TikTok calls are the `stock-push` workers')."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import groupby

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
from inventory_guard.core.intake import Change, newest_levels
from inventory_guard.erasure import forget_connection
from inventory_guard.platforms import Deps
from inventory_guard.store import ProductKey


async def queue_push(
    conn: Connection, key: ProductKey, since: datetime | None, delay: float
) -> None:
    """Queue the product's push (`queue_pushes` for one product)."""
    await queue_pushes(conn, {key: since}, delay)


async def queue_pushes(
    conn: Connection, since: Mapping[ProductKey, datetime | None], delay: float
) -> None:
    """Queue each product's push, due after `delay` or when the one already waiting is due
    (that one reads the newest figures: the changes are coalesced into it, and a steady
    stream of changes never postpones it); `since`: the oldest Shopify change it carries.

    First thing in the transaction, before the product rows, in key order: queueing locks
    each item (or waits for a push running now to commit, then queues a fresh one), and the
    workers take the item before the product, so the two never wait for each other; a push
    can only start after this transaction, and so sees its figures."""
    fresh = await work.queue_many(
        conn, store.PUSH, [k.work_key for k in since], delay_seconds=delay
    )
    metrics.COALESCED.inc(len(since) - len(fresh))
    pending = sorted(
        ((k, at) for k, at in since.items() if at is not None), key=lambda p: p[0].work_key
    )
    if pending:
        await store.mark_pending_many(conn, pending)


def build_events(deps: Deps) -> EventRouter:
    """The service's subscriptions: connections, SKU links, stock changes, Update stock."""
    events = track_shop_redaction(
        track_connections(EventRouter(), forget_connection), forget_connection
    )
    delay = deps.settings.inventory_coalesce_seconds

    @events.on_batch(InventoryChanged, max_records=deps.settings.inventory_intake_batch_size)
    async def on_inventory_changed(
        envelopes: Sequence[Envelope[InventoryChanged]], fx: Effects
    ) -> None:
        """Keep the newest Shopify figure of each item and location, and queue every product
        (and region) they stock: a poll of many changes is one transaction, one push each."""
        await keep_levels(fx.conn, [(e.connection_id, e.payload) for e in envelopes], delay)

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


async def keep_levels(conn: Connection, changes: Sequence[Change], delay: float) -> None:
    """Store each level's newest figure unless a newer one is stored, and queue the products
    the stored ones stock (a push per product, whatever the number of its changes)."""
    newest = newest_levels(changes)
    metrics.COALESCED.inc(len(changes) - len(newest))  # carried by the push of a newer one
    since: dict[ProductKey, datetime] = {}
    for cid, group in groupby(newest, key=lambda level: level[0][0]):
        oldest = {change: at for (_, change), at in group}
        stored = await store.save_levels(conn, cid, list(oldest))
        metrics.STALE.inc(len(oldest) - len(stored))  # older than the figures we hold
        at: dict[str, datetime] = {}
        for c in stored:  # an item's oldest change not yet on TikTok, at any location
            item = c.shopify_inventory_item_id
            at[item] = min(at.get(item, oldest[c]), oldest[c])
        for item, key in await store.products_of_items(conn, cid, list(at)):
            since[key] = min(since.get(key, at[item]), at[item])
    await queue_pushes(conn, since, delay)


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
