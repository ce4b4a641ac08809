"""Links to existing TikTok listings: one by hand (Map Product) or all by SKU (a task)."""

from collections.abc import Sequence

import structlog
from connector_connections import Connection, region_shop_id
from connector_contracts import CatalogLinkRequested, Envelope, ProductPushed, SkuLink, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox
from tiktok_shop.models.products import Product

from catalog_sync import metrics, store
from catalog_sync.core.auto_link import NotLinked, TikTokListing, plan_links
from catalog_sync.core.map_product import TikTokSku
from catalog_sync.platform import Platforms
from catalog_sync.reviews import apply_pending_review
from catalog_sync.settings import CatalogSyncSettings

log = structlog.get_logger()

LISTED_IN_DETAIL = 50  # the task's detail names this many listings left; the rest are counted


async def record_link(
    db: Db,
    settings: CatalogSyncSettings,
    connection_id: str,
    shopify_product_id: str,
    shop_id: str | None,
    tiktok: Product,
    links: Sequence[SkuLink],
    task_id: str | None,
) -> None:
    """Store a link to an existing TikTok product of a region's shop (its status as TikTok
    gave it), apply a review that came first and tell order-relay the SKU links
    (`product.pushed`)."""
    async with db.transaction():
        await store.lock_tiktok_product(db, tiktok.id)
        audit = tiktok.audit.status if tiktok.audit and tiktok.audit.status else None
        await store.record_listed(
            db,
            connection_id,
            shopify_product_id,
            shop_id,
            tiktok.id,
            tiktok.status or None,
            audit,
            links,
            task_id,
        )
        await apply_pending_review(db, connection_id, shopify_product_id, shop_id, tiktok.id)
        pushed = ProductPushed(
            shopify_product_id=shopify_product_id,
            tiktok_product_id=tiktok.id,
            tiktok_status=tiktok.status or None,
            created=False,
            skus=list(links),
        )
        await write_outbox(db, settings, new_envelope(pushed, connection_id=connection_id))


def _detail(linked: int, left: list[NotLinked]) -> str:
    shown = [f"{x.tiktok_product_id} ({x.title}): {x.reason}" for x in left[:LISTED_IN_DETAIL]]
    more = len(left) - len(shown)
    tail = f"; and {more} more" if more > 0 else ""
    listed = "; ".join(shown)
    return f"Linked {linked} TikTok products by SKU. Not linked: {listed or 'none'}{tail}."


async def link_by_sku(
    platforms: Platforms, db: Db, cause: Envelope[CatalogLinkRequested], connection: Connection
) -> None:
    """Link every TikTok listing of the default region whose seller SKUs match one Shopify
    product not linked there yet."""
    p = cause.payload
    tiktok = platforms.clients(connection).tiktok
    shop_id = region_shop_id(connection, None)
    listed = {x.id: x async for x in tiktok.products.iter_search({"status": "ALL"})}
    ids = await store.product_ids(db, p.connection_id, None, shop_id)
    records = await store.load_products(db, p.connection_id, ids, shop_id)
    known = {r.tiktok_product_id for r in records if r.tiktok_product_id}
    listings = [
        TikTokListing(
            id=x.id,
            title=x.title,
            skus=[TikTokSku(id=s.id, seller_sku=s.seller_sku) for s in x.skus],
        )
        for x in listed.values()
        if x.id not in known
    ]
    linked = {r.source.shopify_product_id for r in records if r.tiktok_product_id}
    links, left = plan_links(listings, [r.source for r in records], linked)
    await store.set_task_total(db, p.task_id, len(listings))
    for link in links:
        await record_link(
            db,
            platforms.settings,
            p.connection_id,
            link.shopify_product_id,
            shop_id,
            listed[link.tiktok_product_id],
            link.links,
            p.task_id,
        )
        await store.task_progress(db, p.task_id, 1, 0)
    metrics.AUTO_LINKS.labels("linked").inc(len(links))
    metrics.AUTO_LINKS.labels("not_linked").inc(len(left))
    await store.set_task_detail(db, p.task_id, _detail(len(links), left))
    await store.task_progress(db, p.task_id, 0, len(left))
    log.info("catalog.linked_by_sku", task_id=p.task_id, linked=len(links), not_linked=len(left))
