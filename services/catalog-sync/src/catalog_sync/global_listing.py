"""EU Global Products: sync pulled products as global products and publish them to regions."""

import asyncio

import structlog
from connector_connections import Connection, location_card, region_of, shop_in_region, shop_of
from connector_contracts import (
    CatalogGlobalRequested,
    Envelope,
    ProductPushed,
    SkuLink,
    new_envelope,
)
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox
from tiktok_shop.models.global_products import GlobalProductResult, PublishResult
from tiktok_shop.models.products import CreatedSku, ProductWriteResult

from catalog_sync import metrics, store
from catalog_sync.core.global_products import (
    GlobalStatus,
    RegionPublication,
    publish_issues,
    publish_target,
    refused_publications,
    to_global_product,
)
from catalog_sync.core.mapping import PushTarget
from catalog_sync.core.models import SourceProduct
from catalog_sync.core.precheck import summary
from catalog_sync.core.reasons import Reason
from catalog_sync.platform import Platforms
from catalog_sync.pushed_events import RegionShop, load_region_shop
from catalog_sync.pushing import (
    PLATFORM_ERRORS,
    Plan,
    PushRun,
    _failure,
    build_body,
    needed_categories,
    open_run,
    plan_push,
    requirements_for,
    sku_links,
)
from catalog_sync.store import ProductRecord
from catalog_sync.task_events import announce_task

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


def global_plan(run: PushRun, record: ProductRecord) -> tuple[ProductRecord, Plan]:
    """What a global sync of the product would send and what stops it (category requirements
    preloaded in `run`). A local listing in one region does not stop it: publishing decides
    region by region."""
    local = record.model_copy(update={"sku_links": []})
    return local, plan_push(run, local)


async def sync_one(
    run: PushRun, record: ProductRecord
) -> tuple[GlobalStatus, str | None, str | None, dict[str, str] | None]:
    """Create one global product, or edit the one it was synced as before."""
    failed = GlobalStatus.UPDATE_FAILED if record.global_product_id else GlobalStatus.SYNC_FAILED
    local, plan = global_plan(run, record)
    if plan.issues or plan.requirements is None:
        return failed, summary(plan.issues), None, None
    api = run.clients.tiktok.global_products
    try:
        body, _ = await build_body(run, local, plan)
        product = to_global_product(body)
        if record.global_product_id:
            result = await api.edit(record.global_product_id, product)
        else:
            result = await api.create(product)
    except PLATFORM_ERRORS as exc:
        linked = record.global_product_id is not None
        return failed, _failure(linked, exc).reason.message, None, None
    return GlobalStatus.SYNCED, None, result.global_product_id, global_skus(record.source, result)


def publications(result: PublishResult, regions: list[str]) -> dict[str, RegionPublication]:
    """Each region's outcome from a publish answer."""
    ids = {p.region.upper(): p.id for p in result.products}
    outcome = {}
    for r in result.publish_result:
        reasons = "; ".join(f.message for f in r.fail_reasons)
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
) -> tuple[dict[str, RegionPublication], dict[str, str]] | Reason:
    """Publish one global product to the requested regions (outcomes; product id -> shop id)."""
    regions = [r.upper() for r in command.regions]
    pool = await run.platforms.side_pool()
    async with pool.acquire() as db:
        shops = await store.listing_regions(
            db, record.connection_id, record.source.shopify_product_id
        )
        card = await location_card(db, record.connection_id)  # inventory-guard's (ADR 0360)
    issues = publish_issues(
        global_product_id=record.global_product_id,
        local_regions=[region_of(run.connection, shop_id) for shop_id in shops],
        published=record.published,
        regions=regions,
        consent=command.translation_consent,
    )
    if issues or record.global_product_id is None:
        return Reason(message=summary(issues))
    targets = [
        publish_target(r, record.source, record.global_skus, card.locations_in(r) if card else [])
        for r in regions
    ]
    try:
        result = await run.clients.tiktok.global_products.publish(record.global_product_id, targets)
    except PLATFORM_ERRORS as exc:
        return _failure(False, exc).reason
    return publications(result, regions), {p.id: p.shop_id for p in result.products}


