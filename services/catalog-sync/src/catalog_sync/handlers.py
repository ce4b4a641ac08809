"""catalog-sync subscribers: load, call the core, store, emit."""

import structlog
from connector_connections import (
    Connection,
    inventory_locations,
    load_connection,
    region_shop_id,
    shop_of,
    shops_of,
    track_connections,
    track_inventory_locations,
)
from connector_connections.erasure import track_shop_redaction
from connector_connections.replica import connection_for_shopify_shop
from connector_contracts import (
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogLinkRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    Envelope,
    ProductPulled,
    ShopifyBulkOperationFinished,
    ShopifyProductChanged,
    TikTokProductChanged,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from catalog_sync import metrics, store
from catalog_sync.bulk_pulls import on_bulk_finished, start_bulk_pull
from catalog_sync.core.csv_edit import apply_update
from catalog_sync.core.status import audit_outcome
from catalog_sync.core.translate import to_source_product
from catalog_sync.deleting import after_review, on_product_deleted
from catalog_sync.global_listing import run_global
from catalog_sync.linking import link_by_sku
from catalog_sync.platform import Platforms
from catalog_sync.pulling import PULL_ERRORS, map_new_categories, store_pulled
from catalog_sync.push_chunks import push_chunk
from catalog_sync.reviews import on_review
from catalog_sync.store import ProductRecord
from catalog_sync.store.erasure import forget_connection
from catalog_sync.sync_status_events import announce_products
from catalog_sync.task_events import announce_task

log = structlog.get_logger()

REGION_NOT_AUTHORIZED = "That region's TikTok shop is no longer authorized; authorize it again"


def build_events(platforms: Platforms) -> EventRouter:
    """The service's subscriptions."""
    events = track_shop_redaction(
        track_connections(EventRouter(), forget_connection), forget_connection
    )
    track_inventory_locations(events)
    _subscribe_tasks(events, platforms)
    _subscribe_links(events, platforms)
    _subscribe_webhooks(events, platforms)
    return events


def _subscribe_tasks(events: EventRouter, platforms: Platforms) -> None:
    """The tasks a merchant starts: pulls, pushes, category CSV edits, global listing."""

    @events.on(CatalogPullRequested)
    async def on_pull_requested(envelope: Envelope[CatalogPullRequested], fx: Effects) -> None:
        """Start the pull's Shopify bulk operation and return: its finish completes the task."""
        p = envelope.payload
        connection = await _connection(fx, p.connection_id, p.task_id, "pull")
        if connection is None:
            return
        await _start_pull(platforms, fx, envelope, connection)

    @events.on(CatalogPushRequested)
    async def on_push_requested(envelope: Envelope[CatalogPushRequested], fx: Effects) -> None:
        """Push products (or fan "all products" out into chunks of products)."""
        p = envelope.payload
        connection = await _connection(fx, p.connection_id, p.task_id, "push")
        if connection is None:
            return
        shop_id = p.tiktok_shop_id or region_shop_id(connection, None)
        shop = shop_of(connection, shop_id) if shop_id else None
        if p.tiktok_shop_id and shop is None:
            await _finish(fx, p.task_id, "push", "error", REGION_NOT_AUTHORIZED)
            return
        if p.all_products:
            chunk_size = platforms.settings.catalog_push_chunk_size
            await _fan_out_push(fx, p.model_copy(update={"tiktok_shop_id": shop_id}), chunk_size)
            return
        await push_chunk(platforms, fx.conn, envelope, connection, shop)

    events.on(CatalogCsvApplyRequested)(on_csv_apply_requested)

    @events.on(CatalogGlobalRequested)
    async def on_global_requested(envelope: Envelope[CatalogGlobalRequested], fx: Effects) -> None:
        """Sync products as Global Products, or publish them to regions (a task)."""
        p = envelope.payload
        connection = await _connection(fx, p.connection_id, p.task_id, "global")
        if connection is None:
            return
        await run_global(platforms, fx.conn, envelope, connection)


def _subscribe_links(events: EventRouter, platforms: Platforms) -> None:
    """Link existing TikTok listings by SKU (a task the merchant starts)."""

    @events.on(CatalogLinkRequested)
    async def on_link_requested(envelope: Envelope[CatalogLinkRequested], fx: Effects) -> None:
        """Link existing TikTok listings to Shopify products by seller SKU (a task)."""
        p = envelope.payload
        connection = await _connection(fx, p.connection_id, p.task_id, "link")
        if connection is None:
            return
        # One region when asked (ADR 0340), else every authorized one in the same task.
        shop = shop_of(connection, p.tiktok_shop_id) if p.tiktok_shop_id else None
        if p.tiktok_shop_id and shop is None:
            await _finish(fx, p.task_id, "link", "error", REGION_NOT_AUTHORIZED)
            return
        shops = [shop] if shop else shops_of(connection)
        await link_by_sku(platforms, fx.conn, envelope, connection, shops)


def _subscribe_webhooks(events: EventRouter, platforms: Platforms) -> None:
    """What the platforms tell us: a bulk export finished, a product changed, a review ended."""

    @events.on(ShopifyBulkOperationFinished)
    async def on_bulk_operation_finished(
        envelope: Envelope[ShopifyBulkOperationFinished], fx: Effects
    ) -> None:
        """Store the export of the pull waiting on this operation and finish its task."""
        operation_id = envelope.payload.admin_graphql_api_id
        await on_bulk_finished(platforms, fx.conn, envelope.connection_id, operation_id)

    @events.on(ShopifyProductChanged)
    async def on_shopify_product_changed(
        envelope: Envelope[ShopifyProductChanged], fx: Effects
    ) -> None:
        """Auto-pull a created / updated product (when enabled); record deletions."""
        connection = await _shop_connection(fx, envelope)
        if connection is not None:
            await _product_changed(platforms, fx, connection, envelope.payload)

    @events.on(TikTokProductChanged)
    async def on_tiktok_product_changed(
        envelope: Envelope[TikTokProductChanged], fx: Effects
    ) -> None:
        """Apply TikTok's review outcome (types 5 / 37); deactivate a product deleted meanwhile."""
        p = envelope.payload
        outcome = audit_outcome(p.status, p.audit_status)
        if outcome is None:
            log.info(
                "catalog.product_webhook",
                tiktok_product_id=p.tiktok_product_id,
                type=p.webhook_type,
            )
            return
        record = await on_review(fx.conn, p.tiktok_product_id, outcome, p.reasons)
        if record is not None and record.deleted:
            await _deactivate_reviewed(platforms, fx, record, outcome)
        if record is not None:
            pid = record.source.shopify_product_id
            await announce_products(fx.conn, fx.settings, record.connection_id, [pid])


async def on_csv_apply_requested(envelope: Envelope[CatalogCsvApplyRequested], fx: Effects) -> None:
    """Apply a category CSV upload's valid rows to the products' listing data."""
    p = envelope.payload
    current = {
        pid: listing
        for pid, _, _, listing in await store.product_listings(fx.conn, p.connection_id)
    }
    updates = [
        (u.shopify_product_id, apply_update(current[u.shopify_product_id], u))
        for u in p.updates
        if u.shopify_product_id in current
    ]
    await store.save_listings(fx.conn, p.connection_id, updates)
    await store.task_progress(fx.conn, p.task_id, len(updates), len(p.updates) - len(updates))
    await _finish(
        fx,
        p.task_id,
        "csv",
        "completed",
        f"updated {len(updates)} products of {p.category_key}",
    )


async def _start_pull(
    platforms: Platforms,
    fx: Effects,
    envelope: Envelope[CatalogPullRequested],
    connection: Connection,
) -> None:
    """Start the pull's bulk operation; a refusal or failure ends the task in error."""
    try:
        refusal = await start_bulk_pull(platforms, fx.conn, envelope, connection)
    except PULL_ERRORS as exc:
        refusal = f"Pull failed: {exc}"
    if refusal is not None:
        await _finish(fx, envelope.payload.task_id, "pull", "error", refusal)


async def _product_changed(
    platforms: Platforms, fx: Effects, connection: Connection, p: ShopifyProductChanged
) -> None:
    """Pull the changed product again (when auto-pull is on), or apply its deletion."""
    settings = await store.load_settings(fx.conn, connection.connection_id, None)
    product = None
    if p.action != "delete":
        if not settings.auto_pull:
            log.info("catalog.auto_pull_off", product_id=p.shopify_product_id)
            return
        product = await platforms.clients(connection).shopify.products.get(p.shopify_product_id)
    if product is None:
        await _product_gone(fx, platforms, connection, p.shopify_product_id)
        return
    locations = await inventory_locations(fx.conn, connection)
    source = to_source_product(product, locations)
    cid = connection.connection_id
    await store_pulled(fx.conn, platforms, cid, settings, [source], None, "webhook")
    await map_new_categories(fx.conn, platforms, connection)


async def _deactivate_reviewed(
    platforms: Platforms, fx: Effects, record: ProductRecord, approved: bool
) -> None:
    # Deleted in Shopify during the review: TikTok can deactivate it only now.
    connection = await load_connection(fx.conn, record.connection_id)
    if connection is None:
        return
    shop = shop_of(connection, record.tiktok_shop_id or "")  # the listing's region's shop
    if shop is None:
        clients = platforms.clients(connection)
    else:
        clients = platforms.platform_clients.for_shop(connection, shop)
    await after_review(fx.conn, clients, record, approved)


async def _fan_out_push(fx: Effects, p: CatalogPushRequested, chunk_size: int) -> None:
    """Turn an "all products" push into one push request per chunk of the task's products."""
    ids = await store.product_ids(fx.conn, p.connection_id, p.status, p.tiktok_shop_id)
    await store.set_task_total(fx.conn, p.task_id, len(ids))
    await announce_task(fx.conn, fx.settings, p.task_id)
    for chunk in chunks(ids, chunk_size):
        await fx.emit(
            CatalogPushRequested(
                connection_id=p.connection_id,
                task_id=p.task_id,
                shopify_product_ids=chunk,
                tiktok_shop_id=p.tiktok_shop_id,
            )
        )


async def _shop_connection(
    fx: Effects, envelope: Envelope[ShopifyProductChanged]
) -> Connection | None:
    """The connection of a Shopify product webhook: the envelope's, else the shop's."""
    shop = envelope.payload.shop_domain
    connection = await load_connection(
        fx.conn, envelope.connection_id
    ) or await connection_for_shopify_shop(fx.conn, shop)
    if connection is None:
        log.info("catalog.webhook_without_connection", shop=shop)
    return connection


async def _product_gone(
    fx: Effects, platforms: Platforms, connection: Connection, shopify_product_id: str
) -> None:
    """A product deleted in Shopify: apply the deletion and say so once."""
    cid = connection.connection_id
    clients, markets = platforms.clients(connection), platforms.market_clients(connection)
    shop_id = region_shop_id(connection, None)
    regional = {
        s.shop_id: platforms.platform_clients.for_shop(connection, s) for s in shops_of(connection)
    }
    if await on_product_deleted(
        fx.conn, clients, cid, shopify_product_id, markets, shop_id, regional
    ):
        await fx.emit(
            ProductPulled(
                shopify_product_id=shopify_product_id,
                title="",
                variant_count=0,
                deleted=True,
            ),
            connection_id=cid,
        )
        await announce_products(fx.conn, fx.settings, cid, [shopify_product_id])
        metrics.PRODUCTS_PULLED.labels("webhook", "delete").inc()


def chunks(ids: list[str], size: int) -> list[list[str]]:
    """`ids` in consecutive chunks of at most `size`."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


async def _connection(
    fx: Effects, connection_id: str, task_id: str, kind: str
) -> Connection | None:
    """The task's connection; a task for an unknown connection ends in error."""
    connection = await load_connection(fx.conn, connection_id)
    if connection is None:
        await _finish(fx, task_id, kind, "error", f"unknown connection {connection_id}")
    return connection


async def _finish(fx: Effects, task_id: str, kind: str, status: str, detail: str) -> None:
    await store.finish_task(fx.conn, task_id, status, detail)
    await announce_task(fx.conn, fx.settings, task_id)
    metrics.TASKS.labels(kind, status).inc()
    log.info("catalog.task_finished", task_id=task_id, kind=kind, status=status, detail=detail)
