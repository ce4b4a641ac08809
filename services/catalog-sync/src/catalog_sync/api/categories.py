"""Product settings, category mappings and TikTok lookups (categories, brands, uploads)."""

from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.products import Brand

from catalog_sync import store
from catalog_sync.api.deps import (
    IN_REGION_RESPONSES,
    PREFIX,
    REGION_RESPONSES,
    DbDep,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
    region_shop,
)
from catalog_sync.api.shipping import check_shipping_choice
from catalog_sync.core.categories import CategoryMapping, source_change_error
from catalog_sync.core.file_names import safe_file_name
from catalog_sync.core.global_products import GLOBAL_PREFIX
from catalog_sync.core.listing_edit import merge_listing
from catalog_sync.core.models import CategoriesSource, ListingLayer
from catalog_sync.core.region import category_version
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.pulling import map_region_categories
from catalog_sync.pushing import PLATFORM_ERRORS

log = structlog.get_logger()

router = APIRouter(prefix=PREFIX, tags=["catalog: settings and categories"])


# The inventory location is inventory-guard's setting now (issue 9, ADR 0360): a client that
# still sends catalog-sync's former fields is told where it went, not silently ignored.
MOVED_LOCATION_FIELDS = frozenset({"inventory_location_id", "region_locations"})
LOCATION_MOVED = (
    "The inventory location is set per region in the inventory settings"
    " (PUT /api/v1/inventory/{connection_id}/settings/{tiktok_shop_id}), not in product settings."
)


class ProductSettings(BaseModel):
    """Store-level product settings; omitted fields keep their value."""

    model_config = ConfigDict(extra="allow")  # only to name the moved location fields

    categories_source: CategoriesSource | None = Field(
        default=None, description="Locked once products are synced."
    )
    auto_pull: bool | None = Field(default=None, description="Pull products on Shopify webhooks.")
    sync_rules: SyncRules | None = None
    listing: ListingLayer | None = Field(
        default=None, description="Store-level attributes, brand, package defaults, compliance."
    )
    warehouse_id: str | None = Field(
        default=None,
        description="A sales warehouse of the region's TikTok shop for new SKUs' stock "
        "(`GET /tiktok/warehouses`); '' goes back to TikTok's default.",
    )
    shipping_template_id: str | None = Field(
        default=None,
        description="A usable shipping template of the region's TikTok shop "
        "(`GET /tiktok/shipping-templates`); '' goes back to TikTok's default.",
    )


@router.get(
    "/{connection_id}/settings", response_model=store.CatalogSettings, responses=REGION_RESPONSES
)
async def get_settings(
    connection_id: str, db: DbDep, region: RegionQuery = None
) -> store.CatalogSettings:
    """A region's product settings, with the ones every region shares (package defaults,
    categories source, auto-pull)."""
    shop_id = region_shop(await connection_of(db, connection_id), region)
    return await store.load_settings(db, connection_id, shop_id)


