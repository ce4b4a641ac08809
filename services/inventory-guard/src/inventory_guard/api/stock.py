"""Stock settings per region and per product, stock state per product and SKU, Update stock."""

from connector_connections import shops_of
from connector_contracts import InventoryLocationsChanged, RegionLocations, new_envelope
from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, HTTPException

from inventory_guard import state_store, store
from inventory_guard.api.deps import Db, DepsDep, merchant_of, region_of
from inventory_guard.api.views import ProductStock, Queued, RegionSettings, Selection
from inventory_guard.core.models import ProductSettings, StoreSettings
from inventory_guard.handlers import queue_push
from inventory_guard.settings import InventoryGuardSettings
from inventory_guard.store import ProductKey

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])


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


@router.put("/{connection_id}/settings/{tiktok_shop_id}", response_model=StoreSettings)
async def put_settings(
    connection_id: str, tiktok_shop_id: str, body: StoreSettings, db: Db, deps: DepsDep
) -> StoreSettings:
    """Replace a region's settings; every product of the region is evaluated again, and a new
    inventory location is published to catalog-sync and order-relay."""
    await region_of(db, connection_id, tiktok_shop_id)
    async with db.transaction():
        before = await store.load_store_settings(db, connection_id, tiktok_shop_id)
        await store.save_store_settings(db, connection_id, tiktok_shop_id, body)
        if before.location_ids != body.location_ids:
            await publish_locations(db, deps.settings, connection_id)
        for key in await store.product_keys(db, connection_id, tiktok_shop_id):
            await queue_push(db, key, None, 0.0)
    return body


async def publish_locations(
    db: Connection, settings: InventoryGuardSettings, connection_id: str
) -> None:
    """The connection's location card (every region), with the next revision."""
    merchant = await merchant_of(db, connection_id)
    revision = await store.next_location_revision(db, connection_id)
    card = InventoryLocationsChanged(
        connection_id=connection_id,
        revision=revision,
        regions=[
            RegionLocations(
                tiktok_shop_id=s.shop_id,
                region=s.region,
                location_ids=list(
                    (await store.load_store_settings(db, connection_id, s.shop_id)).location_ids
                ),
            )
            for s in shops_of(merchant)
        ],
    )
    await write_outbox(db, settings, new_envelope(card, connection_id=connection_id))


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
async def update_stock(connection_id: str, body: Selection, db: Db) -> Queued:
    """Send Shopify stock of these products (or every linked one) to TikTok now."""
    merchant = await merchant_of(db, connection_id)
    shops = (
        [body.tiktok_shop_id] if body.tiktok_shop_id else [s.shop_id for s in shops_of(merchant)]
    )
    wanted = {product_gid(p) for p in body.product_ids}
    queued = 0
    async with db.transaction():
        for shop_id in shops:
            for key in await store.product_keys(db, connection_id, shop_id):
                if body.all_products or key.shopify_product_id in wanted:
                    await queue_push(db, key, None, 0.0)
                    await store.forget_tiktok_view(db, key)
                    queued += 1
    return Queued(queued=queued)
