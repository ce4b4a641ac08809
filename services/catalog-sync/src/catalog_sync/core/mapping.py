"""Shopify product -> TikTok Shop product body (reference A7), with the sync rules applied."""

import re
from collections.abc import Mapping
from decimal import Decimal

from pydantic import Field
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.products import (
    AttributeValue,
    Certification,
    CertificationFile,
    Dimensions,
    IdRef,
    Price,
    ProductAttribute,
    ProductInput,
    SalesAttribute,
    SizeChart,
    SkuInput,
    WarehouseStock,
    Weight,
)

from catalog_sync.core.models import (
    CategoryRequirements,
    ConnectorEdits,
    Frozen,
    ResolvedListing,
    SourceProduct,
    SourceVariant,
)
from catalog_sync.core.optimization import swap_main_image
from catalog_sync.core.region import category_version, currency_of
from catalog_sync.core.sync_rules import Source, SyncField

MAX_IMAGES = 9
MAX_QUANTITY = 99_999
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class TikTokSnapshot(Frozen):
    """What TikTok currently has for a linked product (for "leave as is" rules on updates)."""

    title: str = ""
    description: str = ""
    main_image_uris: list[str] = Field(default_factory=list)
    brand_id: str | None = None
    video_id: str | None = None
    sku_prices: dict[str, Decimal] = Field(default_factory=dict, description="sku id -> price")
    sku_stock: dict[str, int] = Field(default_factory=dict, description="sku id -> quantity")
    sku_inventory: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="sku id -> warehouse id -> quantity, as TikTok lists"
    )


class PushTarget(Frozen):
    """Where and how the product is listed: the shop, its category and linked SKUs."""

    region: str
    category_id: str
    warehouse_id: str | None = None
    shipping_template_id: str | None = Field(
        default=None, description="The region's shipping template (None: the shop's default)."
    )
    image_uris: dict[str, str] = Field(default_factory=dict, description="Shopify url -> uri")
    video_id: str | None = Field(default=None, description="The uploaded Shopify video's file id.")
    main_image_swap: dict[str, str] = Field(
        default_factory=dict,
        description="Optimize Info: uploaded main image uri -> TikTok's optimized copy of it.",
    )
    sku_ids: dict[str, str] = Field(default_factory=dict, description="variant id -> TikTok sku")
    file_names: dict[str, str] = Field(
        default_factory=dict, description="certification file id -> the name it was uploaded as"
    )
    idempotency_key: str | None = None


def pick_title(
    product: SourceProduct, edits: ConnectorEdits, source: Source, current: TikTokSnapshot | None
) -> str:
    """The title TikTok gets under the rule."""
    if source is Source.CONNECTOR and edits.title:
        return edits.title
    if source is Source.TIKTOK and current and current.title:
        return current.title
    return product.title


def pick_description(
    product: SourceProduct, edits: ConnectorEdits, source: Source, current: TikTokSnapshot | None
) -> str:
    """The description TikTok gets; Shopify-hosted <img> tags are dropped (TikTok-hosted only)."""
    if source is Source.TIKTOK and current and current.description:
        return current.description
    html = edits.description_html if source is Source.CONNECTOR and edits.description_html else None
    return _IMG.sub("", html or product.description_html).strip() or f"<p>{product.title}</p>"


def pick_images(
    product: SourceProduct, target: PushTarget, source: Source, current: TikTokSnapshot | None
) -> list[ImageRef]:
    """Main images: uploaded Shopify media (first 9; an optimized main image in place of the
    Shopify one it was made from, ADR 0640), or TikTok's own."""
    if source is Source.TIKTOK and current and current.main_image_uris:
        return [ImageRef(uri=u) for u in current.main_image_uris]
    uris = [target.image_uris[u] for u in product.image_urls if u in target.image_uris]
    uris = swap_main_image(uris, target.main_image_swap)
    return [ImageRef(uri=u) for u in uris[:MAX_IMAGES]]