@router.put(
    "/{connection_id}/settings",
    response_model=store.CatalogSettings,
    responses={
        409: {"description": "Categories source locked, or the region no longer authorized"},
        422: {
            "description": "A warehouse or shipping template the region's shop cannot use, or a field this API no longer holds"
        },
        **REGION_RESPONSES,
    },
)
async def put_settings(
    connection_id: str,
    body: ProductSettings,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> store.CatalogSettings:
    """Change a region's product settings (sync rules, listing data, warehouse, shipping
    template); the package defaults, categories source and auto-pull change for every region.
    A warehouse or template is checked against what the region's shop lists on TikTok."""
    if MOVED_LOCATION_FIELDS & set(body.model_extra or {}):
        raise HTTPException(422, LOCATION_MOVED)
    connection = await connection_of(db, connection_id)
    shop_id = region_shop(connection, region)
    if body.warehouse_id or body.shipping_template_id:
        chosen = in_region(platforms, connection, region)
        await check_shipping_choice(chosen, body.warehouse_id, body.shipping_template_id)
    current = await store.load_settings(db, connection_id, shop_id)
    if body.categories_source is not None:
        synced = await store.synced_count(db, connection_id)
        if error := source_change_error(current.categories_source, body.categories_source, synced):
            raise HTTPException(409, error)
    changes = body.model_dump(
        exclude_none=True, exclude_unset=True, exclude=set(body.model_extra or {})
    )
    for key in ("warehouse_id", "shipping_template_id"):  # '' clears: TikTok's default
        if changes.get(key) == "":
            changes[key] = None
    if body.listing is not None:  # the store layer merges field by field, as every level does
        changes["listing"] = merge_listing(current.listing, body.listing)
    updated = current.model_copy(update=changes)
    updated = store.CatalogSettings.model_validate(updated.model_dump())
    await store.save_settings(db, connection_id, updated, shop_id)
    return updated


class CategoryView(BaseModel):
    """A Shopify category, its TikTok leaf and its category-level listing data (in a region)."""

    mapping: CategoryMapping
    listing: ListingLayer
    product_count: int


async def region_categories(
    db: DbDep, connection_id: str, shop_id: str | None
) -> list[CategoryView]:
    """Every Shopify category of pulled products with a region's mapping."""
    mappings = {
        k: v
        for k, v in (await store.load_mappings(db, connection_id, shop_id)).items()
        if not k.startswith(GLOBAL_PREFIX)
    }
    counts = await store.category_product_counts(db, connection_id)
    keys = sorted(set(mappings) | set(counts))
    return [
        CategoryView(
            mapping=mappings[k][0] if k in mappings else CategoryMapping(source_key=k),
            listing=mappings[k][1] if k in mappings else ListingLayer(),
            product_count=counts.get(k, 0),
        )
        for k in keys
    ]


@router.get(
    "/{connection_id}/categories", response_model=list[CategoryView], responses=REGION_RESPONSES
)
async def list_categories(
    connection_id: str, db: DbDep, region: RegionQuery = None
) -> list[CategoryView]:
    """Every Shopify category of pulled products with its mapping in a region (each TikTok
    market has its own category tree)."""
    shop_id = region_shop(await connection_of(db, connection_id), region)
    return await region_categories(db, connection_id, shop_id)


class CategoryUpdate(BaseModel):
    """Map a Shopify category by hand and / or set its listing data."""

    tiktok_category_id: str | None = None
    tiktok_category_name: str | None = None
    listing: ListingLayer | None = None


async def save_category(
    db: DbDep, connection_id: str, shop_id: str | None, key: str, body: CategoryUpdate
) -> None:
    """Store a category's listing data and / or its TikTok leaf chosen by the merchant, in a
    region (a Global Category: the connection's)."""
    async with db.transaction():
        if body.listing is not None:
            current = (await store.load_mappings(db, connection_id, shop_id)).get(key)
            listing = merge_listing(current[1], body.listing) if current else body.listing
            await store.save_category_listing(db, connection_id, shop_id, key, listing)
        if body.tiktok_category_id is not None:
            mapping = CategoryMapping(
                source_key=key,
                tiktok_category_id=body.tiktok_category_id,
                tiktok_category_name=body.tiktok_category_name,
                origin="merchant",
            )
            await store.save_mapping(db, connection_id, shop_id, mapping)


@router.put(
    "/{connection_id}/categories/{source_key}",
    response_model=CategoryView,
    responses=REGION_RESPONSES,
)
async def put_category(
    connection_id: str, source_key: str, body: CategoryUpdate, db: DbDep, region: RegionQuery = None
) -> CategoryView:
    """Edit one category's TikTok leaf and its listing data in a region (applies to all its
    products pushed there)."""
    shop_id = region_shop(await connection_of(db, connection_id), region)
    await save_category(db, connection_id, shop_id, source_key, body)
    views = {v.mapping.source_key: v for v in await region_categories(db, connection_id, shop_id)}
    return views[source_key]


@router.post(
    "/{connection_id}/categories/recommend",
    response_model=list[CategoryView],
    responses=IN_REGION_RESPONSES,
)
async def recommend_categories(
    connection_id: str, db: DbDep, platforms: PlatformsDep, region: RegionQuery = None
) -> list[CategoryView]:
    """Ask TikTok's recommendation, in the region's market, for every category it has not
    mapped yet."""
    connection = await connection_of(db, connection_id)
    chosen = in_region(platforms, connection, region)
    if chosen.shop is not None:
        await map_region_categories(db, platforms, connection, chosen.shop)
    return await region_categories(db, connection_id, chosen.shop_id)


class TikTokCategory(BaseModel):
    """A node of TikTok's category tree."""

    id: str
    parent_id: str
    name: str
    is_leaf: bool


@router.get(
    "/{connection_id}/tiktok/categories",
    response_model=list[TikTokCategory],
    responses=IN_REGION_RESPONSES,
)
async def tiktok_categories(
    connection_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    keyword: str | None = None,
    region: RegionQuery = None,
) -> list[TikTokCategory]:
    """Search a region's TikTok category tree (to map one by hand there)."""
    seen = in_region(platforms, await connection_of(db, connection_id), region)
    version = category_version(seen.connection.tiktok_region)
    found = await seen.clients.tiktok.catalog.categories(version, keyword)
    return [
        TikTokCategory(id=c.id, parent_id=c.parent_id, name=c.local_name, is_leaf=c.is_leaf)
        for c in found
    ]


class BrandView(BaseModel):
    """A TikTok brand, as Get Brands describes it."""

    id: str
    name: str
    authorized: bool | None = Field(
        description="TikTok holds the seller's authorization for the brand's trademark "
        "(None: TikTok did not say yet, e.g. a custom brand it does not list yet)."
    )
    usable: bool | None = Field(
        description="Products may use it: authorized, or not a T1 (internationally known) brand."
    )


def brand_view(brand: Brand) -> BrandView:
    """What TikTok said about a brand (its docs spell one status UNAUTHORIEZD: only AUTHORIZED
    counts as authorized)."""
    authorized = brand.authorized_status == "AUTHORIZED"
    return BrandView(
        id=brand.id,
        name=brand.name,
        authorized=authorized,
        usable=authorized or not brand.is_t1_brand,
    )


@router.get(
    "/{connection_id}/tiktok/brands", response_model=list[BrandView], responses=IN_REGION_RESPONSES
)
async def tiktok_brands(
    connection_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    name: str | None = None,
    category_id: str | None = None,
    region: RegionQuery = None,
) -> list[BrandView]:
    """Search brands by name, for a category of a region's tree (the brand id goes into listing
    data or the CSV)."""
    connection = await connection_of(db, connection_id)
    catalog = in_region(platforms, connection, region).clients.tiktok.catalog
    try:
        page = await catalog.brands(category_id, brand_name=name)
    except BusinessError as exc:  # e.g. a category TikTok does not know
        raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc
    return [brand_view(b) for b in page.items]


class NewBrand(BaseModel):
    """A custom brand to create on TikTok Shop."""

    name: str = Field(min_length=2, max_length=30)


@router.post("/{connection_id}/tiktok/brands", response_model=BrandView, status_code=201)
async def create_brand(
    connection_id: str, body: NewBrand, db: DbDep, platforms: PlatformsDep
) -> BrandView:
    """Create a custom brand."""
    connection = await connection_of(db, connection_id)
    catalog = platforms.clients(connection).tiktok.catalog
    try:
        brand_id = await catalog.create_brand(body.name)
    except BusinessError as exc:
        raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc
    # Create answers only the id: what the brand may do is what Get Brands then says of it.
    try:
        listed = (await catalog.brands(brand_name=body.name)).items
    except PLATFORM_ERRORS as exc:
        log.warning("catalog.brand_lookup_failed", brand_id=brand_id, error=str(exc)[:300])
        listed = []
    found = next((b for b in listed if b.id == brand_id), None)
    if found is None:
        return BrandView(id=brand_id, name=body.name, authorized=None, usable=None)
    return brand_view(found)


class Uploaded(BaseModel):
    """An uploaded document: put `uri` (images) or `file_id` (PDFs) into listing data."""

    uri: str | None = None
    file_id: str | None = None
    name: str | None = Field(default=None, description="The name a PDF was uploaded as.")
    url: str


@router.post("/{connection_id}/uploads", response_model=Uploaded, status_code=201)
async def upload(
    connection_id: str,
    db: DbDep,
    platforms: PlatformsDep,
    file: Annotated[UploadFile, File(description="Image (JPG/PNG/WEBP) or PDF")],
    use: Annotated[
        Literal["certification", "size_chart", "certification_file"], Form()
    ] = "certification",
) -> Uploaded:
    """Upload a certification image / PDF or a size chart image to TikTok Shop."""
    connection = await connection_of(db, connection_id)
    catalog = platforms.clients(connection).tiktok.catalog
    content = await file.read()
    try:
        if use == "certification_file":
            name = safe_file_name(file.filename or "", "pdf", "certificate")
            done = await catalog.upload_file(content, name)
            # Kept: a certification sends each file with its name (TikTok requires it).
            await store.save_certification_file(db, connection_id, done.id, done.name or name)
            return Uploaded(file_id=done.id, name=done.name or name, url=done.url)
        use_case = "CERTIFICATION_IMAGE" if use == "certification" else "SIZE_CHART_IMAGE"
        image = await catalog.upload_image(content, use_case, file.filename or "image.png")
    except BusinessError as exc:
        raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc
    return Uploaded(uri=image.uri, url=image.url)
