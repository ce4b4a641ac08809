"""Push products to TikTok Shop: decide create vs update, call TikTok, record the outcome."""

from dataclasses import dataclass, field

import httpx
import structlog
from connector_connections import Connection, PlatformClients, Shop, region_shop_id
from connector_connections.shops import as_shop
from connector_contracts import CatalogPushRequested, Envelope, SkuLink
from connector_runtime.db import Connection as Db
from pydantic import BaseModel
from tiktok_shop import TikTokShopError
from tiktok_shop.errors import BusinessError, CredentialError
from tiktok_shop.models.products import ProductInput, ProductWriteResult

from catalog_sync import store
from catalog_sync.core.categories import CategoryMapping, category_key
from catalog_sync.core.global_products import GLOBAL_PREFIX, published_globally
from catalog_sync.core.listing import resolve_listing
from catalog_sync.core.mapping import PushTarget, TikTokSnapshot, status_action, to_tiktok_product
from catalog_sync.core.metafields import mapped_layer
from catalog_sync.core.models import (
    CategoryRequirements,
    Issue,
    ListingLayer,
    ResolvedListing,
    SourceProduct,
    SourceVideo,
)
from catalog_sync.core.optimization import main_image_swap
from catalog_sync.core.precheck import precheck, summary
from catalog_sync.core.reasons import (
    Reason,
    media_reason,
    platform_reason,
    unavailable_reason,
)
from catalog_sync.core.status import SyncStatus, failed
from catalog_sync.core.sync_rules import Mode, Source, SyncField, resolve_rules
from catalog_sync.core.videos import upload_name
from catalog_sync.platform import MediaUnavailable, Platforms, fetch_requirements, snapshot_of
from catalog_sync.store import CatalogSettings, ProductRecord

log = structlog.get_logger()


class Listed(BaseModel):
    """A product TikTok accepted, with the status and audit status TikTok gave it (None: not
    said, e.g. Get Product did not answer after the write; the record keeps the last said)."""

    tiktok_product_id: str
    tiktok_status: str | None
    audit_status: str | None
    links: list[SkuLink]
    created: bool


class Failed(BaseModel):
    """A product that did not list, and why."""

    status: SyncStatus
    reason: Reason
    issues: list[Issue] = []


@dataclass
class PushRun:
    """Everything one push chunk shares."""

    platforms: Platforms
    connection: Connection
    clients: PlatformClients
    settings: CatalogSettings
    mappings: dict[str, tuple[CategoryMapping, ListingLayer]]
    warehouse_id: str | None
    cause: Envelope[CatalogPushRequested] | None
    shop_id: str | None = None  # the region's TikTok shop (its local listings and settings)
    requirements: dict[str, CategoryRequirements] = field(default_factory=dict)
    global_scope: bool = False  # Global Products: global category mappings, no local link

    @property
    def task_id(self) -> str:
        """The push task."""
        return self.cause.payload.task_id if self.cause else "precheck"


async def open_run(
    platforms: Platforms,
    db: Db,
    connection: Connection,
    cause: Envelope[CatalogPushRequested] | None = None,
    *,
    global_scope: bool = False,
    shop: Shop | None = None,
) -> PushRun:
    """Load what a push, a Global Product run or a pre-check of the connection shares: in a
    region (`shop`, seen as the connection's default so its client, market and settings are
    used; None: the default region)."""
    cid = connection.connection_id
    if shop is not None:
        connection = as_shop(connection, shop)
        clients = platforms.platform_clients.for_shop(connection, shop)
    else:
        clients = platforms.clients(connection)
    shop_id = region_shop_id(connection, None)
    settings = await store.load_settings(db, cid, shop_id)
    return PushRun(
        platforms,
        connection,
        clients,
        settings,
        await store.load_mappings(db, cid, shop_id),
        settings.warehouse_id or await default_warehouse(clients),
        cause,
        shop_id=shop_id,
        global_scope=global_scope,
    )