def pick_video(target: PushTarget, source: Source, current: TikTokSnapshot | None) -> IdRef | None:
    """The video: Shopify's uploaded one, none, or TikTok's own (Edit Product replaces all)."""
    if source is Source.TIKTOK:
        return IdRef(id=current.video_id) if current and current.video_id else None
    if source is Source.ORIGIN and target.video_id:
        return IdRef(id=target.video_id)
    return None


def size_chart_of(listing: ResolvedListing) -> SizeChart | None:
    """The chosen size chart: a TikTok template, or an uploaded image."""
    if listing.size_chart_template_id:
        return SizeChart(template=IdRef(id=listing.size_chart_template_id))
    if listing.size_chart_uri:
        return SizeChart(image=ImageRef(uri=listing.size_chart_uri))
    return None


def sales_attributes(product: SourceProduct, variant: SourceVariant) -> list[SalesAttribute]:
    """Variant options as custom sales attributes (none for a single default variant)."""
    if len(product.variants) <= 1:
        return []
    return [SalesAttribute(name=o.name, value_name=o.value) for o in variant.options]


def stock_of(
    variant: SourceVariant, sku_id: str | None, source: Source, current: TikTokSnapshot | None
) -> int:
    """Quantity TikTok gets: Shopify's (clamped to 0..99,999), 0, or TikTok's own."""
    if source is Source.DONT_SYNC:
        return 0
    if source is Source.TIKTOK and current and sku_id in current.sku_stock:
        return current.sku_stock[sku_id]
    return max(0, min(variant.stock, MAX_QUANTITY))


def price_of(
    variant: SourceVariant, sku_id: str | None, source: Source, current: TikTokSnapshot | None
) -> Decimal:
    """Price TikTok gets: Shopify's, or TikTok's own."""
    if source is Source.TIKTOK and current and sku_id in current.sku_prices:
        return current.sku_prices[sku_id]
    return variant.price


def identifier_code(barcode: str | None) -> dict[str, str] | None:
    """A barcode as TikTok's identifier code (UPC 12, EAN 13, GTIN 14 digits)."""
    types = {12: "UPC", 13: "EAN", 14: "GTIN", 8: "EAN"}
    if not barcode or not barcode.isdigit() or len(barcode) not in types:
        return None
    return {"code": barcode, "type": types[len(barcode)]}


def inventory_of(
    quantity: int, sku_id: str | None, target: PushTarget, current: TikTokSnapshot | None
) -> list[WarehouseStock]:
    """A SKU's stock: a new SKU's in the region's warehouse; a listed SKU's stays in the
    warehouses TikTok has it in (Edit Product refuses any change of a SKU's warehouses,
    12052533), the quantity in the first and the others' as TikTok has them."""
    held = current.sku_inventory.get(sku_id, {}) if current and sku_id else {}
    if not held:
        return [WarehouseStock(warehouse_id=target.warehouse_id, quantity=quantity)]
    first, *others = held
    return [
        WarehouseStock(warehouse_id=first, quantity=quantity),
        *(WarehouseStock(warehouse_id=w, quantity=held[w]) for w in others),
    ]


def to_sku(
    product: SourceProduct,
    variant: SourceVariant,
    target: PushTarget,
    rules: dict[SyncField, Source],
    current: TikTokSnapshot | None,
) -> SkuInput:
    """One variant as a TikTok SKU; an existing SKU id keeps the link on updates."""
    sku_id = target.sku_ids.get(variant.shopify_variant_id)
    extra: dict[str, object] = {"id": sku_id} if sku_id else {}
    code = identifier_code(variant.barcode) if rules[SyncField.BARCODE] is Source.ORIGIN else None
    if code:
        extra["identifier_code"] = code
    return SkuInput(
        seller_sku=(variant.sku or "").strip() or None,
        price=Price(
            amount=price_of(variant, sku_id, rules[SyncField.PRICE], current),
            currency=currency_of(target.region),
        ),
        inventory=inventory_of(
            stock_of(variant, sku_id, rules[SyncField.STOCK], current), sku_id, target, current
        ),
        sales_attributes=sales_attributes(product, variant),
        external_sku_id=variant.shopify_variant_id,
        **extra,
    )


