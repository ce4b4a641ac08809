"""/_sandbox routes for custom collections: create one, change who is in it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from shopify_sandbox.collections_api import add_products, create_collection, remove_products
from shopify_sandbox.control_deps import SandboxDep, merchant, shop_of
from shopify_sandbox.control_models import CollectionMembersRequest, CollectionRequest
from shopify_sandbox.records import Collection, now
from shopify_sandbox.rest_shapes import collection_json, product_json
from shopify_sandbox.shop import Shop

JSON = dict[str, Any]

collections_router = APIRouter()


@collections_router.post("/shops/{domain}/collections", status_code=201)
async def create(
    domain: str, body: CollectionRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    _known_products(shop, body.product_ids)
    collection = create_collection(shop, body.title, body.product_ids)
    merchant(sandbox, shop, request).emit("collections/create", collection_json(collection))
    return _summary(collection)


@collections_router.get("/shops/{domain}/collections")
async def listing(domain: str, sandbox: SandboxDep) -> list[JSON]:
    return [_summary(c) for c in shop_of(sandbox, domain).collections.values()]


@collections_router.post("/shops/{domain}/collections/members")
async def members(
    domain: str, body: CollectionMembersRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    collection = shop.collections.get(body.collection_id)
    if collection is None:
        raise HTTPException(404, f"unknown collection {body.collection_id}")
    _known_products(shop, [*body.add, *body.remove])
    add_products(collection, body.add)
    remove_products(collection, body.remove)
    context = merchant(sandbox, shop, request)
    if body.via == "collection":
        context.emit("collections/update", collection_json(collection))
    else:
        for product_id in dict.fromkeys([*body.add, *body.remove]):
            product = shop.products[product_id]
            product.updated_at = now()
            context.emit("products/update", product_json(product))
    return _summary(collection)


def _known_products(shop: Shop, product_ids: list[str]) -> None:
    unknown = sorted(set(product_ids) - set(shop.products))
    if unknown:
        raise HTTPException(422, f"unknown products: {', '.join(unknown)}")


def _summary(collection: Collection) -> JSON:
    return {
        "id": collection.id,
        "title": collection.title,
        "handle": collection.handle,
        "product_ids": list(collection.product_ids),
    }
