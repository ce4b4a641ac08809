"""/_sandbox routes a merchant's catalog changes through: seeding, prices, videos, stock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from shopify_sandbox.collections_api import forget_product
from shopify_sandbox.control_deps import SandboxDep, merchant, shop_of
from shopify_sandbox.control_models import (
    MetafieldsRequest,
    PriceRequest,
    StatusRequest,
    StockRequest,
    VideoRequest,
)
from shopify_sandbox.inventory_api import set_quantity
from shopify_sandbox.metafields_api import set_all
from shopify_sandbox.records import Video, now, numeric_id
from shopify_sandbox.rest_shapes import inventory_level_json, product_json
from shopify_sandbox.seed import SeedRequest, catalog_summary, seed_catalog

JSON = dict[str, Any]

catalog_router = APIRouter()


@catalog_router.post("/shops/{domain}/seed")
async def seed(domain: str, body: SeedRequest, request: Request, sandbox: SandboxDep) -> JSON:
    shop = shop_of(sandbox, domain)
    made = seed_catalog(shop, body)
    if body.emit_webhooks:
        context = merchant(sandbox, shop, request)
        for product in made:
            context.emit("products/create", product_json(product))
    return catalog_summary(made)


@catalog_router.delete("/shops/{domain}/products")
async def delete_product(
    domain: str, product_id: str, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    product = shop.products.pop(product_id, None)
    if product is None:
        raise HTTPException(404, "unknown product")
    for variant in product.variant_list:
        shop.variants.pop(variant.id, None)
        shop.items.pop(variant.inventory_item.id, None)
    forget_product(shop, product.id)
    merchant(sandbox, shop, request).emit("products/delete", {"id": numeric_id(product.id)})
    return {"deleted": product.id}


@catalog_router.get("/shops/{domain}/products")
async def products(
    domain: str, sandbox: SandboxDep, limit: int = 100, offset: int = 0
) -> list[JSON]:
    items = list(shop_of(sandbox, domain).products.values())[offset : offset + limit]
    return [product_json(p) for p in items]


@catalog_router.post("/shops/{domain}/prices")
async def change_price(
    domain: str, body: PriceRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    variant = shop.variants.get(body.variant_id)
    if variant is None:
        raise HTTPException(404, "unknown variant")
    variant.price, variant.compare_at_price = body.price, body.compare_at_price
    variant.updated_at = variant.product.updated_at = now()
    merchant(sandbox, shop, request).emit("products/update", product_json(variant.product))
    return product_json(variant.product)


@catalog_router.post("/shops/{domain}/product-status")
async def change_status(
    domain: str, body: StatusRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    product = shop.products.get(body.product_id)
    if product is None:
        raise HTTPException(404, "unknown product")
    product.status, product.updated_at = body.status, now()
    merchant(sandbox, shop, request).emit("products/update", product_json(product))
    return product_json(product)


@catalog_router.post("/shops/{domain}/videos", status_code=201)
async def add_video(domain: str, body: VideoRequest, request: Request, sandbox: SandboxDep) -> JSON:
    shop = shop_of(sandbox, domain)
    product = shop.products.get(body.product_id)
    if product is None:
        raise HTTPException(404, "unknown product")
    url = body.url or f"https://cdn.sandbox.test/{shop.domain}/videos/{body.filename}"
    video = Video(
        shop.new_gid("Video"),
        body.filename,
        url,
        width=body.width,
        height=body.height,
        file_size=body.file_size,
    )
    product.media_list.append(video)
    product.updated_at = now()
    merchant(sandbox, shop, request).emit("products/update", product_json(product))
    return {"id": video.id, "product_id": product.id, "sources": video.sources}


@catalog_router.post("/shops/{domain}/metafields")
async def set_metafields(
    domain: str, body: MetafieldsRequest, request: Request, sandbox: SandboxDep
) -> list[JSON]:
    """The merchant saves a product's metafields in admin: validated as `metafieldsSet` does
    (422 with its user errors), the product's `updatedAt` moves and products/update is sent."""
    shop = shop_of(sandbox, domain)
    product = shop.products.get(body.product_id)
    if product is None:
        raise HTTPException(404, "unknown product")
    inputs = [m.model_dump() | {"ownerId": product.id} for m in body.metafields]
    saved, errors = set_all(shop, inputs)
    if errors:
        raise HTTPException(422, errors)
    product.updated_at = now()
    merchant(sandbox, shop, request).emit("products/update", product_json(product))
    return [
        {"id": m.id, "namespace": m.namespace, "key": m.key, "type": m.type, "value": m.value}
        for m in saved
    ]


@catalog_router.post("/shops/{domain}/inventory")
async def change_stock(
    domain: str, body: StockRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    item = shop.items.get(body.inventory_item_id)
    level = item.levels.get(body.location_id) if item else None
    if level is None:
        raise HTTPException(404, "item not stocked at that location")
    set_quantity(merchant(sandbox, shop, request), level, "available", body.available)
    return inventory_level_json(level)


@catalog_router.get("/shops/{domain}/inventory")
async def inventory(domain: str, sandbox: SandboxDep) -> list[JSON]:
    shop = shop_of(sandbox, domain)
    return [
        {
            **inventory_level_json(level),
            "sku": item.sku,
            "committed": level.committed,
            "on_hand": level.on_hand,
            "inventory_item_gid": item.id,
            "location_gid": level.location.id,
        }
        for item in shop.items.values()
        for level in item.levels.values()
    ]
