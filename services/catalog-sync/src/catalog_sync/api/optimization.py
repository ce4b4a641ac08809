"""Optimize Info (US / UK; guide: Product Details, Optimize Info): TikTok's suggestions for a
live listing, applied and undone by the merchant, the main image optimized and reverted."""

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Annotated, TypeVar

import structlog
from fastapi import APIRouter, Depends, HTTPException
from tiktok_shop.models.products import Product

from catalog_sync import store
from catalog_sync.api.deps import (
    PREFIX,
    DbDep,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
    product_gid,
)
from catalog_sync.api.optimization_views import (
    AppliedView,
    ApplyRequest,
    ListingNow,
    OptimizationView,
    UndoRequest,
)
from catalog_sync.core.optimization import (
    NOT_LIVE,
    NOT_OFFERED,
    Applied,
    NotApplicable,
    OptimizedField,
    Suggestions,
    kept_on_update,
    offered_in,
    other_images_hint,
    text_changes,
    undo_fields,
)
from catalog_sync.core.sync_rules import Mode, SyncField, resolve_rules
from catalog_sync.optimizing import (
    Listing,
    Refused,
    count,
    edit_listing,
    image_fields,
    main_images,
    optimized_image,
    record_changes,
    suggestions,
    tiktok_calls,
)

router = APIRouter(prefix=PREFIX, tags=["catalog: optimize info"])
T = TypeVar("T")
RESPONSES: dict[int | str, dict[str, str]] = {
    404: {"description": "Unknown connection or product, or no such region"},
    409: {
        "description": "Not offered in the region (US / UK only), no live TikTok listing, "
        "the shop no longer authorized, or nothing to undo"
    },
    422: {"description": "A value TikTok would refuse, or TikTok Shop refused the change"},
    502: {"description": "TikTok Shop did not respond; nothing changed"},
}
PRODUCT_PATH = "/{connection_id}/products/{product_id}/optimization"


@dataclass(frozen=True)
class ProductRef:
    """The product of an Optimize Info request, and the region it acts in."""

    connection_id: str
    product_id: str
    region: str | None


def product_ref(connection_id: str, product_id: str, region: RegionQuery = None) -> ProductRef:
    """The path's connection and product (numeric Shopify id or gid), `?region=`."""
    return ProductRef(connection_id, product_id, region)


RefDep = Annotated[ProductRef, Depends(product_ref)]


async def _listing(db: DbDep, platforms: PlatformsDep, ref: ProductRef) -> Listing:
    """The product's listing in the selected region, where TikTok offers Optimize Info."""
    connection_id, product_id = ref.connection_id, ref.product_id
    connection = await connection_of(db, connection_id)
    scope = in_region(platforms, connection, ref.region)
    if scope.shop is None:
        raise Refused(409, "not_listed", "Connect a TikTok shop first.")
    market = scope.shop.region.upper()
    if not offered_in(market):
        raise Refused(409, "not_offered", NOT_OFFERED.format(market))
    record = await store.load_product(
        db, connection_id, product_gid(product_id), scope.shop.shop_id
    )
    if record is None or record.deleted:
        raise HTTPException(404, f"product {product_id} is not pulled")
    if record.tiktok_product_id is None:
        raise Refused(409, "not_listed", NOT_LIVE.format("not on TikTok Shop"))
    settings = await store.load_settings(db, connection_id, scope.shop.shop_id)
    rules = resolve_rules(settings.sync_rules, record.sync_rules, Mode.UPDATE)
    return Listing(
        record, record.tiktok_product_id, scope.shop.shop_id, market, scope.clients, rules
    )


async def _view(
    db: DbDep, listing: Listing, product: Product, suggestions: Suggestions | None = None
) -> OptimizationView:
    """The listing as TikTok has it, the optimizations in force and what they mean."""
    record = listing.record
    applied = await store.applied_optimizations(
        db, record.connection_id, listing.shop_id, record.source.shopify_product_id
    )
    uris = [i.uri for i in product.main_images if i.uri]
    return OptimizationView(
        region=listing.region,
        listing=ListingNow(
            tiktok_product_id=product.id,
            status=product.status,
            audit_status=product.audit.status if product.audit else None,
            title=product.title,
            description=product.description,
            main_image_uri=uris[0] if uris else None,
        ),
        suggestions=suggestions,
        applied=[
            AppliedView(**a.model_dump(), kept_on_update=kept_on_update(a.field, listing.rules))
            for a in applied
        ],
        other_images=other_images_hint(listing.rules[SyncField.MEDIA]),
    )


async def acting(action: str, ref: ProductRef, work: Awaitable[T]) -> T:
    """Run one action: a refusal is its HTTP answer with the reason; each is counted and its
    log lines carry one correlation id with the connection and product."""
    bound = {"correlation_id": str(uuid.uuid4()), "connection_id": ref.connection_id}
    structlog.contextvars.bind_contextvars(**bound, optimize_action=action)
    try:
        result = await work
    except Refused as refusal:
        count(action, refusal.outcome, ref.product_id, refusal.reason)
        raise HTTPException(refusal.status, refusal.reason) from refusal
    finally:
        structlog.contextvars.unbind_contextvars(*bound, "optimize_action")
    count(action, "done", ref.product_id)
    return result


def _live(product: Product) -> None:
    if product.status != "ACTIVATE":
        raise Refused(409, "not_live", NOT_LIVE.format(product.status or "unknown"))


