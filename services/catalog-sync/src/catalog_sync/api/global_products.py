"""EU Global Products: the global list, global categories, sync as global, publish to regions."""

from typing import Annotated, Literal

from connector_contracts import CatalogGlobalRequested, CatalogPullRequested
from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from catalog_sync import store
from catalog_sync.api.categories import CategoryUpdate, CategoryView, save_category
from catalog_sync.api.deps import (
    PREFIX,
    DbDep,
    PlatformsDep,
    TaskAccepted,
    connection_of,
    new_task_id,
    product_gid,
    start_task,
)
from catalog_sync.api.products import PullRequest
from catalog_sync.core.global_products import (
    GLOBAL_PREFIX,
    PUBLISHED_FAILED,
    GlobalStatus,
    RegionPublication,
    publish_failures,
)
from catalog_sync.core.models import Issue
from catalog_sync.global_listing import global_plan
from catalog_sync.pulling import map_new_categories
from catalog_sync.pushing import needed_categories, open_run, requirements_for
from catalog_sync.store import ProductRecord

router = APIRouter(
    prefix=f"{PREFIX}/{{connection_id}}/global", tags=["catalog: EU Global Products"]
)


class GlobalProductView(BaseModel):
    """A product on the Global Products list."""

    shopify_product_id: str
    title: str
    category_key: str | None
    global_status: GlobalStatus | None
    global_product_id: str | None
    reason: str | None
    published: dict[str, RegionPublication] = Field(description="Outcome per region published to.")
    publish_failures: dict[str, str] = Field(
        default_factory=dict, description="Region -> why publishing there failed."
    )


class GlobalPage(BaseModel):
    """A page of global products and counts per global status."""

    products: list[GlobalProductView]
    total: int
    counts: dict[str, int]


def _view(r: ProductRecord) -> GlobalProductView:
    return GlobalProductView(
        shopify_product_id=r.source.shopify_product_id,
        title=r.source.title,
        category_key=r.category_key,
        global_status=r.global_status,
        global_product_id=r.global_product_id,
        reason=r.global_reason,
        published=r.published,
        publish_failures=publish_failures(r.published),
    )


@router.post("/pull", status_code=202, response_model=TaskAccepted)
async def pull_global(
    connection_id: str, body: PullRequest, db: DbDep, platforms: PlatformsDep
) -> TaskAccepted:
    """Pull products from Shopify into the Global Products list."""
    await connection_of(db, connection_id)
    command = CatalogPullRequested(
        connection_id=connection_id, task_id=new_task_id(), global_list=True, **body.model_dump()
    )
    return await start_task(db, platforms.settings, connection_id, "pull", None, command)


