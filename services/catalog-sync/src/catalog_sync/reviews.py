"""TikTok's review outcome on a product's status, whichever of review and link commits first."""

import structlog
from connector_runtime.db import Connection as Db

from catalog_sync import metrics, store
from catalog_sync.core.reasons import audit_reason
from catalog_sync.core.status import failed
from catalog_sync.store import ProductRecord

log = structlog.get_logger()


async def apply_review(db: Db, record: ProductRecord, approved: bool, reasons: list[str]) -> None:
    """Record a review once (webhooks 5 and 37 both report it); a rejection explains itself."""
    audit_status = "APPROVED" if approved else "FAILED"
    if record.audit_status == audit_status:
        # Type 37 reports a rejection without reasons and type 5 with them, in either order:
        # the reviewer's words replace a reasonless record, the status stays as decided.
        reason = audit_reason(reasons).message
        if not approved and any(reasons) and record.reason != reason:
            await store.record_review(db, record, None, None, (record.status, reason))
        return
    metrics.AUDIT_RESULTS.labels("approved" if approved else "failed").inc()
    first_listing = record.tiktok_status in (None, "PENDING", "FAILED")
    failure = None if approved else (failed(not first_listing), audit_reason(reasons).message)
    # An approved first listing goes live; an approved edit of a listed product leaves its
    # status as it is (live, or deactivated by the status rule meanwhile).
    status = "FAILED" if not approved else "ACTIVATE" if first_listing else None
    await store.record_review(db, record, status, audit_status, failure)
    if failure:
        log.warning(
            "catalog.audit_failed", product_id=record.source.shopify_product_id, reason=failure[1]
        )


async def on_review(
    db: Db, tiktok_product_id: str, approved: bool, reasons: list[str]
) -> ProductRecord | None:
    """Apply a review now (returns the product as it then is), or keep it until the push that
    links the product commits (returns None)."""
    await store.lock_tiktok_product(db, tiktok_product_id)
    record = await store.product_by_tiktok_id(db, tiktok_product_id)
    if record is None:
        await store.save_pending_review(db, tiktok_product_id, approved, reasons)
        log.info("catalog.review_pending", tiktok_product_id=tiktok_product_id)
        return None
    await apply_review(db, record, approved, reasons)
    pid = record.source.shopify_product_id
    return await store.load_product(db, record.connection_id, pid, record.tiktok_shop_id)


async def apply_pending_review(
    db: Db, connection_id: str, product_id: str, shop_id: str | None, tiktok_product_id: str
) -> None:
    """After linking a product in a region (`shop_id`), in the same transaction, under the
    product's lock."""
    pending = await store.pop_pending_review(db, tiktok_product_id)
    record = await store.load_product(db, connection_id, product_id, shop_id) if pending else None
    if pending and record:
        await apply_review(db, record, *pending)