async def _suggest(db: DbDep, platforms: PlatformsDep, ref: ProductRef) -> OptimizationView:
    listing = await _listing(db, platforms, ref)
    with tiktok_calls():
        product = await listing.clients.tiktok.products.get(listing.tiktok_product_id)
        _live(product)
        found = await suggestions(listing)
    return await _view(db, listing, product, found)


async def _apply(
    db: DbDep, platforms: PlatformsDep, ref: ProductRef, body: ApplyRequest
) -> OptimizationView:
    listing = await _listing(db, platforms, ref)
    with tiktok_calls():
        before = await listing.clients.tiktok.products.get(listing.tiktok_product_id)
        try:
            changes = text_changes(
                (before.title, before.description),
                body.title,
                body.description,
                body.keywords,
                listing.region,
            )
        except NotApplicable as exc:
            raise Refused(422, "invalid", str(exc)) from exc
        fields: dict[str, object] = {c.field.value: c.applied for c in changes}
        after = await edit_listing(listing, fields) if fields else before
    await record_changes(db, listing, after, changes, [])
    return await _view(db, listing, after)


async def _undo(
    db: DbDep, platforms: PlatformsDep, ref: ProductRef, fields: list[OptimizedField]
) -> OptimizationView:
    listing = await _listing(db, platforms, ref)
    record = listing.record
    applied = await store.applied_optimizations(
        db, record.connection_id, listing.shop_id, record.source.shopify_product_id
    )
    undo = [a for a in applied if a.field in fields]
    with tiktok_calls():
        before = await listing.clients.tiktok.products.get(listing.tiktok_product_id)
        try:
            edit = undo_fields(undo, main_images(before))
        except NotApplicable as exc:
            if not undo:
                raise Refused(409, "nothing_to_undo", str(exc)) from exc
            # TikTok's main image changed since: that optimization is no longer in force.
            await _forget(db, listing, [a.field for a in undo])
            raise Refused(409, "changed", str(exc)) from exc
        after = await edit_listing(listing, edit)
    await record_changes(db, listing, after, [], [a.field for a in undo])
    return await _view(db, listing, after)


async def _forget(db: DbDep, listing: Listing, fields: list[OptimizedField]) -> None:
    record = listing.record
    await store.forget_optimizations(
        db, record.connection_id, listing.shop_id, record.source.shopify_product_id, fields
    )


async def _optimize_main(db: DbDep, platforms: PlatformsDep, ref: ProductRef) -> OptimizationView:
    listing = await _listing(db, platforms, ref)
    with tiktok_calls():
        before = await listing.clients.tiktok.products.get(listing.tiktok_product_id)
        _live(before)
        uris = main_images(before)
        if not uris:
            raise Refused(409, "invalid", "The TikTok listing has no main image to optimize.")
        done = await optimized_image(listing, uris[0])
        after = await edit_listing(listing, image_fields([done.optimized_uri, *uris[1:]]))
    change = Applied(field=OptimizedField.MAIN_IMAGE, previous=uris[0], applied=done.optimized_uri)
    await record_changes(db, listing, after, [change], [])
    return await _view(db, listing, after)


@router.get(PRODUCT_PATH, response_model=OptimizationView, responses=RESPONSES)
async def get_optimization(ref: RefDep, db: DbDep, platforms: PlatformsDep) -> OptimizationView:
    """TikTok's suggestions for the product's live listing in a region (US / UK): listing
    quality and diagnosis, titles, descriptions, SEO keywords; with what is applied."""
    work = _suggest(db, platforms, ref)
    return await acting("suggest", ref, work)


@router.post(f"{PRODUCT_PATH}/apply", response_model=OptimizationView, responses=RESPONSES)
async def apply_suggestions(
    ref: RefDep, body: ApplyRequest, db: DbDep, platforms: PlatformsDep
) -> OptimizationView:
    """Apply a chosen title / description and SEO keywords: edits the TikTok listing (Partial
    Edit Product) and keeps TikTok's values from before for Undo."""
    work = _apply(db, platforms, ref, body)
    return await acting("apply", ref, work)


@router.post(f"{PRODUCT_PATH}/undo", response_model=OptimizationView, responses=RESPONSES)
async def undo_suggestions(
    ref: RefDep, body: UndoRequest, db: DbDep, platforms: PlatformsDep
) -> OptimizationView:
    """Undo applied suggestions: TikTok gets back the values it had before."""
    work = _undo(db, platforms, ref, body.fields)
    return await acting("undo", ref, work)


@router.post(f"{PRODUCT_PATH}/main-image", response_model=OptimizationView, responses=RESPONSES)
async def optimize_main_image(ref: RefDep, db: DbDep, platforms: PlatformsDep) -> OptimizationView:
    """AI Optimize: TikTok's optimized copy of the main image (white background) becomes the
    listing's main image; later pushes keep it under either media rule (ADR 0640)."""
    work = _optimize_main(db, platforms, ref)
    return await acting("optimize_image", ref, work)


@router.delete(f"{PRODUCT_PATH}/main-image", response_model=OptimizationView, responses=RESPONSES)
async def revert_main_image(ref: RefDep, db: DbDep, platforms: PlatformsDep) -> OptimizationView:
    """Undo AI Optimize: the original main image is the listing's again."""
    work = _undo(db, platforms, ref, [OptimizedField.MAIN_IMAGE])
    return await acting("revert_image", ref, work)