def sku_links(
    source: SourceProduct, result: ProductWriteResult, target: PushTarget
) -> list[SkuLink]:
    """Variant <-> SKU links, matched by external SKU id (our variant id), then seller SKU."""
    by_external = {s.external_sku_id: s.id for s in result.skus if s.external_sku_id}
    by_seller = {s.seller_sku: s.id for s in result.skus if s.seller_sku}
    links = []
    for v in source.variants:
        sku_id = by_external.get(v.shopify_variant_id) or by_seller.get(v.sku or "")
        sku_id = sku_id or target.sku_ids.get(v.shopify_variant_id)
        if sku_id:
            links.append(
                SkuLink(
                    shopify_variant_id=v.shopify_variant_id,
                    shopify_inventory_item_id=v.inventory_item_id,
                    tiktok_sku_id=sku_id,
                    seller_sku=v.sku,
                    price=v.price,
                )
            )
    return links


async def upload_images(run: PushRun, urls: list[str]) -> dict[str, str]:
    """TikTok uris of the product's images, uploading only those never uploaded before."""
    pool = await run.platforms.side_pool()
    cid = run.connection.connection_id
    async with pool.acquire() as db:
        known = await store.uploaded_images(db, cid, urls)
    for url in (u for u in urls if u not in known):
        content = await run.platforms.image_bytes(url)
        uploaded = await run.clients.tiktok.catalog.upload_image(content, "MAIN_IMAGE")
        known[url] = uploaded.uri
        async with pool.acquire() as db:
            await store.save_image(db, cid, url, uploaded.uri)
    return known


async def upload_video(run: PushRun, video: SourceVideo) -> str:
    """The TikTok file id of a Shopify video, uploading it only the first time."""
    pool = await run.platforms.side_pool()
    cid = run.connection.connection_id
    async with pool.acquire() as db:
        known = await store.uploaded_video(db, cid, video.url)
    if known:
        return known
    content = await run.platforms.video_bytes(video)
    uploaded = await run.clients.tiktok.catalog.upload_file(content, upload_name(video))
    async with pool.acquire() as db:
        await store.save_video(db, cid, video.url, uploaded.id)
    return uploaded.id


async def optimized_main(run: PushRun, record: ProductRecord) -> dict[str, str]:
    """The product's optimized main image in the run's region (Optimize Info, ADR 0640)."""
    if not record.tiktok_product_id or run.shop_id is None:
        return {}
    pool = await run.platforms.side_pool()
    async with pool.acquire() as db:
        applied = await store.applied_optimizations(
            db, run.connection.connection_id, run.shop_id, record.source.shopify_product_id
        )
    return main_image_swap(applied)


async def certification_files(run: PushRun, listing: ResolvedListing) -> dict[str, str]:
    """The names the listing's PDF certificates were uploaded as."""
    ids = [f for c in listing.certifications.values() for f in c.file_ids]
    if not ids:
        return {}
    pool = await run.platforms.side_pool()
    async with pool.acquire() as db:
        return await store.certification_file_names(db, run.connection.connection_id, ids)


@dataclass(frozen=True)
class Plan:
    """What a push of one product would do, and what stops it."""

    mode: Mode
    rules: dict[SyncField, Source]
    listing: ResolvedListing
    category_id: str | None
    requirements: CategoryRequirements | None
    issues: list[Issue]


def plan_push(run: PushRun, record: ProductRecord) -> Plan:
    """Rules, listing data and pre-check issues (category requirements preloaded in `run`)."""
    linked = record.tiktok_product_id is not None
    mode = Mode.UPDATE if linked else Mode.CREATE
    rules = resolve_rules(run.settings.sync_rules, record.sync_rules, mode)
    key, mapping, category_listing = _mapping(run, record)
    category_id = mapping.tiktok_category_id if mapping else None
    requirements = run.requirements.get(category_id) if category_id else None
    # The category's metafield mappings fill attributes per product, below the product's own
    # values and above the category's and the store's (ADR 0645).
    mapped, mapped_issues = mapped_layer(
        record.source, mapping.metafield_mappings if mapping else [], requirements
    )
    listing = resolve_listing(record.listing, mapped, category_listing, run.settings.listing)
    issues = (
        precheck(
            record.source,
            key=key,
            mapping=mapping,
            requirements=requirements,
            listing=listing,
            edits=record.edits,
            rules=rules,
            region=run.connection.tiktok_region,
        )
        + mapped_issues
    )
    local = run.connection.tiktok_region.upper()  # local pushes go to the default region
    publication = record.published.get(local)
    if not run.global_scope and publication is not None and publication.status == "published":
        issues.insert(0, published_globally(local))
    return Plan(mode, rules, listing, category_id, requirements, issues)


