"""Size chart templates: the shop's TikTok templates for a category, and the merchant's pick."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.products import SizeChartTemplate

from catalog_sync import store
from catalog_sync.api.deps import (
    IN_REGION_RESPONSES,
    PREFIX,
    DbDep,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
)
from catalog_sync.pushing import cached_requirements

router = APIRouter(prefix=PREFIX, tags=["catalog: settings and categories"])


class TemplateView(BaseModel):
    """A size chart template made in TikTok Seller Center."""

    template_id: str
    name: str
    image_urls: list[str] = Field(description="Preview images, one per locale.")


class CategorySizeCharts(BaseModel):
    """What a category's products can use as size chart, and what it uses now."""

    source_key: str
    tiktok_category_id: str | None
    required: bool = Field(description="The TikTok category requires a size chart.")
    template_id: str | None = Field(description="The template chosen for the category.")
    image_uri: str | None = Field(description="The size chart image set for the category.")
    templates: list[TemplateView]


class TemplateChoice(BaseModel):
    """The template every product of the category uses (None: no template)."""

    template_id: str | None


def _view(template: SizeChartTemplate) -> TemplateView:
    return TemplateView(
        template_id=template.template_id,
        name=template.template_name,
        image_urls=[i.url for i in template.images if i.url],
    )


@router.get(
    "/{connection_id}/categories/{source_key}/size-charts",
    response_model=CategorySizeCharts,
    responses=IN_REGION_RESPONSES,
)
async def category_size_charts(
    connection_id: str,
    source_key: str,
    db: DbDep,
    platforms: PlatformsDep,
    keyword: str | None = None,
    region: RegionQuery = None,
) -> CategorySizeCharts:
    """A region's shop's size chart templates (by name keyword) for one category, and the
    category's choice there."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    clients = chosen.clients
    mapping, listing = await store.load_category(db, connection_id, chosen.shop_id, source_key)
    required = False
    if mapping.tiktok_category_id:
        requirements = await cached_requirements(
            db, clients, chosen.connection, mapping.tiktok_category_id
        )
        required = requirements.size_chart_required
    templates = [t async for t in clients.tiktok.catalog.iter_size_charts(keyword)]
    return CategorySizeCharts(
        source_key=source_key,
        tiktok_category_id=mapping.tiktok_category_id,
        required=required,
        template_id=listing.size_chart_template_id,
        image_uri=listing.size_chart_uri,
        templates=[_view(t) for t in templates],
    )


@router.put(
    "/{connection_id}/categories/{source_key}/size-chart",
    response_model=CategorySizeCharts,
    responses={
        422: {"description": "Not one of the shop's size chart templates"},
        **IN_REGION_RESPONSES,
    },
)
async def choose_size_chart(
    connection_id: str,
    source_key: str,
    body: TemplateChoice,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> CategorySizeCharts:
    """Use a size chart template of a region's shop for every product of the category pushed
    there (replaces its image)."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    if body.template_id:
        catalog = chosen.clients.tiktok.catalog
        try:
            found = await catalog.size_charts(ids=[body.template_id])
        except BusinessError as exc:
            raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc
        if not found.items:
            raise HTTPException(
                422, f"'{body.template_id}' is not one of this shop's size chart templates."
            )
    _, listing = await store.load_category(db, connection_id, chosen.shop_id, source_key)
    listing = listing.model_copy(
        update={"size_chart_template_id": body.template_id, "size_chart_uri": None}
    )
    await store.save_category_listing(db, connection_id, chosen.shop_id, source_key, listing)
    return await category_size_charts(connection_id, source_key, db, platforms, region=region)
