"""Products: list with status counts, details, edits, pre-check, pull, push, map, stock/price."""

from datetime import datetime
from typing import Annotated

from connector_connections import Connection, Shop, region_of, shop_of, shops_of
from connector_contracts import (
    CatalogLinkRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    SkuLink,
    new_envelope,
)
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, HTTPException, Query
from pydantic import AwareDatetime, BaseModel, Field
from tiktok_shop.errors import BusinessError

from catalog_sync import store
from catalog_sync.api.deps import (
    PREFIX,
    REGION_RESPONSES,
    DbDep,
    PlatformsDep,
    RegionQuery,
    TaskAccepted,
    connection_of,
    new_task_id,
    product_gid,
    region_shop,
    start_task,
)
from catalog_sync.core.global_products import locked_local_edit, published_to
from catalog_sync.core.listing_edit import merge_fields, merge_listing
from catalog_sync.core.map_product import TikTokSku, match_skus
from catalog_sync.core.models import (
    ConnectorEdits,
    Issue,
    ListingLayer,
    SourceVariant,
    SourceVideo,
)
from catalog_sync.core.status import SyncStatus
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.handlers import REGION_NOT_AUTHORIZED, chunks
from catalog_sync.linking import record_link
from catalog_sync.pushed_events import load_region_shop
from catalog_sync.pushing import listing_check, open_run
from catalog_sync.store import ProductRecord
from catalog_sync.task_events import announce_task

router = APIRouter(prefix=PREFIX, tags=["catalog: products"])
# Actions that call a region's shop: unknown region 404, shop no longer authorized 409.
LIVE_REGION_RESPONSES: dict[int | str, dict[str, str]] = {
    409: {"description": "The region's shop is no longer authorized"},
    **REGION_RESPONSES,
}


class ProductView(BaseModel):
    """A pulled product and its TikTok Shop sync state."""

    shopify_product_id: str
    title: str
    product_type: str
    category_key: str | None
    status: SyncStatus
    reason: str | None = Field(description="Why the last push failed, in the merchant's words.")
    issues: list[Issue]
    tiktok_product_id: str | None
    tiktok_status: str | None
    audit_status: str | None
    variant_count: int
    variants: list[SourceVariant] = Field(description="Variants as last pulled from Shopify.")
    video: SourceVideo | None = Field(
        default=None, description="The product's Shopify video (synced under the video rule)."
    )
    skus: list[SkuLink] = Field(description="Variant <-> TikTok SKU links.")
    edits: ConnectorEdits
    listing: ListingLayer
    sync_rules: SyncRules | None
    pushed_at: datetime | None
    pulled_at: datetime
    deleted: bool = Field(
        default=False, description="Deleted in Shopify (its TikTok listing is deactivated)."
    )
    global_tag: bool = Field(
        default=False,
        description="Listed in this region from Global Products (the guide's Global tag): "
        "its category, brand, images, SKUs, size chart and package change only globally.",
    )
    global_product_id: str | None = Field(
        default=None, description="The TikTok product published there from Global Products."
    )


def view(r: ProductRecord, market: str | None = None) -> ProductView:
    """The API shape of a product, as the region (`market`) lists it."""
    publication = r.published.get(market.upper()) if market else None
    tagged = publication is not None and publication.status == "published"
    return ProductView(
        shopify_product_id=r.source.shopify_product_id,
        title=r.source.title,
        product_type=r.source.product_type,
        category_key=r.category_key,
        status=r.status,
        reason=r.reason,
        issues=r.issues,
        tiktok_product_id=r.tiktok_product_id,
        tiktok_status=r.tiktok_status,
        audit_status=r.audit_status,
        variant_count=len(r.source.variants),
        variants=r.source.variants,
        video=r.source.video,
        skus=r.sku_links,
        edits=r.edits,
        listing=r.listing,
        sync_rules=r.sync_rules,
        pushed_at=r.pushed_at,
        pulled_at=r.pulled_at,
        deleted=r.deleted,
        global_tag=tagged,
        global_product_id=publication.product_id if tagged and publication else None,
    )


class ProductPage(BaseModel):
    """A page of products, how many match, and counts per status over the whole connection."""

    products: list[ProductView]
    total: int
    counts: dict[str, int]