async def build_body(
    run: PushRun, record: ProductRecord, plan: Plan
) -> tuple[ProductInput, PushTarget]:
    """Upload images as needed and build the TikTok product body."""
    assert plan.category_id
    assert plan.requirements
    source = record.source
    media = plan.rules[SyncField.MEDIA] is Source.ORIGIN
    uris = await upload_images(run, source.image_urls[:9]) if media else {}
    with_video = source.video and plan.rules[SyncField.VIDEO] is Source.ORIGIN
    video_id = await upload_video(run, source.video) if source.video and with_video else None
    current: TikTokSnapshot | None = None
    # An update reads the product first: its SKUs' warehouses (an edit must name the ones
    # TikTok keeps their stock in, whatever warehouse the region uses now) and TikTok's values
    # for "leave as is" rules.
    if record.tiktok_product_id:
        current = snapshot_of(await run.clients.tiktok.products.get(record.tiktok_product_id))
    new_listing = record.tiktok_product_id is None
    target = PushTarget(
        file_names=await certification_files(run, plan.listing),
        region=run.connection.tiktok_region,
        category_id=plan.category_id,
        warehouse_id=run.warehouse_id,
        shipping_template_id=run.settings.shipping_template_id,
        image_uris=uris,
        video_id=video_id,
        main_image_swap=await optimized_main(run, record) if media else {},
        sku_ids={link.shopify_variant_id: link.tiktok_sku_id for link in record.sku_links},
        idempotency_key=f"{source.shopify_product_id}:{run.task_id}" if new_listing else None,
    )
    body = to_tiktok_product(
        source,
        edits=record.edits,
        rules=plan.rules,
        listing=plan.listing,
        requirements=plan.requirements,
        target=target,
        current=current,
    )
    return body, target


async def _list(run: PushRun, record: ProductRecord, plan: Plan) -> Listed:
    body, target = await build_body(run, record, plan)
    products = run.clients.tiktok.products
    if record.tiktok_product_id is None:
        result = await products.create(body)
    else:
        result = await products.edit(record.tiktok_product_id, body)
        await _apply_status(run, record, plan.rules)
    status, audit = await said_status(run, result)
    return Listed(
        tiktok_product_id=result.product_id,
        tiktok_status=status,
        audit_status=audit,
        links=sku_links(record.source, result, target),
        created=plan.mode is Mode.CREATE,
    )


async def said_status(run: PushRun, result: ProductWriteResult) -> tuple[str | None, str | None]:
    """The product's status and audit status after a write, as TikTok says them.

    Create answers neither and Edit only the audit status, and a status rule may have changed
    the status since: Get Product says both. A product written but not readable now is still
    listed: its status is then unknown (None), never a guess.
    """
    audit = result.audit.status if result.audit and result.audit.status else None
    try:
        product = await run.clients.tiktok.products.get(result.product_id)
    except PLATFORM_ERRORS as exc:
        log.warning("catalog.status_unread", tiktok_product_id=result.product_id, error=str(exc))
        return None, audit
    said = product.audit.status if product.audit and product.audit.status else None
    return product.status or None, said or audit


async def _apply_status(
    run: PushRun, record: ProductRecord, rules: dict[SyncField, Source]
) -> None:
    """The "origin" status rule: mirror Shopify's active / draft status after an update."""
    action = status_action(record.source, rules)
    if action is None or record.tiktok_product_id is None:
        return
    products = run.clients.tiktok.products
    call = products.activate if action == "activate" else products.deactivate
    result = await call([record.tiktok_product_id])
    for error in result.errors:  # e.g. still under review: the next update retries it
        log.info("catalog.status_not_applied", action=action, reason=error.message)