async def regional_links(
    run: PushRun, record: ProductRecord, region: str, product_id: str, shop_id: str
) -> tuple[list[SkuLink], str | None]:
    """Variant <-> SKU links of a region's product and its status, as Get Product through that
    shop's own grant says them (Publish answers neither; a region the connection does not hold
    has no links, its orders do not reach it)."""
    connection = run.connection
    shop = shop_of(connection, shop_id) or shop_in_region(connection, region)
    if shop is None:
        log.warning("catalog.publish_shop_not_authorized", region=region, shop_id=shop_id)
        return [], None
    clients = run.platforms.platform_clients.for_shop(connection, shop)
    product = await clients.tiktok.products.get(product_id)
    skus = [
        CreatedSku(id=s.id, seller_sku=s.seller_sku, external_sku_id=s.external_sku_id)
        for s in product.skus
    ]
    target = PushTarget(region=region, category_id="")
    written = ProductWriteResult(product_id=product.id, skus=skus)
    return sku_links(record.source, written, target), product.status or None


async def _pushed_regions(
    run: PushRun,
    record: ProductRecord,
    outcome: dict[str, RegionPublication],
    shop_ids: dict[str, str],
) -> list[ProductPushed]:
    """One `product.pushed` per region published, with that region's product, SKU links and
    rules (ADR 0533)."""
    events = []
    for region, publication in outcome.items():
        if publication.status != "published" or publication.product_id is None:
            continue
        pid = publication.product_id
        status: str | None = None
        try:
            links, status = await regional_links(run, record, region, pid, shop_ids.get(pid, ""))
        except PLATFORM_ERRORS as exc:
            log.warning("catalog.publish_links_unavailable", region=region, error=str(exc))
            links = []
        outcome[region] = publication.model_copy(update={"tiktok_status": status})
        here = await _published_region(run, region, shop_ids.get(pid))
        source_id = record.source.shopify_product_id
        events.append(here.pushed(source_id, pid, status, links, record.sync_rules, created=True))
    return events


async def _published_region(run: PushRun, region: str, shop_id: str | None) -> RegionShop:
    """The region a product was published to, with its settings (its shop: the one TikTok
    answered, else the connection's shop in that market)."""
    shop = shop_of(run.connection, shop_id) if shop_id else None
    shop = shop or shop_in_region(run.connection, region)
    pool = await run.platforms.side_pool()
    async with pool.acquire() as db:
        return await load_region_shop(
            db, run.connection.connection_id, shop.shop_id if shop else shop_id, region
        )


async def _record(
    run: PushRun, record: ProductRecord, cause: Envelope[CatalogGlobalRequested]
) -> None:
    pool = await run.platforms.side_pool()
    command = cause.payload
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
    answer = await publish_one(run, record, command)
    pushed = [] if isinstance(answer, Reason) else await _pushed_regions(run, record, *answer)
    async with pool.acquire() as db, db.transaction():
        if isinstance(answer, Reason):
            await store.record_global(
                db, cid, pid, record.global_status or GlobalStatus.NOT_SYNCED, answer.message
            )
            refused = refused_publications(record.published, command.regions, answer.message)
            for region, publication in refused.items():
                await store.record_publication(db, cid, pid, region, publication)
            await store.task_progress(db, command.task_id, 0, 1)
            log.warning("catalog.publish_refused", product_id=pid, reason=answer.message[:300])
            return
        outcome, _ = answer
        for region, publication in outcome.items():
            await store.record_publication(db, cid, pid, region, publication)
        for event in pushed:
            await write_outbox(
                db,
                run.platforms.settings,
                new_envelope(
                    event,
                    connection_id=cid,
                    task_id=command.task_id,
                    correlation_id=cause.correlation_id,
                    causation_id=cause.event_id,
                ),
            )
        ok = all(p.status == "published" for p in outcome.values())
        await store.task_progress(db, command.task_id, int(ok), int(not ok))


async def run_global(
    platforms: Platforms, db: Db, cause: Envelope[CatalogGlobalRequested], connection: Connection
) -> None:
    """Sync or publish the command's products, a few at a time, recording each outcome."""
    p = cause.payload
    run = await open_run(platforms, db, connection, global_scope=True)
    records = [
        r
        for r in await store.load_products(db, p.connection_id, p.shopify_product_ids, run.shop_id)
        if not r.deleted
    ]
    if p.action == "sync":
        for category_id in sorted(needed_categories(run, records)):
            await requirements_for(run, db, category_id)
    gate = asyncio.Semaphore(platforms.settings.catalog_push_concurrency)

    async def one(record: ProductRecord) -> None:
        async with gate:
            await _record(run, record, cause)

    await asyncio.gather(*(one(r) for r in records))
    await announce_task(db, platforms.settings, p.task_id)  # once per command, not per product
