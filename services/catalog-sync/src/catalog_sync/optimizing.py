"""Optimize Info against TikTok: load a region's live listing, call TikTok's recommendation and
image APIs, edit the listing and record what changed (the pure rules: `core/optimization.py`)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import structlog
from connector_connections import PlatformClients
from connector_runtime.db import Connection as Db
from tiktok_shop.errors import BusinessError, CredentialError
from tiktok_shop.models.common import ImageRef, TikTokModel
from tiktok_shop.models.optimization import ImageToOptimize, OptimizedImage
from tiktok_shop.models.products import Product

from catalog_sync import metrics, store
from catalog_sync.core.optimization import (
    Applied,
    OptimizedField,
    Suggestions,
    image_answer,
    to_suggestions,
)
from catalog_sync.core.sync_rules import Source, SyncField
from catalog_sync.pushing import PLATFORM_ERRORS
from catalog_sync.store import ProductRecord

log = structlog.get_logger()
# Optimized Images answers PROCESSING first ("typically completes within a few seconds"):
# ask again this often, this many times, before telling the merchant to try again.
IMAGE_POLL_SECONDS = 0.5
IMAGE_POLLS = 10


class Refused(Exception):
    """An Optimize Info action that cannot happen, with the HTTP status and the reason."""

    def __init__(self, status: int, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.outcome, self.reason = status, outcome, reason


@dataclass(frozen=True)
class Listing:
    """A product's TikTok listing in one region, with that region's clients and update rules."""

    record: ProductRecord
    tiktok_product_id: str
    shop_id: str
    region: str
    clients: PlatformClients
    rules: dict[SyncField, Source]


def tiktok_reason(exc: Exception) -> Refused:
    """A TikTok failure as a refusal the merchant can act on."""
    if isinstance(exc, CredentialError):
        reason = (
            "TikTok Shop refused the connector's authorization for product optimization "
            f"({exc.message}): reauthorize the TikTok Shop app, then try again."
        )
        return Refused(409, "unauthorized", reason)
    if isinstance(exc, BusinessError):
        return Refused(422, "refused", f"TikTok Shop refused: {exc.message} ({exc.code})")
    detail = f"TikTok Shop did not respond ({type(exc).__name__}); nothing changed, try again."
    return Refused(502, "unavailable", detail)


@contextmanager
def tiktok_calls() -> Iterator[None]:
    """TikTok failures inside become refusals with a reason."""
    try:
        yield
    except PLATFORM_ERRORS as exc:
        raise tiktok_reason(exc) from exc


def count(action: str, outcome: str, product_id: str, reason: str | None = None) -> None:
    """One metric and one log line per Optimize Info action (bound: the request's ids)."""
    metrics.OPTIMIZATIONS.labels(action, outcome).inc()
    event = "catalog.optimization" if outcome == "done" else "catalog.optimization_refused"
    log.info(event, action=action, outcome=outcome, product_id=product_id, reason=reason)


async def suggestions(listing: Listing) -> Suggestions:
    """TikTok's titles, descriptions, SEO words and diagnosis of the listing."""
    api, ids = listing.clients.tiktok.optimization, [listing.tiktok_product_id]
    suggested, words, diagnosed = await asyncio.gather(
        api.suggestions(ids), api.seo_words(ids), api.diagnoses(ids)
    )
    return to_suggestions(suggested, words, diagnosed)


async def edit_listing(listing: Listing, fields: dict[str, object]) -> Product:
    """Partial Edit Product with `fields`, then TikTok's product as it now is (recorded)."""
    products = listing.clients.tiktok.products
    await products.partial_edit(listing.tiktok_product_id, TikTokModel.model_validate(fields))
    return await products.get(listing.tiktok_product_id)


async def record_changes(
    db: Db, listing: Listing, product: Product, applied: list[Applied], undone: list[OptimizedField]
) -> None:
    """What TikTok said after the edit, the optimizations now in force, and the undone ones."""
    cid, pid = listing.record.connection_id, listing.record.source.shopify_product_id
    async with db.transaction():
        audit = product.audit.status if product.audit and product.audit.status else None
        await store.record_said_status(db, listing.record, product.status or None, audit)
        for change in applied:
            await store.record_optimization(db, cid, listing.shop_id, pid, change)
        if undone:
            await store.forget_optimizations(db, cid, listing.shop_id, pid, undone)


async def optimized_image(listing: Listing, uri: str) -> OptimizedImage:
    """TikTok's optimized copy of an image (white background), asked again while PROCESSING."""
    api = listing.clients.tiktok.optimization
    for attempt in range(IMAGE_POLLS):
        answer = image_answer(await api.optimize_images([ImageToOptimize(uri=uri)]), uri)
        status = answer.optimize_status if answer else ""
        if answer and status == "SUCCESS" and answer.optimized_uri:
            return answer
        if status == "IGNORE":
            raise Refused(409, "ignored", "TikTok Shop says this main image is already optimized.")
        if status != "PROCESSING" or attempt == IMAGE_POLLS - 1:
            break
        await asyncio.sleep(IMAGE_POLL_SECONDS)
    raise Refused(
        409,
        "processing",
        "TikTok Shop is still optimizing the main image; try again in a few seconds.",
    )


def main_images(product: Product) -> list[str]:
    """TikTok's main image uris, in order."""
    return [i.uri for i in product.main_images if i.uri]


def image_fields(uris: list[str]) -> dict[str, object]:
    """A Partial Edit body that sets the main images."""
    return {"main_images": [ImageRef(uri=u) for u in uris]}
