"""Category mapping: which Shopify category a product is in and which TikTok leaf it maps to."""

from typing import Literal

from pydantic import Field

from catalog_sync.core.global_products import GLOBAL_PREFIX
from catalog_sync.core.metafields import MetafieldMapping
from catalog_sync.core.models import CategoriesSource, Frozen, SourceProduct

MappingOrigin = Literal["recommended", "merchant", "unmatched"]


class CategoryMapping(Frozen):
    """One Shopify category's TikTok leaf; `note` says why there is none."""

    source_key: str
    tiktok_category_id: str | None = None
    tiktok_category_name: str | None = None
    origin: MappingOrigin = "unmatched"
    note: str | None = None
    metafield_mappings: list[MetafieldMapping] = Field(
        default_factory=list,
        description="Shopify metafields filling TikTok attributes of every product of the "
        "category (`PUT .../metafield-mappings`).",
    )


def mapping_shop(source_key: str, shop_id: str | None) -> str:
    """The TikTok shop a category mapping is kept under: a local category is its region's (each
    market has its own category tree; '' before the connection has a shop), a Global Category
    the connection's ('', one for every region)."""
    return "" if source_key.startswith(GLOBAL_PREFIX) else shop_id or ""


def category_key(product: SourceProduct, source: CategoriesSource) -> str | None:
    """The product's Shopify category under the chosen source (None when it has none)."""
    if source is CategoriesSource.PRODUCT_TYPE:
        return product.product_type.strip() or None
    return (product.taxonomy_category_name or "").strip() or None


def recommendation_query(key: str, sample_title: str | None) -> str:
    """What to ask TikTok's category recommendation: the category name, made specific.

    The recommendation reads a product title; a bare category name like "Mugs" is usually a
    good title, and one real product title adds the words a reviewer would see.
    """
    return (
        f"{key} {sample_title}"
        if sample_title and key.lower() not in sample_title.lower()
        else (sample_title or key)
    )


def recommended(
    key: str, category_id: str | None, name: str | None, note: str | None
) -> CategoryMapping:
    """The mapping TikTok's recommendation gives (unmatched with a note when it gives none)."""
    if category_id:
        return CategoryMapping(
            source_key=key,
            tiktok_category_id=category_id,
            tiktok_category_name=name,
            origin="recommended",
        )
    return CategoryMapping(source_key=key, origin="unmatched", note=note)


def source_change_error(
    current: CategoriesSource, new: CategoriesSource, synced: int
) -> str | None:
    """The categories source is locked once products are synced (guide, Product Settings)."""
    if current is new or synced == 0:
        return None
    return (
        f"The categories source cannot be changed: {synced} products are already synced "
        "to TikTok Shop with the current one."
    )
