"""Products deleted in Shopify: deactivate their TikTok Shop listings."""

from collections.abc import Sequence

import structlog
from connector_connections import PlatformClients
from connector_runtime.db import Connection as Db

from catalog_sync import store
from catalog_sync.core.reasons import deleted_reason
from catalog_sync.core.status import SyncStatus, failed
from catalog_sync.pushing import PLATFORM_ERRORS
from catalog_sync.store import ProductRecord

log = structlog.get_logger()

DEACTIVATE_BATCH = 20  # TikTok's Deactivate Products takes at most 20 ids per call
INACTIVE = frozenset({"SELLER_DEACTIVATED", "DELETED"})


async def deactivate(clients: PlatformClients, tiktok_ids: Sequence[str]) -> dict[str, str | None]:
    """Deactivate products in batches of 20; per id, None or why TikTok refused."""
    outcome: dict[str, str | None] = {}
    for start in range(0, len(tiktok_ids), DEACTIVATE_BATCH):
        batch = list(tiktok_ids[start : start + DEACTIVATE_BATCH])
        try:
            result = await clients.tiktok.products.deactivate(batch)
        except PLATFORM_ERRORS as exc:
            outcome |= {pid: f"{type(exc).__name__}: {exc}" for pid in batch}
            continue
        errors = {str(e.detail.get("product_id")): e.message for e in result.errors}
        outcome |= {pid: errors.get(pid) for pid in batch}
    return outcome


async def on_deleted(db: Db, clients: PlatformClients, record: ProductRecord) -> None:
    """After marking `record` deleted: deactivate its TikTok listing and say so on the product."""
    pid, tiktok_id = record.source.shopify_product_id, record.tiktok_product_id
    if tiktok_id is None:
        reason = deleted_reason(linked=False, error=None)
        await store.record_deactivation(
            db, record.connection_id, pid, record.status, None, reason.message
        )
        return
    error = None
    if record.tiktok_status not in INACTIVE:
        error = (await deactivate(clients, [tiktok_id]))[tiktok_id]
    status = failed(linked=True) if error else SyncStatus.SYNCED
    tiktok_status = None if error else "SELLER_DEACTIVATED"
    if record.tiktok_status in INACTIVE:
        tiktok_status = record.tiktok_status
    reason = deleted_reason(linked=True, error=error)
    await store.record_deactivation(
        db, record.connection_id, pid, status, tiktok_status, reason.message
    )
    log.info("catalog.deleted_product_deactivated", product_id=pid, error=error)