async def requirements_for(run: PushRun, db: Db, category_id: str) -> CategoryRequirements:
    """A category's requirements, cached in the table and for the run."""
    if category_id not in run.requirements:
        run.requirements[category_id] = await cached_requirements(
            db, run.clients, run.connection, category_id
        )
    return run.requirements[category_id]


async def cached_requirements(
    db: Db, clients: PlatformClients, connection: Connection, category_id: str
) -> CategoryRequirements:
    """A TikTok category's requirements in the market of the connection's (default) shop,
    fetched once per region and cached (a market's tree has its own requirements)."""
    cid = connection.connection_id
    shop_id = region_shop_id(connection, None)
    cached = await store.load_requirements(db, cid, shop_id, category_id)
    if cached is None:
        cached = await fetch_requirements(clients.tiktok, category_id, connection.tiktok_region)
        await store.save_requirements(db, cid, shop_id, cached)
    return cached


def _mapping(
    run: PushRun, record: ProductRecord
) -> tuple[str | None, CategoryMapping | None, ListingLayer | None]:
    key = category_key(record.source, run.settings.categories_source)
    scoped = f"{GLOBAL_PREFIX}{key}" if run.global_scope and key else key
    mapping, listing = run.mappings.get(scoped, (None, None)) if scoped else (None, None)
    return key, mapping, listing


def _failure(linked: bool, exc: Exception) -> Failed:
    status = failed(linked)
    if isinstance(exc, MediaUnavailable):
        reason = media_reason(exc.url, exc.detail)
        return Failed(
            status=status,
            reason=reason,
            issues=[Issue(code="media_unavailable", message=reason.message)],
        )
    if isinstance(exc, BusinessError):
        return Failed(status=status, reason=platform_reason(exc.code, exc.message))
    if isinstance(exc, CredentialError):
        message = f"TikTok Shop refused our authorization ({exc.message}); reconnect the shop."
        return Failed(status=status, reason=Reason(message=message, platform_code=exc.code))
    return Failed(status=status, reason=unavailable_reason(f"{type(exc).__name__}: {exc}"))


PLATFORM_ERRORS = (TikTokShopError, httpx.HTTPError, MediaUnavailable)


async def push_product(run: PushRun, record: ProductRecord) -> Listed | Failed:
    """Push one product: pre-check, then create or update on TikTok."""
    plan = plan_push(run, record)
    linked = record.tiktok_product_id is not None
    if plan.issues or plan.category_id is None or plan.requirements is None:
        reason = Reason(message=summary(plan.issues))
        return Failed(status=failed(linked), reason=reason, issues=plan.issues)
    try:
        return await _list(run, record, plan)
    except PLATFORM_ERRORS as exc:
        return _failure(linked, exc)


async def listing_check(run: PushRun, db: Db, record: ProductRecord) -> list[Issue]:
    """Our pre-check, then TikTok's Check Product Listing on the body we would send."""
    _, mapping, _ = _mapping(run, record)
    if mapping and mapping.tiktok_category_id:
        await requirements_for(run, db, mapping.tiktok_category_id)
    plan = plan_push(run, record)
    if plan.issues:
        return plan.issues
    body, _ = await build_body(run, record, plan)
    check = await run.clients.tiktok.products.check_listing(body)
    return [
        Issue(code="tiktok_listing_check", message=platform_reason(r.code, r.message).message)
        for r in check.fail_reasons
    ]


async def default_warehouse(clients: PlatformClients) -> str | None:
    """The shop's default sales warehouse."""
    warehouses = [
        w for w in await clients.tiktok.logistics.warehouses() if w.type == "SALES_WAREHOUSE"
    ]
    default = next((w for w in warehouses if w.is_default), warehouses[0] if warehouses else None)
    return default.id if default else None


def needed_categories(run: PushRun, records: list[ProductRecord]) -> set[str]:
    """TikTok categories the records map to."""
    mappings = (_mapping(run, r)[1] for r in records)
    return {m.tiktok_category_id for m in mappings if m and m.tiktok_category_id}
