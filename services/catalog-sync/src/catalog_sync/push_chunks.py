"""Push chunks: push a command's products a few at a time and record each outcome."""

import asyncio

import structlog
from connector_connections import Connection, Shop, shop_of, shops_of
from connector_contracts import CatalogPushRequested, Envelope, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox

from catalog_sync import metrics, store
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.platform import Platforms
from catalog_sync.pushed_events import RegionShop
from catalog_sync.pushing import (
    Failed,
    Listed,
    PushRun,
    needed_categories,
    open_run,
    push_product,
    requirements_for,
)
from catalog_sync.reviews import apply_pending_review
from catalog_sync.store import ProductRecord
from catalog_sync.sync_status_events import announce_products
from catalog_sync.task_events import announce_task

log = structlog.get_logger()


async def record_outcome(run: PushRun, record: ProductRecord, outcome: Listed | Failed) -> None:
    """Store one product's outcome, emit `product.pushed` and count the task's progress."""
    pool = await run.platforms.side_pool()
    pid = record.source.shopify_product_id
    cid = run.connection.connection_id
    async with pool.acquire() as db, db.transaction():
        if isinstance(outcome, Failed):
            await _record_failure(db, run, pid, outcome)
            await announce_products(db, run.platforms.settings, cid, [pid])
            return
        await _record_listed(db, run, pid, outcome, record.sync_rules)
        await announce_products(db, run.platforms.settings, cid, [pid])
    metrics.PUSH_RESULTS.labels("created" if outcome.created else "updated", "").inc()
    log.info(
        "catalog.pushed",
        product_id=pid,
        tiktok_product_id=outcome.tiktok_product_id,
        created=outcome.created,
    )


async def _record_failure(db: Db, run: PushRun, pid: str, outcome: Failed) -> None:
    await store.record_failure(
        db,
        run.connection.connection_id,
        pid,
        run.shop_id,
        outcome.status,
        outcome.reason.message,
        outcome.reason.platform_code,
        outcome.issues,
        run.task_id,
    )
    await store.task_progress(db, run.task_id, 0, 1)
    code = str(
        outcome.reason.platform_code or (outcome.issues[0].code if outcome.issues else "unknown")
    )
    metrics.PUSH_RESULTS.labels("failed", code).inc()
    log.warning(
        "catalog.push_failed",
        product_id=pid,
        status=outcome.status.value,
        reason=outcome.reason.message[:500],
        code=code,
    )


async def _record_listed(
    db: Db, run: PushRun, pid: str, outcome: Listed, product_rules: SyncRules | None
) -> None:
    """Store the listing, apply a review that arrived first and emit `product.pushed`."""
    cid = run.connection.connection_id
    await store.lock_tiktok_product(db, outcome.tiktok_product_id)
    await store.record_listed(
        db,
        cid,
        pid,
        run.shop_id,
        outcome.tiktok_product_id,
        outcome.tiktok_status,
        outcome.audit_status,
        outcome.links,
        run.task_id,
    )
    await apply_pending_review(db, cid, pid, run.shop_id, outcome.tiktok_product_id)
    # The push's region (ADR 0023): its shop, or the default one for a push naming none.
    shop = shop_of(run.connection, run.shop_id) if run.shop_id else None
    shop = shop or next(iter(shops_of(run.connection)), None)
    region = RegionShop(
        shop.shop_id if shop else None,
        shop.region if shop else None,
        run.settings.sync_rules,
        run.warehouse_id,
    )
    pushed = region.pushed(
        pid,
        outcome.tiktok_product_id,
        outcome.tiktok_status,
        outcome.links,
        product_rules,
        created=outcome.created,
    )
    await write_outbox(
        db,
        run.platforms.settings,
        new_envelope(
            pushed,
            connection_id=cid,
            task_id=run.task_id,
            correlation_id=run.cause.correlation_id if run.cause else None,
            causation_id=run.cause.event_id if run.cause else None,
        ),
    )
    await store.task_progress(db, run.task_id, 1, 0)


async def push_chunk(
    platforms: Platforms,
    db: Db,
    cause: Envelope[CatalogPushRequested],
    connection: Connection,
    shop: Shop | None,
) -> None:
    """Push the products of one command to a region (`shop`; None: the default), a few at a
    time (the TikTok client paces itself)."""
    p = cause.payload
    cid = p.connection_id
    run = await open_run(platforms, db, connection, cause, shop=shop)
    loaded = await store.load_products(db, cid, p.shopify_product_ids, run.shop_id)
    records = [r for r in loaded if not r.deleted]
    for category_id in sorted(needed_categories(run, records)):
        await requirements_for(run, db, category_id)
    unknown = len(set(p.shopify_product_ids)) - len(records)
    if unknown:
        await store.task_progress(db, p.task_id, 0, unknown)
    gate = asyncio.Semaphore(platforms.settings.catalog_push_concurrency)

    async def one(record: ProductRecord) -> None:
        async with gate:
            await record_outcome(run, record, await push_product(run, record))

    # A redelivered chunk skips products this task already recorded.
    await asyncio.gather(*(one(r) for r in records if r.last_push_task_id != p.task_id))
    # Once per chunk: the products' own commits are visible here (read committed).
    await announce_task(db, platforms.settings, p.task_id)
