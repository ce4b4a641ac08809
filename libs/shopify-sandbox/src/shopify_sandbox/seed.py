"""A deterministic catalog: same request and seed on a fresh shop → the same products and ids."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from shopify_sandbox.records import (
    InventoryItem,
    InventoryLevel,
    MediaImage,
    Product,
    ProductOption,
    ProductVariant,
    TaxonomyCategory,
    Video,
)
from shopify_sandbox.shop import Shop

EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
# Illustrative Standard Product Taxonomy categories (ids shaped like Shopify's, B5).
CATEGORIES = {
    "T-Shirts": ("aa-1-13-8", "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"),
    "Hoodies": ("aa-1-13-13", "Apparel & Accessories > Clothing > Clothing Tops > Hoodies"),
    "Mugs": ("hg-11-10-5", "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs"),
    "Posters": ("hg-3-4-2", "Home & Garden > Decor > Artwork > Posters, Prints & Visual Artwork"),
    "Stickers": ("ae-2-1-2-12", "Arts & Entertainment > Hobbies & Creative Arts > Stickers"),
}
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
COLORS = ["Black", "White", "Red", "Blue", "Green", "Grey", "Navy", "Pink"]
MATERIALS = ["Cotton", "Linen", "Wool", "Polyester"]
# Shopify-hosted product videos: portrait, square and landscape (all inside TikTok's 9:16-16:9).
VIDEO_SIZES = [(1080, 1920), (1080, 1080), (1920, 1080)]
ADJECTIVES = ["Classic", "Vintage", "Cozy", "Bold", "Minimal", "Retro", "Organic", "Urban"]


class SeedRequest(BaseModel):
    """Catalog shape; ratios choose the products with deliberate data problems."""

    products: int = Field(10, ge=0, le=100_000)
    variants_per_product: int = Field(3, ge=1, le=192)
    seed: int = 0
    product_types: list[str] = Field(default_factory=lambda: list(CATEGORIES))
    stock_min: int = 0
    stock_max: int = 50
    compare_at_ratio: float = Field(0.3, ge=0, le=1)
    missing_product_type_ratio: float = Field(0.05, ge=0, le=1)
    missing_barcode_ratio: float = Field(0.05, ge=0, le=1)
    missing_images_ratio: float = Field(0.05, ge=0, le=1)
    video_ratio: float = Field(0.2, ge=0, le=1, description="Share of products with a video.")
    long_title_ratio: float = Field(0.02, ge=0, le=1)
    duplicate_sku_ratio: float = Field(0.02, ge=0, le=1)
    emit_webhooks: bool = Field(False, description="Send products/create for each product.")


def seed_catalog(shop: Shop, request: SeedRequest) -> list[Product]:
    """Add `request.products` products to the shop."""
    rng = random.Random(request.seed)
    made: list[Product] = []
    for index in range(request.products):
        product = _product(shop, request, rng, index, made)
        shop.products[product.id] = product
        made.append(product)
    _attach_videos(shop, request, made)
    return made


def _attach_videos(shop: Shop, req: SeedRequest, made: list[Product]) -> None:
    """Give a share of the products a video, after their images.

    Its own random stream and ids taken after the whole catalog keep every other seeded value
    and id what it was before videos existed.
    """
    rng = random.Random(f"videos-{req.seed}")
    for index, product in enumerate(made):
        if rng.random() >= req.video_ratio:
            continue
        width, height = rng.choice(VIDEO_SIZES)
        product.media_list.append(
            Video(
                shop.new_gid("Video"),
                f"{product.handle}.mp4",
                f"https://cdn.sandbox.test/{shop.domain}/{index}/videos/{product.handle}.mp4",
                width=width,
                height=height,
                file_size=rng.randint(1, 60) * 1_000_000,
                duration=rng.randint(10, 60) * 1000,
                alt=product.title[:60],
            )
        )


def _product(
    shop: Shop, req: SeedRequest, rng: random.Random, index: int, made: list[Product]
) -> Product:
    product_type = rng.choice(req.product_types) if req.product_types else ""
    if rng.random() < req.missing_product_type_ratio:
        product_type = ""
    title = f"{rng.choice(ADJECTIVES)} {product_type or 'Item'} {req.seed}-{index}"
    if rng.random() < req.long_title_ratio:
        title = (title + " with an exceptionally long descriptive title") * 8
    created = EPOCH + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
    product = Product(
        id=shop.new_gid("Product"),
        title=title,
        handle=f"product-{req.seed}-{index}",
        product_type=product_type,
        vendor=f"Vendor {rng.randint(1, 5)}",
        description_html=f"<p>{title}</p>",
        tags=rng.sample(["new", "sale", "summer", "gift", "bestseller"], k=rng.randint(0, 2)),
        category=_category(shop, product_type),
        created_at=created,
        updated_at=created + timedelta(minutes=rng.randint(0, 60 * 24 * 90)),
    )
    if rng.random() >= req.missing_images_ratio:
        product.media_list = [
            MediaImage(
                shop.new_gid("MediaImage"),
                f"https://cdn.sandbox.test/{shop.domain}/{index}/{k}.jpg",
                alt=title[:60],
            )
            for k in range(rng.randint(1, 3))
        ]
    _variants(shop, req, rng, index, product, made)
    return product


def _category(shop: Shop, product_type: str) -> TaxonomyCategory | None:
    known = CATEGORIES.get(product_type)
    if known is None:
        return None
    code, full = known
    return TaxonomyCategory(
        f"gid://shopify/TaxonomyCategory/{code}", product_type, full, full.count(">") + 1
    )


def _option_axes(count: int) -> list[tuple[str, list[str]]]:
    axes = [("Size", SIZES), ("Color", COLORS), ("Material", MATERIALS)]
    chosen, capacity = [], 1
    for axis in axes:
        chosen.append(axis)
        capacity *= len(axis[1])
        if capacity >= count:
            break
    return chosen


def _variants(
    shop: Shop,
    req: SeedRequest,
    rng: random.Random,
    index: int,
    product: Product,
    made: list[Product],
) -> None:
    axes = _option_axes(req.variants_per_product)
    combos = list(
        itertools.islice(
            itertools.product(*(values for _, values in axes)), req.variants_per_product
        )
    )
    single = req.variants_per_product == 1
    _add_options(shop, product, axes, combos, single=single)
    base = Decimal(rng.randint(500, 10_000)) / 100
    for position, combo in enumerate(combos, start=1):
        sku = _sku(req, rng, index, position, made)
        selected = (
            [("Title", "Default Title")]
            if single
            else [(axes[i][0], v) for i, v in enumerate(combo)]
        )
        item = InventoryItem(
            shop.new_gid("InventoryItem"), sku, weight_grams=float(rng.randint(50, 2000))
        )
        variant = ProductVariant(
            id=shop.new_gid("ProductVariant"),
            product=product,
            title="Default Title" if single else " / ".join(combo),
            sku=sku,
            barcode=None
            if rng.random() < req.missing_barcode_ratio
            else f"{rng.randint(10**11, 10**12 - 1)}",
            price=base,
            compare_at_price=(base * Decimal("1.25")).quantize(Decimal("0.01"))
            if rng.random() < req.compare_at_ratio
            else None,
            position=position,
            selected=selected,
            inventory_item=item,
            created_at=product.created_at,
            updated_at=product.updated_at,
        )
        item.variant = variant
        _stock(shop, req, rng, item)
        product.variant_list.append(variant)
        shop.variants[variant.id] = variant
        shop.items[item.id] = item


def _add_options(
    shop: Shop,
    product: Product,
    axes: list[tuple[str, list[str]]],
    combos: list[tuple[str, ...]],
    *,
    single: bool,
) -> None:
    if single:
        product.options_list.append(
            ProductOption(shop.new_gid("ProductOption"), "Title", 1, ["Default Title"], product)
        )
        return
    for position, (name, values) in enumerate(axes, start=1):
        used = sorted({c[position - 1] for c in combos}, key=values.index)
        product.options_list.append(
            ProductOption(shop.new_gid("ProductOption"), name, position, used, product)
        )


def _sku(
    req: SeedRequest, rng: random.Random, index: int, position: int, made: list[Product]
) -> str:
    sku = f"SKU-{req.seed}-{index:05d}-{position:02d}"
    if made and rng.random() < req.duplicate_sku_ratio:
        sku = rng.choice(made).variant_list[0].sku or sku
    return sku


def _stock(shop: Shop, req: SeedRequest, rng: random.Random, item: InventoryItem) -> None:
    for location in shop.locations.values():
        item.levels[location.id] = InventoryLevel(
            item, location, rng.randint(req.stock_min, req.stock_max)
        )


def catalog_summary(products: list[Product]) -> dict[str, Any]:
    """Counts of what was seeded, including the deliberate problems."""
    variants = [v for p in products for v in p.variant_list]
    skus = [v.sku for v in variants]
    return {
        "products": len(products),
        "variants": len(variants),
        "product_ids": [p.id for p in products[:1000]],
        "missing_product_type": sum(1 for p in products if not p.product_type),
        "missing_barcode": sum(1 for v in variants if not v.barcode),
        "missing_images": sum(1 for p in products if not p.images),
        "with_video": sum(1 for p in products if len(p.images) < len(p.media_list)),
        "long_titles": sum(1 for p in products if len(p.title) > 255),
        "duplicate_skus": len(skus) - len(set(skus)),
        "with_compare_at_price": sum(1 for v in variants if v.compare_at_price is not None),
    }