@router.get("/products", response_model=GlobalPage)
async def list_global(
    connection_id: str,
    db: DbDep,
    status: Annotated[
        GlobalStatus | Literal["global_published_failed"] | None,
        Query(description="A global status, or global_published_failed: refused by a region."),
    ] = None,
    not_published_to: Annotated[
        str | None, Query(description="Global synced, not in this region")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> GlobalPage:
    """The Global Products list, filterable by global status, "Global Published Failed" (with
    each region's reason) or "not published to <region>"; counts per status and tab."""
    if not_published_to or status == PUBLISHED_FAILED:
        rows, _, counts = await store.list_global(db, connection_id, None, 100_000, 0, None)
        counts[PUBLISHED_FAILED] = sum(1 for r in rows if publish_failures(r.published))
        region = (not_published_to or "").upper()
        left = [
            r
            for r in rows
            if (
                publish_failures(r.published)
                if status == PUBLISHED_FAILED
                else r.global_status is GlobalStatus.SYNCED
                and r.published.get(region, RegionPublication(status="")).status != "published"
            )
        ]
        return GlobalPage(
            products=[_view(r) for r in left[offset : offset + limit]],
            total=len(left),
            counts=counts,
        )
    rows, total, counts = await store.list_global(db, connection_id, status, limit, offset, None)
    counts[PUBLISHED_FAILED] = await store.count_publish_failed(db, connection_id)
    return GlobalPage(products=[_view(r) for r in rows], total=total, counts=counts)


@router.get("/categories", response_model=list[CategoryView])
async def global_categories(connection_id: str, db: DbDep) -> list[CategoryView]:
    """Global Categories: Shopify categories of global products and their TikTok leaves."""
    mappings = await store.load_mappings(db, connection_id, None)  # global ones: connection's
    counts = await store.category_product_counts(db, connection_id, global_only=True)
    return [
        CategoryView(
            mapping=m.model_copy(update={"source_key": k.removeprefix(GLOBAL_PREFIX)}),
            listing=listing,
            product_count=counts.get(k.removeprefix(GLOBAL_PREFIX), 0),
        )
        for k, (m, listing) in sorted(mappings.items())
        if k.startswith(GLOBAL_PREFIX)
    ]


@router.put("/categories/{source_key}", response_model=list[CategoryView])
async def put_global_category(
    connection_id: str, source_key: str, body: CategoryUpdate, db: DbDep
) -> list[CategoryView]:
    """Change a global category's TikTok leaf and listing data (applies to every region)."""
    await connection_of(db, connection_id)
    await save_category(db, connection_id, None, GLOBAL_PREFIX + source_key, body)
    return await global_categories(connection_id, db)


@router.post("/categories/recommend", response_model=list[CategoryView])
async def recommend_global(
    connection_id: str, db: DbDep, platforms: PlatformsDep
) -> list[CategoryView]:
    """Recommend a TikTok category for every global category not mapped yet."""
    connection = await connection_of(db, connection_id)
    await map_new_categories(db, platforms, connection, GLOBAL_PREFIX)
    return await global_categories(connection_id, db)


class GlobalSync(BaseModel):
    """Products to sync as Global Products (ids, or every one on the list)."""

    product_ids: list[str] = Field(default_factory=list, max_length=10_000)
    all_products: bool = False


async def _ids(
    db: DbDep, connection_id: str, ids: list[str], every: bool, status: GlobalStatus | None
) -> list[str]:
    if not every:
        return list(dict.fromkeys(product_gid(p) for p in ids))
    rows, _, _ = await store.list_global(
        db, connection_id, status.value if status else None, 100_000, 0, None
    )
    return [r.source.shopify_product_id for r in rows]


@router.post("/sync", status_code=202, response_model=TaskAccepted)
async def sync_global(
    connection_id: str, body: GlobalSync, db: DbDep, platforms: PlatformsDep
) -> TaskAccepted:
    """Sync products as EU Global Products (this lists them in no market yet)."""
    await connection_of(db, connection_id)
    ids = await _ids(db, connection_id, body.product_ids, body.all_products, None)
    command = CatalogGlobalRequested(
        connection_id=connection_id, task_id=new_task_id(), action="sync", shopify_product_ids=ids
    )
    return await start_task(db, platforms.settings, connection_id, "global_sync", len(ids), command)


class GlobalPrecheck(BaseModel):
    """What a global sync of one product would fail on, before anything is submitted."""

    shopify_product_id: str
    title: str
    ready: bool
    issues: list[Issue]


@router.post("/precheck", response_model=list[GlobalPrecheck])
async def precheck_global(
    connection_id: str, body: GlobalSync, db: DbDep, platforms: PlatformsDep
) -> list[GlobalPrecheck]:
    """Pre-validate a global sync: for each product, what would stop it (Global Categories
    mapping, the category's required attributes and certifications, package, title ...), with
    the same checks the sync runs; nothing is sent to TikTok but category rules."""
    connection = await connection_of(db, connection_id)
    ids = await _ids(db, connection_id, body.product_ids, body.all_products, None)
    run = await open_run(platforms, db, connection, global_scope=True)
    records = [
        r for r in await store.load_products(db, connection_id, ids, run.shop_id) if not r.deleted
    ]
    for category_id in sorted(needed_categories(run, records)):
        await requirements_for(run, db, category_id)
    checked = []
    for record in records:
        issues = global_plan(run, record)[1].issues
        checked.append(
            GlobalPrecheck(
                shopify_product_id=record.source.shopify_product_id,
                title=record.source.title,
                ready=not issues,
                issues=issues,
            )
        )
    return checked


class GlobalPublish(BaseModel):
    """Publish global products to regions; translation consent is required."""

    product_ids: list[str] = Field(default_factory=list, max_length=10_000)
    all_products: bool = Field(default=False, description="Every Global Synced product.")
    regions: list[str] = Field(min_length=1, examples=[["FR", "IT"]])
    translation_consent: bool = Field(
        description="Agree to translation into each market's language."
    )


@router.post(
    "/publish",
    status_code=202,
    response_model=TaskAccepted,
    responses={422: {"description": "No translation consent"}},
)
async def publish_global(
    connection_id: str, body: GlobalPublish, db: DbDep, platforms: PlatformsDep
) -> TaskAccepted:
    """Publish Global Products to the chosen regions."""
    await connection_of(db, connection_id)
    if not body.translation_consent:
        raise HTTPException(
            422, "agree to have the products translated into each market's language"
        )
    ids = await _ids(db, connection_id, body.product_ids, body.all_products, GlobalStatus.SYNCED)
    command = CatalogGlobalRequested(
        connection_id=connection_id,
        task_id=new_task_id(),
        action="publish",
        shopify_product_ids=ids,
        regions=[r.upper() for r in body.regions],
        translation_consent=True,
    )
    return await start_task(
        db, platforms.settings, connection_id, "global_publish", len(ids), command
    )
