"""Links to existing TikTok listings: one by hand (Map Product) or all by SKU (a task)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import structlog
from connector_connections import Connection, Shop
from connector_contracts import CatalogLinkRequested, Envelope, SkuLink, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox
from tiktok_shop.models.products import Product

from catalog_sync import metrics, store
from catalog_sync.core.auto_link import Link, NotLinked, TikTokListing, plan_links
from catalog_sync.core.map_product import TikTokSku
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.platform import Platforms
from catalog_sync.pushed_events import RegionShop, load_region_shop
from catalog_sync.reviews import apply_pending_review
from catalog_sync.settings import CatalogSyncSettings
from catalog_sync.sync_status_events import announce_products
from catalog_sync.task_events import announce_task

log = structlog.get_logger()

LISTED_IN_DETAIL = 50  # the task's detail names this many listings left; the rest are counted


@dataclass(frozen=True)
class RegionPlan:
    """What link by SKU found in one region: its shop, the listings it links, those left."""

    shop: Shop
    listed: dict[str, Product]
    links: list[Link]
    left: list[NotLinked]
    rules: Mapping[str, SyncRules | None]  # each Shopify product's own rules (overrides)

    @property
    def total(self) -> int:
        """Listings the region's part of the task covers."""
        return len(self.links) + len(self.left)


async def record_link(
    db: Db,
    settings: CatalogSyncSettings,
    connection_id: str,
    shopify_product_id: str,
    shop: RegionShop,
    tiktok: Product,
    links: Sequence[SkuLink],
    product_rules: SyncRules | None,
    task_id: str | None,
) -> None:
    """Store a link to an existing TikTok product of a region's shop (its status as TikTok
    gave it), apply a review that came first and tell order-relay, inventory-guard and
    price-promotions the region's SKU links and the product's rules (`product.pushed`)."""
    async with db.transaction():
        await store.lock_tiktok_product(db, tiktok.id)
        audit = tiktok.audit.status if tiktok.audit and tiktok.audit.status else None
        await store.record_listed(
            db,
            connection_id,
            shopify_product_id,
            shop.shop_id,
            tiktok.id,
            tiktok.status or None,
            audit,
            links,
            task_id,
        )
        await apply_pending_review(db, connection_id, shopify_product_id, shop.shop_id, tiktok.id)
        pushed = shop.pushed(
            shopify_product_id, tiktok.id, tiktok.status or None, links, product_rules
        )
        await write_outbox(db, settings, new_envelope(pushed, connection_id=connection_id))
        await announce_products(db, settings, connection_id, [shopify_product_id])


def _detail(plans: Sequence[RegionPlan]) -> str:
    parts = [f"{p.shop.region}: {_region_detail(len(p.links), p.left)}" for p in plans]
    return " ".join(parts) or "Linked 0 TikTok products by SKU: no authorized region."


def _region_detail(linked: int, left: list[NotLinked]) -> str:
    shown = [f"{x.tiktok_product_id} ({x.title}): {x.reason}" for x in left[:LISTED_IN_DETAIL]]
    more = len(left) - len(shown)
    tail = f"; and {more} more" if more > 0 else ""
    listed = "; ".join(shown)
    return f"Linked {linked} TikTok products by SKU. Not linked: {listed or 'none'}{tail}."


async def _plan_region(
    platforms: Platforms, db: Db, connection: Connection, shop: Shop
) -> RegionPlan:
    """Search the region's shop and match its listings not linked there yet to the Shopify
    products not linked there yet."""
    cid = connection.connection_id
    tiktok = platforms.platform_clients.for_shop(connection, shop).tiktok
    listed = {x.id: x async for x in tiktok.products.iter_search({"status": "ALL"})}
    ids = await store.product_ids(db, cid, None, shop.shop_id)
    records = await store.load_products(db, cid, ids, shop.shop_id)
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
    rules = {r.source.shopify_product_id: r.sync_rules for r in records}
    return RegionPlan(shop, listed, links, left, rules)


async def link_by_sku(
    platforms: Platforms,
    db: Db,
    cause: Envelope[CatalogLinkRequested],
    connection: Connection,
    shops: Sequence[Shop],
) -> None:
    """Link every TikTok listing of each region (`shops`) whose seller SKUs match one Shopify
    product not linked in that region yet; one task, counted and detailed per region."""
    p = cause.payload
    plans = [await _plan_region(platforms, db, connection, shop) for shop in shops]
    await store.set_task_total(db, p.task_id, sum(plan.total for plan in plans))
    for plan in plans:
        region = await load_region_shop(db, p.connection_id, plan.shop.shop_id, plan.shop.region)
        for link in plan.links:
            tiktok = plan.listed[link.tiktok_product_id]
            await record_link(
                db,
                platforms.settings,
                p.connection_id,
                link.shopify_product_id,
                region,
                tiktok,
                link.links,
                plan.rules[link.shopify_product_id],
                p.task_id,
            )
            await store.task_progress(db, p.task_id, 1, 0)
        metrics.AUTO_LINKS.labels("linked").inc(len(plan.links))
        metrics.AUTO_LINKS.labels("not_linked").inc(len(plan.left))
        log.info(
            "catalog.linked_by_sku",
            task_id=p.task_id,
            region=plan.shop.region,
            linked=len(plan.links),
            not_linked=len(plan.left),
        )
    await store.set_task_detail(db, p.task_id, _detail(plans))
    await store.task_progress(db, p.task_id, 0, sum(len(plan.left) for plan in plans))
    await announce_task(db, platforms.settings, p.task_id)
