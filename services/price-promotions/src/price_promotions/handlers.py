"""price-promotions subscribers: turn facts into `price-sync` work for the regions concerned."""

from typing import Any

import structlog
from connector_connections import load_connection, shop_of, shops_of, track_connections
from connector_connections.erasure import track_shop_redaction
from connector_connections.replica import connection_for_shopify_shop
from connector_contracts import (
    Envelope,
    PriceSyncRequested,
    ProductPushed,
    ShopifyProductChanged,
    TikTokActivityChanged,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects

from price_promotions import store
from price_promotions.platform import Deps
from price_promotions.queueing import queue_sync
from price_promotions.store import Region
from price_promotions.sweeps import ensure_sweep

log = structlog.get_logger()

# Activity states after which TikTok no longer discounts the product.
_ENDED = frozenset({"EXPIRED", "DEACTIVATED"})


def build_events(deps: Deps) -> EventRouter:
    """The service's subscriptions."""
    events = track_shop_redaction(
        track_connections(EventRouter(), store.forget_connection), store.forget_connection
    )
    every = deps.settings.price_sweep_seconds

    @events.on(ProductPushed)
    async def on_product_pushed(envelope: Envelope[ProductPushed], fx: Effects) -> None:
        """Keep the product's SKU links and sync its price (a new product needs its deal)."""
        pushed = envelope.payload
        connection = await load_connection(fx.conn, envelope.connection_id)
        shops = shops_of(connection) if connection else []
        # The region the product was pushed to (a push naming none went to the default one).
        shop = (
            shop_of(connection, pushed.tiktok_shop_id)
            if connection and pushed.tiktok_shop_id
            else None
        )
        shop = shop or (shops[0] if shops and pushed.tiktok_shop_id is None else None)
        if shop is None:
            log.info("price.pushed_to_unknown_region", tiktok_shop_id=pushed.tiktok_shop_id)
            return
        region = Region(envelope.connection_id, shop.shop_id, shop.region)
        await store.upsert_links(
            fx.conn,
            region,
            pushed.shopify_product_id,
            pushed.tiktok_product_id,
            pushed.skus,
            pushed.sync_price,
        )
        await ensure_sweep(fx.conn, region, every)
        await queue_sync(fx.conn, region, pushed.shopify_product_id, envelope)

    events.on(ShopifyProductChanged)(on_shopify_product_changed)
    events.on(PriceSyncRequested)(on_price_sync_requested)
    events.on(TikTokActivityChanged)(on_activity_changed)
    return events


async def on_shopify_product_changed(
    envelope: Envelope[ShopifyProductChanged], fx: Effects
) -> None:
    """A Shopify product changed (maybe its prices): sync it in every region it is in."""
    change = envelope.payload
    # The gateway sends one event per connection of the store (ADR 0300): the envelope's.
    connection = await load_connection(
        fx.conn, envelope.connection_id
    ) or await connection_for_shopify_shop(fx.conn, change.shop_domain)
    if connection is not None:
        await _sync_everywhere(fx, connection.connection_id, change.shopify_product_id, envelope)


async def on_price_sync_requested(envelope: Envelope[PriceSyncRequested], fx: Effects) -> None:
    """catalog-sync asks for a product's prices to be pushed now: in the region it names
    (None, from older producers: every region the product is linked in)."""
    p = envelope.payload
    if p.tiktok_shop_id is None:
        await _sync_everywhere(fx, envelope.connection_id, p.shopify_product_id, envelope)
        return
    region = await _region(fx.conn, envelope.connection_id, p.tiktok_shop_id)
    linked = await store.linked_regions(fx.conn, envelope.connection_id, p.shopify_product_id)
    if region is None or region.tiktok_shop_id not in linked:
        log.info("price.sync_requested_in_unknown_region", tiktok_shop_id=p.tiktok_shop_id)
        return
    await queue_sync(fx.conn, region, p.shopify_product_id, envelope)


async def on_activity_changed(envelope: Envelope[TikTokActivityChanged], fx: Effects) -> None:
    """One of our activities ended on TikTok (expired, or deactivated in Seller Center): forget
    it and sync the product, which creates the next one while the window allows."""
    change = envelope.payload
    if change.status not in _ENDED:
        return
    ended = await store.forget_activity(fx.conn, change.tiktok_shop_id, change.activity_id)
    if ended is None:
        return  # not ours, or already replaced by a renewal
    region = await _region(fx.conn, ended[0], change.tiktok_shop_id)
    if region is not None:
        await queue_sync(fx.conn, region, ended[1], envelope)


async def _region(conn: Connection, connection_id: str, tiktok_shop_id: str) -> Region | None:
    connection = await load_connection(conn, connection_id)
    shop = shop_of(connection, tiktok_shop_id) if connection else None
    return Region(connection_id, shop.shop_id, shop.region) if shop else None


async def _sync_everywhere(
    fx: Effects, connection_id: str, shopify_product_id: str, envelope: Envelope[Any]
) -> None:
    connection = await load_connection(fx.conn, connection_id)
    if connection is None:
        return
    linked = set(await store.linked_regions(fx.conn, connection_id, shopify_product_id))
    for shop in shops_of(connection):
        if shop.shop_id in linked:
            region = Region(connection_id, shop.shop_id, shop.region)
            await queue_sync(fx.conn, region, shopify_product_id, envelope)