def product_attributes(
    listing: ResolvedListing, requirements: CategoryRequirements
) -> list[ProductAttribute]:
    """Chosen attribute values the category knows (sales attributes come from variants)."""
    known = {a.id for a in requirements.attributes if not a.sales}
    return [
        ProductAttribute(
            id=a.attribute_id,
            values=[AttributeValue(id=v) for v in a.value_ids]
            + [AttributeValue(name=v) for v in a.custom_values],
        )
        for a in listing.attributes.values()
        if a.attribute_id in known
    ]


def certifications(
    listing: ResolvedListing, requirements: CategoryRequirements, file_names: Mapping[str, str]
) -> list[Certification]:
    """Uploaded certification documents for the category's certifications (a PDF goes with the
    name it was uploaded as; TikTok requires id, name and format)."""
    known = {c.id for c in requirements.certifications}
    return [
        Certification(
            id=c.certification_id,
            images=[ImageRef(uri=u) for u in c.image_uris],
            files=[
                CertificationFile(id=f, name=file_names.get(f) or f"{f}.pdf") for f in c.file_ids
            ]
            or None,
        )
        for c in listing.certifications.values()
        if c.certification_id in known
    ]


def package_of(listing: ResolvedListing) -> tuple[Weight, Dimensions | None]:
    """Package weight and (when set) dimensions, whole numbers."""
    p = listing.package
    weight = Weight(value=Decimal(p.weight or 0), unit=p.weight_unit)
    if not (p.length and p.width and p.height):
        return weight, None
    dims = Dimensions(
        length=str(p.length), width=str(p.width), height=str(p.height), unit=p.dimension_unit
    )
    return weight, dims


def to_tiktok_product(
    product: SourceProduct,
    *,
    edits: ConnectorEdits,
    rules: dict[SyncField, Source],
    listing: ResolvedListing,
    requirements: CategoryRequirements,
    target: PushTarget,
    current: TikTokSnapshot | None = None,
) -> ProductInput:
    """The Create / Edit Product body for a pulled product."""
    weight, dims = package_of(listing)
    extra: dict[str, object] = {}
    if listing.responsible_person_ids:
        extra["responsible_person_ids"] = listing.responsible_person_ids
    if listing.manufacturer_ids:
        extra["manufacturer_ids"] = listing.manufacturer_ids
    brand = (
        current.brand_id
        if rules[SyncField.BRAND] is Source.TIKTOK and current
        else listing.brand_id
    )
    return ProductInput(
        title=pick_title(product, edits, rules[SyncField.TITLE], current),
        description=pick_description(product, edits, rules[SyncField.DESCRIPTION], current),
        category_id=target.category_id,
        category_version=category_version(target.region),
        main_images=pick_images(product, target, rules[SyncField.MEDIA], current),
        skus=[to_sku(product, v, target, rules, current) for v in product.variants],
        package_weight=weight,
        package_dimensions=dims,
        brand_id=brand,
        product_attributes=product_attributes(listing, requirements) or None,
        certifications=certifications(listing, requirements, target.file_names) or None,
        size_chart=size_chart_of(listing),
        video=pick_video(target, rules[SyncField.VIDEO], current),
        external_product_id=product.shopify_product_id.rsplit("/", 1)[-1],
        shipping_template_id=target.shipping_template_id,
        idempotency_key=target.idempotency_key,
        **extra,
    )


def status_action(product: SourceProduct, rules: dict[SyncField, Source]) -> str | None:
    """After an update under the "origin" status rule: activate or deactivate on TikTok."""
    if rules[SyncField.STATUS] is not Source.ORIGIN:
        return None
    return "activate" if product.status.upper() == "ACTIVE" else "deactivate"
