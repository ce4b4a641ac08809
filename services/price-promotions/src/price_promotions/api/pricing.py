"""Pricing per region: mode, sync rule, price rules, the window; mode changes clear activities."""

from datetime import datetime

from connector_connections.caller import CallerDep
from connector_runtime.db import Connection
from connector_runtime.settings import ServiceSettings
from fastapi import APIRouter, HTTPException

from price_promotions import store
from price_promotions.api.deps import Db, DepsDep, region_of
from price_promotions.api.models import (
    PricingSettings,
    RegionView,
    SavedPricing,
    TaskView,
    UpdatePrice,
    Window,
)
from price_promotions.core.pricing import RegionPricing, two_prices_since
from price_promotions.core.schedule import window_end, window_state
from price_promotions.intents import products_with_intents
from price_promotions.queueing import queue_sync
from price_promotions.store import Region
from price_promotions.task_events import PRICE_TASKS

router = APIRouter(prefix="/api/v1/pricing", tags=["pricing"])


@router.get("/tasks/{task_id}", response_model=TaskView)
async def get_task(task_id: str, db: Db, caller: CallerDep) -> TaskView:
    """A pricing task's progress."""
    task = await PRICE_TASKS.load(db, task_id)
    if task is None or not caller.owns(task["connection_id"]):
        raise HTTPException(404, f"unknown task {task_id}")
    return TaskView.model_validate(task)


def _view(region: Region, pricing: RegionPricing, now: datetime) -> RegionView:
    enabled = pricing.two_prices_enabled_at
    ends = window_end(enabled) if enabled else None
    window = Window(
        state=window_state(enabled, now),
        enabled_at=enabled,
        ends_at=ends,
        days_left=max(0, (ends - now).days) if ends else None,
    )
    return RegionView(
        tiktok_shop_id=region.tiktok_shop_id,
        region=region.region,
        currency=pricing.currency,
        mode=pricing.mode,
        exchange_rate=pricing.exchange_rate,
        rules=pricing.rules,
        window=window,
    )


@router.get("/{connection_id}/regions/{tiktok_shop_id}", response_model=RegionView)
async def get_pricing(connection_id: str, tiktok_shop_id: str, db: Db, deps: DepsDep) -> RegionView:
    """A region's pricing settings (defaults until saved) and its window."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    return _view(region, await store.load_pricing(db, region), deps.now())


@router.put("/{connection_id}/regions/{tiktok_shop_id}", response_model=SavedPricing)
async def put_pricing(
    connection_id: str, tiktok_shop_id: str, body: PricingSettings, db: Db, deps: DepsDep
) -> SavedPricing:
    """Replace a region's pricing. Two prices -> one removes every activity the connector
    created (their products are re-priced now); any mode change offers a refresh task."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    async with db.transaction():
        old = await store.load_pricing(db, region)
        new = RegionPricing(
            region=region.region,
            **body.model_dump(),
            two_prices_enabled_at=two_prices_since(old, body.mode, deps.now()),
        )
        await store.save_pricing(db, region, new)
        cleared = []
        if old.mode.two_prices and not new.mode.two_prices:
            # With the products a run may have left an unrecorded activity for (ADR 0520).
            held = await store.activity_products(db, region)
            cleared = sorted(set(held) | set(await products_with_intents(db, region)))
            await _queue_now(db, region, cleared)
    return SavedPricing(
        **_view(region, new, deps.now()).model_dump(),
        activities_cleared=len(cleared),
        refresh_offered=old.mode is not new.mode,
    )


@router.post("/{connection_id}/regions/{tiktok_shop_id}/refresh", response_model=TaskView)
async def refresh(connection_id: str, tiktok_shop_id: str, db: Db, deps: DepsDep) -> TaskView:
    """Re-price every product of the region (offered after a mode change)."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    products = await store.linked_products(db, region)
    return await _start(db, deps.settings, region, ("refresh", products))


@router.post("/{connection_id}/regions/{tiktok_shop_id}/update-price", response_model=TaskView)
async def update_price(
    connection_id: str, tiktok_shop_id: str, body: UpdatePrice, db: Db, deps: DepsDep
) -> TaskView:
    """ "Update price" of the selected products, a page of the catalog, or all pages."""
    region = await region_of(db, connection_id, tiktok_shop_id)
    if body.scope == "selected":
        linked = set(await store.linked_products(db, region))
        products = [p for p in body.shopify_product_ids if p in linked]
    elif body.scope == "page":
        offset = (body.page - 1) * body.page_size
        products = await store.linked_products(db, region, limit=body.page_size, offset=offset)
    else:
        products = await store.linked_products(db, region)
    return await _start(db, deps.settings, region, ("update_price", products))


async def _start(
    db: Connection, settings: ServiceSettings, region: Region, work: tuple[str, list[str]]
) -> TaskView:
    kind, products = work
    async with db.transaction():
        task_id = await PRICE_TASKS.create(
            db, (region.connection_id, region.tiktok_shop_id), kind, products
        )
        await PRICE_TASKS.announce(db, settings, task_id)
        await _queue_now(db, region, products)
        task = await PRICE_TASKS.load(db, task_id)
    return TaskView.model_validate(task)


async def _queue_now(db: Connection, region: Region, products: list[str]) -> None:
    # One by one, never `queue_missing`: a sync running now read the settings before this
    # change, and its claimed item still looks queued to a snapshot. Queueing waits for that
    # run to commit and adds a fresh item, which reads the new settings.
    for product_id in products:
        await queue_sync(db, region, product_id, None)