@router.get("/{connection_id}/products", response_model=ProductPage, responses=REGION_RESPONSES)
async def list_products(
    connection_id: str,
    db: DbDep,
    status: SyncStatus | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    region: RegionQuery = None,
) -> ProductPage:
    """Products with their listing in a region, filtered by its sync status, Shopify category
    or text (title / ids); counts per status in that region."""
    connection = await connection_of(db, connection_id)
    shop_id = region_shop(connection, region)
    # The page, its total and the tab counts from one snapshot, so they agree (ADR 1031).
    async with db.transaction(isolation="repeatable_read", readonly=True):
        rows, total = await store.list_products(
            db,
            connection_id,
            shop_id,
            status=status.value if status else None,
            category=category,
            query=q,
            limit=limit,
            offset=offset,
        )
        counts = await store.status_counts(db, connection_id, shop_id)
    market = region_of(connection, shop_id)
    return ProductPage(products=[view(r, market) for r in rows], total=total, counts=counts)


async def _product(
    db: DbDep, connection_id: str, product_id: str, region: str | None, deleted: bool = False
) -> ProductRecord:
    """A pulled product with its listing in the selected region, or 404."""
    shop_id = region_shop(await connection_of(db, connection_id), region)
    record = await store.load_product(db, connection_id, product_gid(product_id), shop_id)
    if record is None or (record.deleted and not deleted):
        raise HTTPException(404, f"product {product_id} is not pulled")
    return record


async def region_view(
    db: DbDep, connection_id: str, product_id: str, region: str | None, deleted: bool = False
) -> ProductView:
    """One product as the selected region lists it (with its Global tag there)."""
    record = await _product(db, connection_id, product_id, region, deleted)
    market = region_of(await connection_of(db, connection_id), record.tiktok_shop_id)
    return view(record, market)


def _shop(connection: Connection, record: ProductRecord) -> Shop | None:
    """The authorized shop of the region a product was loaded in (None: the connection has no
    shop yet); 409 when that region's shop is no longer authorized."""
    if not record.tiktok_shop_id:
        return None
    shop = shop_of(connection, record.tiktok_shop_id)
    if shop is None:
        raise HTTPException(409, REGION_NOT_AUTHORIZED)
    return shop


@router.get(
    "/{connection_id}/products/{product_id}",
    response_model=ProductView,
    responses={404: {"description": "Product not pulled, or no such region"}},
)
async def get_product(
    connection_id: str, product_id: str, db: DbDep, region: RegionQuery = None
) -> ProductView:
    """One product (numeric Shopify id or gid) with its listing in a region, also once deleted
    in Shopify (`deleted`)."""
    return await region_view(db, connection_id, product_id, region, deleted=True)


class ProductEdit(BaseModel):
    """Connector-side edits of one product; omitted fields stay as they are, an explicit null
    clears one field, attributes and certifications merge per id (one without values is removed).
    """

    edits: ConnectorEdits | None = Field(default=None, description="Title / description edits.")
    listing: ListingLayer | None = Field(
        default=None, description="Product-level listing data (merged into what is set)."
    )
    sync_rules: SyncRules | None = Field(default=None, description="Product-level rule overrides.")


@router.patch(
    "/{connection_id}/products/{product_id}",
    response_model=ProductView,
    responses={422: {"description": "A field only the global product may change there"}},
)
async def edit_product(
    connection_id: str, product_id: str, body: ProductEdit, db: DbDep, region: RegionQuery = None
) -> ProductView:
    """Edit title/description, attributes, brand, certifications, compliance, package, rules
    (the product's, every region's); answers the product as the region lists it. In a region
    the product is published to from Global Products, the fields its local listing cannot
    change there (guide: Global Product Fields Editing Guide) are a 422."""
    record = await _product(db, connection_id, product_id, region)
    fields = body.listing.model_fields_set if body.listing is not None else set()
    locked = region is not None and published_to(record.published, region)
    if locked and (refusal := locked_local_edit(str(region), fields)):
        raise HTTPException(422, refusal)
    await store.save_product_settings(
        db,
        connection_id,
        record.source.shopify_product_id,
        merge_fields(record.edits, body.edits) if body.edits is not None else record.edits,
        merge_listing(record.listing, body.listing) if body.listing is not None else record.listing,
        body.sync_rules if body.sync_rules is not None else record.sync_rules,
    )
    return await region_view(db, connection_id, product_id, region)


class PullRequest(BaseModel):
    """Pull window on Shopify's updated_at; `incremental` starts after the last pull."""

    updated_from: AwareDatetime | None = None
    updated_to: AwareDatetime | None = None
    incremental: bool = False


@router.post("/{connection_id}/pull", status_code=202, response_model=TaskAccepted)
async def pull(
    connection_id: str, body: PullRequest, db: DbDep, platforms: PlatformsDep
) -> TaskAccepted:
    """Pull products from Shopify (bulk operation); progress on the task."""
    await connection_of(db, connection_id)
    command = CatalogPullRequested(
        connection_id=connection_id, task_id=new_task_id(), **body.model_dump()
    )
    return await start_task(db, platforms.settings, connection_id, "pull", None, command)


