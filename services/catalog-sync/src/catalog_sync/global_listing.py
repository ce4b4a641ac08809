"""EU Global Products: sync pulled products as global products and publish them to regions."""

import asyncio

import structlog
from connector_connections import Connection
from connector_contracts import CatalogGlobalRequested, Envelope
from connector_runtime.db import Connection as Db
from tiktok_shop.models.global_products import GlobalProductResult, PublishResult

from catalog_sync import metrics, store
from catalog_sync.core.global_products import (
    GlobalStatus,
    RegionPublication,
    publish_issues,
    publish_target,
    to_global_product,
)
from catalog_sync.core.models import SourceProduct
from catalog_sync.core.precheck import summary
from catalog_sync.core.reasons import Reason
from catalog_sync.platform import Platforms
from catalog_sync.pushing import (
    PLATFORM_ERRORS,
    PushRun,
    _failure,
    build_body,
    default_warehouse,
    needed_categories,
    plan_push,
    requirements_for,
)
from catalog_sync.store import ProductRecord

log = structlog.get_logger()


def global_skus(source: SourceProduct, result: GlobalProductResult) -> dict[str, str]:
    """Variant -> global SKU, by seller SKU (else in request order)."""
    by_seller = {s.seller_sku: s.id for s in result.global_skus if s.seller_sku}
    in_order = [s.id for s in result.global_skus]
    return {
        v.shopify_variant_id: by_seller.get(v.sku or "") or in_order[i]
        for i, v in enumerate(source.variants)
        if (v.sku or "") in by_seller or i < len(in_order)
    }


async def sync_one(
    run: PushRun, record: ProductRecord
) -> tuple[GlobalStatus, str | None, str | None, dict[str, str] | None]:
    """Create one global product (updates of a global product are not available yet)."""
    failed = GlobalStatus.UPDATE_FAILED if record.global_product_id else GlobalStatus.SYNC_FAILED
    if record.tiktok_product_id:
        return (
            failed,
            "This product is listed locally already; a product is published once, either locally or as a Global Product.",
            None,
            None,
        )
    if record.global_product_id:
        return (
            failed,
            "Updating a synced Global Product from the connector is not available yet; edit it in Seller Center.",
            None,
            None,
        )
    local = record.model_copy(update={"sku_links": []})
    plan = plan_push(run, local)
    if plan.issues or plan.requirements is None:
        return failed, summary(plan.issues), None, None
    try:
        body, _ = await build_body(run, local, plan)
        result = await run.clients.tiktok.global_products.create(to_global_product(body))
    except PLATFORM_ERRORS as exc:
        return failed, _failure(False, exc).reason.message, None, None
    return GlobalStatus.SYNCED, None, result.global_product_id, global_skus(record.source, result)


def publications(result: PublishResult, regions: list[str]) -> dict[str, RegionPublication]:
    """Each region's outcome from a publish answer."""
    ids = {p.region.upper(): p.id for p in result.products}
    outcome = {}
    for r in result.publish_result:
        reasons = "; ".join(str((f.model_extra or {}).get("message", "")) for f in r.fail_reasons)
        ok = r.status.upper() == "SUCCESS"
        outcome[r.region.upper()] = RegionPublication(
            status="published" if ok else "failed",
            product_id=ids.get(r.region.upper()),
            reason=None if ok else reasons or "TikTok Shop did not publish the product",
        )
    return {
        r: outcome.get(r, RegionPublication(status="failed", reason="no answer for this region"))
        for r in regions
    }


async def publish_one(
    run: PushRun, record: ProductRecord, command: CatalogGlobalRequested
) -> dict[str, RegionPublication] | Reason:
    """Publish one global product to the requested regions."""
    regions = [r.upper() for r in command.regions]
    issues = publish_issues(
        global_product_id=record.global_product_id,
        local_product_id=record.tiktok_product_id,
        published=record.published,
        regions=regions,
        consent=command.translation_consent,
    )
    if issues or record.global_product_id is None:
        return Reason(message=summary(issues))
    locations = run.settings.region_locations
    targets = [
        publish_target(r, record.source, record.global_skus, locations.get(r)) for r in regions
    ]
    try:
        result = await run.clients.tiktok.global_products.publish(record.global_product_id, targets)
    except PLATFORM_ERRORS as exc:
        return _failure(False, exc).reason
    return publications(result, regions)


async def _record(run: PushRun, record: ProductRecord, command: CatalogGlobalRequested) -> None:
    pool = await run.platforms.side_pool()
    cid, pid = command.connection_id, record.source.shopify_product_id
    if command.action == "sync":
        status, reason, gid, skus = await sync_one(run, record)
        async with pool.acquire() as db, db.transaction():
            await store.record_global(db, cid, pid, status, reason, gid, skus)
            ok = status is GlobalStatus.SYNCED
            await store.task_progress(db, command.task_id, int(ok), int(not ok))
        metrics.PUSH_RESULTS.labels(
            "global_synced" if ok else "failed", "" if ok else "global"
        ).inc()
        return
    outcome = await publish_one(run, record, command)
    async with pool.acquire() as db, db.transaction():
        if isinstance(outcome, Reason):
            await store.record_global(
                db, cid, pid, record.global_status or GlobalStatus.NOT_SYNCED, outcome.message
            )
            await store.task_progress(db, command.task_id, 0, 1)
            log.warning("catalog.publish_refused", product_id=pid, reason=outcome.message[:300])
            return
        for region, publication in outcome.items():
            await store.record_publication(db, cid, pid, region, publication)
        ok = all(p.status == "published" for p in outcome.values())
        await store.task_progress(db, command.task_id, int(ok), int(not ok))


async def run_global(
    platforms: Platforms, db: Db, cause: Envelope[CatalogGlobalRequested], connection: Connection
) -> None:
    """Sync or publish the command's products, a few at a time, recording each outcome."""
    p = cause.payload
    settings = await store.load_settings(db, p.connection_id)
    clients = platforms.clients(connection)
    warehouse = settings.warehouse_id or await default_warehouse(clients)
    run = PushRun(
        platforms,
        connection,
        clients,
        settings,
        await store.load_mappings(db, p.connection_id),
        warehouse,
        None,
        global_scope=True,
    )
    records = [
        r
        for r in await store.load_products(db, p.connection_id, p.shopify_product_ids)
        if not r.deleted
    ]
    if p.action == "sync":
        for category_id in sorted(needed_categories(run, records)):
            await requirements_for(run, db, category_id)
    gate = asyncio.Semaphore(platforms.settings.catalog_push_concurrency)

    async def one(record: ProductRecord) -> None:
        async with gate:
            await _record(run, record, p)

    await asyncio.gather(*(one(r) for r in records))
