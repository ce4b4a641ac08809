"""Bulk metafield mapping at category level: which Shopify metafield fills which TikTok
attribute for every product of a category, checked against TikTok's rules (ADR 0645)."""

from connector_runtime.refusals import SetupIncomplete
from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

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
from catalog_sync.core.metafields import MetafieldMapping, mapping_errors
from catalog_sync.core.models import AttributeRequirement
from catalog_sync.pushing import cached_requirements

router = APIRouter(prefix=PREFIX, tags=["catalog: settings and categories"])


class CategoryMetafields(BaseModel):
    """A category's metafield mappings in a region, with what they can map from and to."""

    source_key: str
    tiktok_category_id: str | None
    mappings: list[MetafieldMapping]
    attributes: list[AttributeRequirement] = Field(
        description="The TikTok category's product attributes a metafield can fill (none "
        "before the category is mapped)."
    )
    metafields: list[str] = Field(
        description="The metafields (`namespace.key`) the category's pulled products have."
    )


class MetafieldMappingsUpdate(BaseModel):
    """The category's metafield mappings, whole (an empty list maps no metafield)."""

    mappings: list[MetafieldMapping] = Field(max_length=100)


NOT_MAPPED = (
    "Map the category '{key}' to a TikTok Shop category first: its metafield mappings fill "
    "that category's attributes."
)
RESPONSES: dict[int | str, dict[str, str]] = {
    **IN_REGION_RESPONSES,
    409: {"description": "The category is not mapped to a TikTok Shop category yet"},
    422: {"description": "A mapping the TikTok category's attribute rules refuse (field named)"},
}


@router.get(
    "/{connection_id}/categories/{source_key}/metafield-mappings",
    response_model=CategoryMetafields,
    responses=IN_REGION_RESPONSES,
)
async def category_metafield_mappings(
    connection_id: str,
    source_key: str,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> CategoryMetafields:
    """A category's metafield mappings in a region, the TikTok category's attributes and the
    metafields its products have in Shopify."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    mapping, _ = await store.load_category(db, connection_id, chosen.shop_id, source_key)
    attributes: list[AttributeRequirement] = []
    if mapping.tiktok_category_id:
        requirements = await cached_requirements(
            db, chosen.clients, chosen.connection, mapping.tiktok_category_id
        )
        attributes = [a for a in requirements.attributes if not a.sales]
    return CategoryMetafields(
        source_key=source_key,
        tiktok_category_id=mapping.tiktok_category_id,
        mappings=mapping.metafield_mappings,
        attributes=attributes,
        metafields=await store.category_metafields(db, connection_id, source_key),
    )


@router.put(
    "/{connection_id}/categories/{source_key}/metafield-mappings",
    response_model=CategoryMetafields,
    responses=RESPONSES,
)
async def put_metafield_mappings(
    connection_id: str,
    source_key: str,
    body: MetafieldMappingsUpdate,
    db: DbDep,
    platforms: PlatformsDep,
    region: RegionQuery = None,
) -> CategoryMetafields:
    """Set which Shopify metafield fills which TikTok attribute (and how its values map to the
    attribute's values) for every product of the category pushed in the region; a product's own
    attribute values still win. Checked against the TikTok category's attribute rules."""
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    mapping, _ = await store.load_category(db, connection_id, chosen.shop_id, source_key)
    if not mapping.tiktok_category_id:
        raise SetupIncomplete(NOT_MAPPED.format(key=source_key))
    requirements = await cached_requirements(
        db, chosen.clients, chosen.connection, mapping.tiktok_category_id
    )
    errors = mapping_errors(body.mappings, requirements)
    if errors:
        raise RequestValidationError(
            [{"loc": ("body", *e.field), "msg": e.message, "type": "value_error"} for e in errors]
        )
    await store.save_metafield_mappings(
        db, connection_id, chosen.shop_id, source_key, body.mappings
    )
    return await category_metafield_mappings(connection_id, source_key, db, platforms, region)
