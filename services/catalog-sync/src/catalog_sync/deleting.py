"""Products deleted in Shopify: deactivate their TikTok Shop listings, local and global.

A listing under review cannot be deactivated (TikTok answers 12052901), so the deletion is
remembered (`deleted`) and the review's approval deactivates it (docs/adr/0203).
"""

from collections.abc import Mapping, Sequence

import structlog
from connector_connections import PlatformClients
from connector_runtime.db import Connection as Db
from tiktok_shop import TikTokShopClient

from catalog_sync import metrics, store
from catalog_sync.core.global_products import RegionPublication, regional_products
from catalog_sync.core.reasons import (
    deleted_after_review_reason,
    deleted_global_reason,
    deleted_reason,
    deleted_under_review_reason,
)
from catalog_sync.core.status import SyncStatus, failed
from catalog_sync.pushing import PLATFORM_ERRORS
from catalog_sync.store import ProductRecord

log = structlog.get_logger()

DEACTIVATE_BATCH = 20  # TikTok's Deactivate Products takes at most 20 ids per call
INACTIVE = frozenset({"SELLER_DEACTIVATED", "DELETED"})
UNDER_REVIEW = "PENDING"


async def deactivate(tiktok: TikTokShopClient, tiktok_ids: Sequence[str]) -> dict[str, str | None]:
    """Deactivate products in batches of 20; per id, None or why TikTok refused."""
    outcome: dict[str, str | None] = {}
    for start in range(0, len(tiktok_ids), DEACTIVATE_BATCH):
        batch = list(tiktok_ids[start : start + DEACTIVATE_BATCH])
        try:
            result = await tiktok.products.deactivate(batch)
        except PLATFORM_ERRORS as exc:
            outcome |= {pid: f"{type(exc).__name__}: {exc}" for pid in batch}
            continue
        errors = {str(e.detail.get("product_id")): e.message for e in result.errors}
        outcome |= {pid: errors.get(pid) for pid in batch}
    return outcome


async def on_product_deleted(
    db: Db,
    clients: PlatformClients,
    connection_id: str,
    product_id: str,
    markets: Mapping[str, TikTokShopClient] | None = None,
    shop_id: str | None = None,
    regional: Mapping[str, PlatformClients] | None = None,
) -> bool:
    """Mark a product deleted in Shopify and deactivate its listings: its local one in the
    default region (`shop_id`) and in every other region (`regional`: clients by shop id), and
    its Global Product's; False: never pulled."""
    record = await store.load_product(db, connection_id, product_id, shop_id)
    if record is not None and record.tiktok_product_id:
        # Serialise with the product's review (reviews.on_review takes the same lock) so an
        # approval either sees the deletion or is seen by it.
        await store.lock_tiktok_product(db, record.tiktok_product_id)
        record = await store.load_product(db, connection_id, product_id, shop_id)
    if not await store.mark_deleted(db, connection_id, product_id):
        return False
    if record is not None and not record.deleted:
        await on_deleted(db, clients, record, markets or {})
        await _deactivate_regional(db, regional or {}, record)
    return True


async def _deactivate_regional(
    db: Db, regional: Mapping[str, PlatformClients], deleted: ProductRecord
) -> None:
    """Deactivate the product's local listings in its other regions, each through its own shop
    (`regional`: each authorized shop's clients, by shop id)."""
    cid, pid = deleted.connection_id, deleted.source.shopify_product_id
    for shop_id in await store.listing_regions(db, cid, pid):
        record = await store.load_product(db, cid, pid, shop_id)
        if shop_id == deleted.tiktok_shop_id or record is None or not record.tiktok_product_id:
            continue
        await store.lock_tiktok_product(db, record.tiktok_product_id)
        clients = regional.get(shop_id)
        if clients is None:
            error = "the connection is not authorized for this region's shop"
            await _record_outcome(db, record, deleted_reason(True, error).message, error)
            continue
        await _deactivate_listing(db, clients, record)


async def on_deleted(
    db: Db,
    clients: PlatformClients,
    record: ProductRecord,
    markets: Mapping[str, TikTokShopClient] | None = None,
) -> None:
    """After marking `record` deleted: deactivate it locally, or in every market it was published
    to as a Global Product (`markets`: each region's TikTok client), and say so on the product."""
    if record.global_product_id and not record.tiktok_product_id:
        await _deactivate_published(db, clients, markets or {}, record, record.global_product_id)
    else:
        await _deactivate_listing(db, clients, record)


