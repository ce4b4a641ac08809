"""Shopify's file CDN: the bytes behind product image and video URLs.

Seeded media point at an unreachable host (`cdn.sandbox.test`); media the control plane hosts
here are served for real at `/cdn/{path}`, so a client downloads actual image and video bytes
(and a test can tell how often it did).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from shopify_sandbox.control_deps import SandboxDep, merchant, shop_of
from shopify_sandbox.control_models import ImageRequest
from shopify_sandbox.records import MediaImage, Video, now
from shopify_sandbox.rest_shapes import product_json

JSON = dict[str, Any]

cdn_router = APIRouter()
cdn_control_router = APIRouter()


@cdn_router.get("/cdn/{path:path}")
async def serve(path: str, sandbox: SandboxDep) -> Response:
    """A hosted file, as Shopify's CDN serves it (404 for a file never hosted)."""
    hosted = sandbox.cdn.get(path)
    if hosted is None:
        raise HTTPException(404, "Not Found")
    sandbox.cdn_fetches[path] = sandbox.cdn_fetches.get(path, 0) + 1
    content, content_type = hosted
    return Response(content, media_type=content_type)


@cdn_control_router.put("/cdn/{path:path}", status_code=201)
async def host(path: str, request: Request, sandbox: SandboxDep) -> JSON:
    """Host the request body at `/cdn/{path}` (its content type as given)."""
    content = await request.body()
    if not content:
        raise HTTPException(422, "empty file")
    sandbox.cdn[path] = (content, request.headers.get("content-type", "application/octet-stream"))
    return {"url": f"{str(request.base_url).rstrip('/')}/cdn/{path}", "bytes": len(content)}


@cdn_control_router.get("/cdn-fetches")
async def fetches(sandbox: SandboxDep) -> dict[str, int]:
    """How many times each hosted file was downloaded."""
    return dict(sandbox.cdn_fetches)


@cdn_control_router.post("/shops/{domain}/images", status_code=201)
async def add_image(domain: str, body: ImageRequest, request: Request, sandbox: SandboxDep) -> JSON:
    """Add an image to a product, as the merchant uploads one in admin (emits products/update)."""
    shop = shop_of(sandbox, domain)
    product = shop.products.get(body.product_id)
    if product is None:
        raise HTTPException(404, "unknown product")
    image = MediaImage(shop.new_gid("MediaImage"), body.url, width=body.width, height=body.height)
    videos = [m for m in product.media_list if isinstance(m, Video)]
    images = [m for m in product.media_list if not isinstance(m, Video)]
    product.media_list = [*images, image, *videos]
    product.updated_at = now()
    merchant(sandbox, shop, request).emit("products/update", product_json(product))
    return {"id": image.id, "product_id": product.id, "url": image.url}