class PushRequest(BaseModel):
    """Products to push: ids (one, a selection, a page), or all (optionally of one status)."""

    product_ids: list[str] = Field(default_factory=list, max_length=10_000)
    all_products: bool = False
    status: SyncStatus | None = None


@router.post(
    "/{connection_id}/push",
    status_code=202,
    response_model=TaskAccepted,
    responses={
        422: {"description": "Neither product_ids nor all_products given"},
        **REGION_RESPONSES,
    },
)
async def push(
    connection_id: str,
    body: PushRequest,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> TaskAccepted:
    """Create or update products on TikTok Shop in a region, through its shop and with its
    settings (create or update decided by the region's stored link)."""
    shop_id = region_shop(await connection_of(db, connection_id), region)
    if not body.product_ids and not body.all_products:
        raise HTTPException(422, "give product_ids or all_products")
    task_id = new_task_id()
    if body.all_products:
        command = CatalogPushRequested(
            connection_id=connection_id,
            task_id=task_id,
            all_products=True,
            status=body.status.value if body.status else None,
            tiktok_shop_id=shop_id,
        )
        return await start_task(
            db, platforms.settings, connection_id, "push", None, command, shop_id
        )
    ids = list(dict.fromkeys(product_gid(p) for p in body.product_ids))
    async with db.transaction():
        await store.create_task(db, task_id, connection_id, "push", len(ids), shop_id)
        await announce_task(db, platforms.settings, task_id)
        for chunk in chunks(ids, platforms.settings.catalog_push_chunk_size):
            command = CatalogPushRequested(
                connection_id=connection_id,
                task_id=task_id,
                shopify_product_ids=chunk,
                tiktok_shop_id=shop_id,
            )
            await write_outbox(
                db,
                platforms.settings,
                new_envelope(command, connection_id=connection_id, task_id=task_id),
            )
    return TaskAccepted(task_id=task_id)


class Selection(BaseModel):
    """Products an action applies to."""

    product_ids: list[str] = Field(min_length=1, max_length=1000)


class Handoff(BaseModel):
    """Commands handed to the services that own stock and prices."""

    requested: int = Field(description="Commands handed off: one per product and region.")
    skipped: list[str] = Field(description="Products not on TikTok Shop in any region asked.")


def _live_shop(connection: Connection, region: str | None) -> str | None:
    """The shop of the region a request selected (None: every region), 404 for a market the
    connection has no shop in, 409 when that region's shop is no longer authorized."""
    if region is None:
        return None
    shop_id = region_shop(connection, region)
    if shop_id is None or shop_of(connection, shop_id) is None:
        raise HTTPException(409, REGION_NOT_AUTHORIZED)
    return shop_id


def _handoff_regions(connection: Connection, region: str | None) -> list[Shop]:
    """The regions an Update stock / price acts in: the one selected, else every authorized."""
    shop_id = _live_shop(connection, region)
    return [s for s in shops_of(connection) if shop_id is None or s.shop_id == shop_id]


async def _handoff(
    db: DbDep,
    platforms: PlatformsDep,
    connection_id: str,
    body: Selection,
    region: str | None,
    price: bool,
) -> Handoff:
    shops = _handoff_regions(await connection_of(db, connection_id), region)
    ids = [product_gid(p) for p in body.product_ids]
    handed: set[str] = set()
    requested = 0
    async with db.transaction():
        for shop in shops:
            records = await store.load_products(db, connection_id, ids, shop.shop_id)
            for r in records:
                if r.tiktok_product_id is None:
                    continue
                args = {
                    "shopify_product_id": r.source.shopify_product_id,
                    "tiktok_product_id": r.tiktok_product_id,
                    "skus": r.sku_links,
                    "tiktok_shop_id": shop.shop_id,
                    "region": shop.region,
                }
                command = PriceSyncRequested(**args) if price else InventorySyncRequested(**args)
                await write_outbox(
                    db, platforms.settings, new_envelope(command, connection_id=connection_id)
                )
                handed.add(r.source.shopify_product_id)
                requested += 1
    return Handoff(requested=requested, skipped=sorted(set(ids) - handed))


@router.post(
    "/{connection_id}/products/update-stock",
    status_code=202,
    response_model=Handoff,
    responses=LIVE_REGION_RESPONSES,
)
async def update_stock(
    connection_id: str,
    body: Selection,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> Handoff:
    """Ask inventory-guard to push Shopify stock now (`inventory.sync.requested`), in a region
    (every region when omitted)."""
    return await _handoff(db, platforms, connection_id, body, region, price=False)


@router.post(
    "/{connection_id}/products/update-price",
    status_code=202,
    response_model=Handoff,
    responses=LIVE_REGION_RESPONSES,
)
async def update_price(
    connection_id: str,
    body: Selection,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> Handoff:
    """Ask price-promotions to push Shopify prices now (`price.sync.requested`), in a region
    (every region when omitted)."""
    return await _handoff(db, platforms, connection_id, body, region, price=True)


class PrecheckResult(BaseModel):
    """Everything missing before a push: ours, then TikTok's listing check."""

    ready: bool
    issues: list[Issue]


@router.get(
    "/{connection_id}/products/{product_id}/precheck",
    response_model=PrecheckResult,
    responses=LIVE_REGION_RESPONSES,
)
async def precheck_product(
    connection_id: str,
    product_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> PrecheckResult:
    """Pre-check one product for a region (TikTok's Check Product Listing runs, through that
    region's shop, when ours passes)."""
    connection = await connection_of(db, connection_id)
    record = await _product(db, connection_id, product_id, region)
    run = await open_run(platforms, db, connection, shop=_shop(connection, record))
    issues = await listing_check(run, db, record)
    return PrecheckResult(ready=not issues, issues=issues)


class MapRequest(BaseModel):
    """Link a TikTok product listed by hand; `sku_map` picks variants (TikTok SKU id -> variant)."""

    tiktok_product_id: str
    sku_map: dict[str, str] = Field(default_factory=dict)


@router.post(
    "/{connection_id}/products/{product_id}/map",
    response_model=ProductView,
    responses={
        409: {"description": "Already linked elsewhere"},
        422: {"description": "SKUs left unmatched"},
    },
)
async def map_product(
    connection_id: str,
    product_id: str,
    body: MapRequest,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> ProductView:
    """Map a TikTok product listed by hand in a region (read through its shop) to this
    product's variants."""
    connection = await connection_of(db, connection_id)
    record = await _product(db, connection_id, product_id, region)
    other = await store.product_by_tiktok_id(db, body.tiktok_product_id)
    if other and other.source.shopify_product_id != record.source.shopify_product_id:
        raise HTTPException(
            409,
            f"TikTok product {body.tiktok_product_id} is linked to {other.source.shopify_product_id}",
        )
    try:
        shop = _shop(connection, record)
        clients = platforms.platform_clients.for_shop(connection, shop) if shop else None
        tiktok = await (clients or platforms.clients(connection)).tiktok.products.get(
            body.tiktok_product_id
        )
    except BusinessError as exc:
        raise HTTPException(404, f"TikTok Shop: {exc.message}") from exc
    skus = [TikTokSku(id=s.id, seller_sku=s.seller_sku) for s in tiktok.skus]
    links, issues = match_skus(
        record.source, skus, {k: product_gid_variant(v) for k, v in body.sku_map.items()}
    )
    if issues:
        raise HTTPException(422, " ".join(i.message for i in issues))
    pid = record.source.shopify_product_id
    shop_id = record.tiktok_shop_id
    in_region = await load_region_shop(
        db, connection_id, shop_id, region_of(connection, shop_id) if shop_id else None
    )
    await record_link(
        db,
        platforms.settings,
        connection_id,
        pid,
        in_region,
        tiktok,
        links,
        record.sync_rules,
        None,
    )
    return await region_view(db, connection_id, product_id, region)


@router.post(
    "/{connection_id}/link-by-sku",
    status_code=202,
    response_model=TaskAccepted,
    responses=LIVE_REGION_RESPONSES,
)
async def link_by_sku(
    connection_id: str, db: DbDep, platforms: PlatformsDep, region: RegionQuery = None
) -> TaskAccepted:
    """Link every existing TikTok listing of a region (every region when omitted) whose seller
    SKUs match one Shopify product's variants not linked there yet; the task's detail lists, per
    region, the listings it could not link, and why (map those by hand)."""
    connection = await connection_of(db, connection_id)
    shop_id = _live_shop(connection, region)
    command = CatalogLinkRequested(
        connection_id=connection_id, task_id=new_task_id(), tiktok_shop_id=shop_id
    )
    return await start_task(db, platforms.settings, connection_id, "link", None, command, shop_id)


def product_gid_variant(variant_id: str) -> str:
    """Accept a numeric Shopify variant id or a full gid."""
    return (
        variant_id
        if variant_id.startswith("gid://")
        else f"gid://shopify/ProductVariant/{variant_id}"
    )
