"""Shopify Admin API product -> the connector's SourceProduct."""

from collections.abc import Sequence

from shopify.models import Product, Variant

from catalog_sync.core.models import OptionValue, SourceMetafield, SourceProduct, SourceVariant
from catalog_sync.core.videos import first_video

Locations = str | Sequence[str] | None  # the inventory location(s); none: all, summed


def stock_of(variant: Variant, locations: Locations) -> int:
    """Available units: at the chosen inventory location(s), else over all locations."""
    item = variant.inventory_item
    levels = item.inventory_levels if item else []
    chosen = [locations] if isinstance(locations, str) else list(locations or [])
    if chosen:
        return sum(lv.quantities.get("available", 0) for lv in levels if lv.location_id in chosen)
    if levels:
        return sum(lv.quantities.get("available", 0) for lv in levels)
    return variant.inventory_quantity or 0


def stock_by_location(variant: Variant) -> dict[str, int]:
    """Available units per location (for per-region inventory locations)."""
    levels = variant.inventory_item.inventory_levels if variant.inventory_item else []
    return {lv.location_id: lv.quantities.get("available", 0) for lv in levels}


def to_source_variant(variant: Variant, location_id: Locations) -> SourceVariant:
    """One variant, with its options unless it is Shopify's single "Default Title"."""
    options = [
        OptionValue(name=o.name, value=o.value)
        for o in variant.selected_options
        if (o.name, o.value) != ("Title", "Default Title")
    ]
    return SourceVariant(
        shopify_variant_id=variant.id,
        inventory_item_id=variant.inventory_item.id if variant.inventory_item else None,
        title=variant.title,
        sku=variant.sku,
        barcode=variant.barcode,
        price=variant.price,
        compare_at_price=variant.compare_at_price,
        options=options,
        stock=stock_of(variant, location_id),
        stock_by_location=stock_by_location(variant),
    )


def to_source_product(product: Product, location_id: Locations = None) -> SourceProduct:
    """A pulled product as the connector stores it."""
    variants = sorted(product.variants, key=lambda v: v.position or 0)
    return SourceProduct(
        shopify_product_id=product.id,
        title=product.title,
        description_html=product.description_html or "",
        product_type=product.product_type or "",
        taxonomy_category_id=product.category.id if product.category else None,
        taxonomy_category_name=product.category.name if product.category else None,
        vendor=product.vendor or "",
        status=product.status,
        image_urls=[m.image_url for m in product.media if m.image_url],
        video=first_video(product.media),
        variants=[to_source_variant(v, location_id) for v in variants],
        metafields=[
            SourceMetafield(namespace=m.namespace, key=m.key, type=m.type, value=m.value)
            for m in product.metafields
        ],
        updated_at=product.updated_at,
    )
