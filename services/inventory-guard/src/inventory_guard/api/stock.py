"""Stock settings per region and per product, stock state per product and SKU, Update stock."""

import structlog
from connector_connections import shops_of
from connector_connections.caller import CallerDep
from connector_runtime.item_tasks import TaskView
from fastapi import APIRouter, HTTPException
from shopify.errors import ShopifyError

from inventory_guard import state_store, store
from inventory_guard.api.deps import Db, DepsDep, merchant_of, region_of
from inventory_guard.api.views import (
    ProductStock,
    Queued,
    RegionSettings,
    Selection,
    ShopifyLocation,
    UpdateStock,
)
from inventory_guard.core.models import ProductSettings, StoreSettings
from inventory_guard.handlers import queue_push
from inventory_guard.locations import publish_locations
from inventory_guard.store import ProductKey
from inventory_guard.tasks import REEVALUATE, STOCK_TASKS, UPDATE_STOCK, start_task

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])
log = structlog.get_logger()


def product_gid(product_id: str) -> str:
    """Accept a numeric Shopify product id or a full gid."""
    return product_id if product_id.startswith("gid://") else f"gid://shopify/Product/{product_id}"


@router.get("/{connection_id}/settings", response_model=list[RegionSettings])
async def get_settings(connection_id: str, db: Db) -> list[RegionSettings]:
    """Every region's threshold, stock rules and inventory locations (defaults until saved)."""
    merchant = await merchant_of(db, connection_id)
    return [
        RegionSettings(
            tiktok_shop_id=s.shop_id,
            region=s.region,
            settings=await store.load_store_settings(db, connection_id, s.shop_id),
        )
        for s in shops_of(merchant)
    ]


@router.get("/{connection_id}/locations", response_model=list[ShopifyLocation])
async def shopify_locations(connection_id: str, db: Db, deps: DepsDep) -> list[ShopifyLocation]:
    """The store's Shopify locations, read from Shopify: the choices of each region's inventory
    location setting (the guide's "select from the available options")."""
    shopify = deps.platform_clients.get(await merchant_of(db, connection_id)).shopify
    try:
        return [
            ShopifyLocation(id=found.id, name=found.name, active=found.is_active)
            async for found in shopify.inventory.locations()
        ]
    except ShopifyError as exc:  # a platform's refusal or outage is said, never a 500
        log.warning("inventory.locations_unread", connection_id=connection_id, error=str(exc))
        raise HTTPException(502, f"Shopify did not list the store's locations: {exc}") from exc


@router.put("/{connection_id}/settings/{tiktok_shop_id}", response_model=StoreSettings)
async def put_settings(
    connection_id: str, tiktok_shop_id: str, body: StoreSettings, db: Db, deps: DepsDep
) -> StoreSettings:
    """Replace a region's settings; every product of the region is evaluated again (a task in
    the task list when the threshold or its mode changed), and a new inventory location is
    published to catalog-sync and order-relay."""
    merchant = await region_of(db, connection_id, tiktok_shop_id)
    async with db.transaction():
        keys = await store.product_keys(db, connection_id, tiktok_shop_id)
        before = await store.load_store_settings(db, connection_id, tiktok_shop_id)
        if before.threshold != body.threshold:
            region = (connection_id, tiktok_shop_id)
            await start_task(db, deps.settings, keys, region, REEVALUATE)
        else:
            for key in keys:
                await queue_push(db, key, None, 0.0)
        await store.save_store_settings(db, connection_id, tiktok_shop_id, body)
        if before.location_ids != body.location_ids:
            await publish_locations(db, deps.settings, merchant)
    return body


@router.get("/{connection_id}/products/{product_id}", response_model=ProductStock)
async def product_stock(connection_id: str, product_id: str, db: Db) -> ProductStock:
    """A product's stock per region and SKU: Shopify, TikTok, the policy, last sync, reason."""
    pid = product_gid(product_id)
    regions = await state_store.product_state(db, connection_id, pid)
    if not regions:
        raise HTTPException(404, f"product {pid} is not linked to TikTok Shop")
    return ProductStock(shopify_product_id=pid, regions=regions)


@router.put(
    "/{connection_id}/products/{product_id}/settings/{tiktok_shop_id}",
    response_model=ProductSettings,
)
async def put_product_settings(
    connection_id: str, product_id: str, tiktok_shop_id: str, body: ProductSettings, db: Db
) -> ProductSettings:
    """Replace a product's overrides in a region (threshold, exclude, stock rules)."""
    key = ProductKey(connection_id, tiktok_shop_id, product_gid(product_id))
    async with db.transaction():
        await queue_push(db, key, None, 0.0)
        if not await store.save_overrides(db, key, body):
            raise HTTPException(404, f"product {key.shopify_product_id} is not linked there")
    return body


@router.post("/{connection_id}/update-stock", status_code=202, response_model=Queued)
async def update_stock(connection_id: str, body: Selection, db: Db, deps: DepsDep) -> Queued:
    """Send Shopify stock of these products (or every linked one) to TikTok now: one task per
    region it acts in."""
    merchant = await merchant_of(db, connection_id)
    shops = (
        [body.tiktok_shop_id] if body.tiktok_shop_id else [s.shop_id for s in shops_of(merchant)]
    )
    wanted = {product_gid(p) for p in body.product_ids}
    queued, task_ids = 0, []
    async with db.transaction():
        for shop_id in shops:
            keys = [
                k
                for k in await store.product_keys(db, connection_id, shop_id)
                if body.all_products or k.shopify_product_id in wanted
            ]
            if keys:
                region = (connection_id, shop_id)
                task_ids.append(await start_task(db, deps.settings, keys, region, UPDATE_STOCK))
                queued += len(keys)
    return Queued(queued=queued, task_ids=task_ids)


@router.post(
    "/{connection_id}/regions/{tiktok_shop_id}/update-stock",
    status_code=202,
    response_model=TaskView,
)
async def update_region_stock(
    connection_id: str, tiktok_shop_id: str, body: UpdateStock, db: Db, deps: DepsDep
) -> TaskView:
    """ "Update stock" in a region: the selected products, a page of them, or all pages."""
    await region_of(db, connection_id, tiktok_shop_id)
    if body.scope == "page":
        offset = (body.page - 1) * body.page_size
        keys = await store.product_keys(
            db, connection_id, tiktok_shop_id, limit=body.page_size, offset=offset
        )
    else:
        keys = await store.product_keys(db, connection_id, tiktok_shop_id)
    if body.scope == "selected":
        wanted = {product_gid(p) for p in body.shopify_product_ids}
        keys = [k for k in keys if k.shopify_product_id in wanted]
    async with db.transaction():
        region = (connection_id, tiktok_shop_id)
        task_id = await start_task(db, deps.settings, keys, region, UPDATE_STOCK)
        task = await STOCK_TASKS.load(db, task_id)
    return TaskView.model_validate(task)


@router.get("/tasks/{task_id}", response_model=TaskView)
async def get_task(task_id: str, db: Db, caller: CallerDep) -> TaskView:
    """A stock task's progress."""
    task = await STOCK_TASKS.load(db, task_id)
    if task is None or not caller.owns(task["connection_id"]):
        raise HTTPException(404, f"unknown task {task_id}")
    return TaskView.model_validate(task)