async def _deactivate_listing(db: Db, clients: PlatformClients, record: ProductRecord) -> None:
    pid, tiktok_id = record.source.shopify_product_id, record.tiktok_product_id
    if tiktok_id is None:
        await _record(db, record, record.status, None, deleted_reason(False, None).message)
        _count("not_listed", pid, None)
        return
    error = None
    if record.tiktok_status not in INACTIVE:
        error = (await deactivate(clients.tiktok, [tiktok_id]))[tiktok_id]
    if error and record.tiktok_status == UNDER_REVIEW:
        # Remembered: the approval webhook deactivates it (after_review).
        await _record(db, record, record.status, None, deleted_under_review_reason().message)
        _count("awaiting_review", pid, error)
        return
    await _record_outcome(db, record, deleted_reason(True, error).message, error)


async def after_review(
    db: Db, clients: PlatformClients, record: ProductRecord, approved: bool
) -> None:
    """A review ended for a product deleted in Shopify: deactivate it now that TikTok can."""
    if not record.deleted or record.tiktok_product_id is None:
        return
    if not approved:
        reason = deleted_after_review_reason(False, None).message
        await _record(db, record, record.status, None, reason)
        _count("not_listed", record.source.shopify_product_id, None)
        return
    if record.tiktok_status in INACTIVE:
        return  # the twin webhook of a review already handled
    tiktok_id = record.tiktok_product_id
    error = (await deactivate(clients.tiktok, [tiktok_id]))[tiktok_id]
    await _record_outcome(db, record, deleted_after_review_reason(True, error).message, error)


async def _record_outcome(db: Db, record: ProductRecord, reason: str, error: str | None) -> None:
    if error:
        await _record(db, record, failed(linked=True), None, reason)
        _count("refused", record.source.shopify_product_id, error)
        return
    tiktok_status = record.tiktok_status if record.tiktok_status in INACTIVE else None
    await _record(db, record, SyncStatus.SYNCED, tiktok_status or "SELLER_DEACTIVATED", reason)
    _count("deactivated", record.source.shopify_product_id, None)


async def _deactivate_published(
    db: Db,
    clients: PlatformClients,
    regional: Mapping[str, TikTokShopClient],
    record: ProductRecord,
    global_product_id: str,
) -> None:
    """Deactivate each market's product of the Global Product, through that market's shop."""
    markets = await _markets(clients, global_product_id, record.published)
    outcome: dict[str, str | None] = {}
    for region, product_id in sorted(markets.items()):
        tiktok = regional.get(region)
        outcome[region] = (
            (await deactivate(tiktok, [product_id]))[product_id]
            if tiktok
            else "the connection is not authorized for this market's shop"
        )
        await _record_region(db, record, region, product_id, outcome[region])
        _count(
            "refused" if outcome[region] else "deactivated",
            record.source.shopify_product_id,
            outcome[region],
            region,
        )
    refused = any(outcome.values())
    status = failed(linked=True) if refused else record.status
    await _record(db, record, status, None, deleted_global_reason(outcome).message)


async def _markets(
    clients: PlatformClients, global_product_id: str, published: dict[str, RegionPublication]
) -> dict[str, str]:
    """Region -> product of the Global Product: the connector's record and TikTok's."""
    try:
        detail = await clients.tiktok.global_products.get(global_product_id)
    except PLATFORM_ERRORS as exc:
        # The connector's own record still names every publish it saw succeed.
        log.warning(
            "catalog.global_product_unreadable",
            global_product_id=global_product_id,
            error=str(exc)[:300],
        )
        return regional_products(published, [])
    return regional_products(published, [(p.region, p.id) for p in detail.products])


async def _record_region(
    db: Db, record: ProductRecord, region: str, product_id: str, error: str | None
) -> None:
    before = record.published.get(region)
    publication = RegionPublication(
        status=before.status if before else "published",
        product_id=product_id,
        reason=deleted_reason(True, error).message,
        tiktok_status=None if error else "SELLER_DEACTIVATED",
    )
    await store.record_publication(
        db, record.connection_id, record.source.shopify_product_id, region, publication
    )


async def _record(
    db: Db, record: ProductRecord, status: SyncStatus, tiktok_status: str | None, reason: str
) -> None:
    await store.record_deactivation(
        db,
        record.connection_id,
        record.source.shopify_product_id,
        record.tiktok_shop_id,
        status,
        tiktok_status,
        reason,
    )


def _count(outcome: str, product_id: str, error: str | None, region: str | None = None) -> None:
    metrics.DELETIONS.labels(outcome).inc()
    log_line = log.warning if outcome == "refused" else log.info
    log_line(
        "catalog.deleted_product_deactivation",
        product_id=product_id,
        outcome=outcome,
        region=region,
        error=(error or "")[:300] or None,
    )
