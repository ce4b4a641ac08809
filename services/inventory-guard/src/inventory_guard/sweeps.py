"""The reconciliation sweep of a region (`stock-sweep`, periodic per connection and TikTok
shop): Shopify's available stock of every linked item is read again, TikTok's stock of every
linked product is searched, and every product whose TikTok stock or status differs from what
the figures and the policy say gets a push. Nothing depends on a webhook arriving.

The sweep's reads and repairs commit on the side pool as it goes, so it never holds the rows
that webhooks and pushes need while it walks a large catalog. Regions are swept side by side
(`INVENTORY_SWEEP_CONCURRENCY`, ADR 0410): one work item per region keeps a region's sweeps one
at a time, and the Shopify client's budget is per store and process, shared by its regions.
Shopify's levels are read in batches of items, one `nodes(ids:)` call each (ADR 0420).
"""

from typing import Any

import structlog
from connector_connections import Connection as Merchant
from connector_connections import shop_of, shops_of
from connector_connections.replica import load_connection
from connector_runtime import work
from connector_runtime.db import Connection
from connector_runtime.work import WorkItem
from tiktok_shop.api.products import MAX_INVENTORY_SEARCH_IDS
from tiktok_shop.models.products import ProductInventory

from inventory_guard import metrics, store
from inventory_guard.core.policy import Activation, ProductPlan
from inventory_guard.handlers import queue_push
from inventory_guard.platforms import Deps
from inventory_guard.shopify_levels import read_levels
from inventory_guard.stock_push import ACTIVE, LIVE, plan_of
from inventory_guard.store import ProductRow

log = structlog.get_logger()

SWEEP = "stock-sweep"


async def ensure_sweeps(runtime: Any) -> None:
    """Give every region of every connection its periodic sweep (one replica at a time)."""
    async with runtime.pool.acquire() as conn:
        keys = [
            f"{c.connection_id}|{s.shop_id}" for c in await _connections(conn) for s in shops_of(c)
        ]
        await work.queue_missing(conn, SWEEP, keys)


async def _connections(conn: Connection) -> list[Merchant]:
    rows = await conn.fetch("SELECT DISTINCT connection_id FROM products")
    found = [await load_connection(conn, r["connection_id"]) for r in rows]
    return [c for c in found if c is not None and c.status == "active"]


async def sweep_region(runtime: Any, conn: Connection, item: WorkItem) -> None:
    """Read both platforms for one region and push every product that drifted."""
    deps: Deps = runtime.deps
    cid, shop_id = item.key.split("|", 1)
    connection = await load_connection(conn, cid)
    shop = shop_of(connection, shop_id) if connection else None
    if connection is None or shop is None:
        return
    clients = deps.platform_clients.for_shop(connection, shop)
    pool = await deps.side_pool()
    async with pool.acquire() as side:
        items = await store.items_of_region(side, cid, shop_id)
        await read_levels(side, clients.shopify, cid, items, deps.now)
        products = [
            p
            for k in await store.product_keys(side, cid, shop_id)
            if (p := await store.load_product(side, k)) is not None and p.sync_stock
        ]
        drifted = 0
        for at in range(0, len(products), MAX_INVENTORY_SEARCH_IDS):
            chunk = products[at : at + MAX_INVENTORY_SEARCH_IDS]
            found = await clients.tiktok.products.inventory_search(
                [p.tiktok_product_id for p in chunk]
            )
            drifted += await repair(side, chunk, {f.product_id: f for f in found}, deps)
    log.info(
        "inventory.swept",
        connection_id=cid,
        tiktok_shop_id=shop_id,
        products=len(products),
        drifted=drifted,
    )


async def repair(
    side: Connection,
    products: list[ProductRow],
    found: dict[str, ProductInventory],
    deps: Deps,
) -> int:
    """Queue a push for every product whose TikTok stock or status is not what it should be;
    returns the SKUs found drifted."""
    drifted = 0
    for product in products:
        if await work.due_at(side, store.PUSH, product.key.work_key) is not None:
            continue  # a push is on its way: what TikTok shows now is not drift
        tiktok = found.get(product.tiktok_product_id)
        status = product.tiktok_status if product.tiktok_status in LIVE else ACTIVE
        plan = await plan_of(side, product, str(status))
        wrong = _drifted_skus(plan, tiktok, product.warehouse_id) if status == ACTIVE else 0
        if wrong or plan.activation is not Activation.KEEP or tiktok is None:
            async with side.transaction():
                await queue_push(side, product.key, None, 0.0)
                await store.forget_tiktok_view(side, product.key)
            drifted += wrong
    metrics.DRIFT_REPAIRED.inc(drifted)
    return drifted


def _drifted_skus(plan: ProductPlan, tiktok: ProductInventory | None, warehouse: str | None) -> int:
    """SKUs whose stock at the region's warehouse on TikTok differs from the plan."""
    if tiktok is None:
        return 0
    held = {}
    for sku in tiktok.skus:
        stocks = {w.warehouse_id: w.available_quantity for w in sku.warehouse_inventory}
        held[sku.id] = stocks.get(warehouse or "", next(iter(stocks.values()), 0))
    return sum(1 for s in plan.updates if held.get(s.tiktok_sku_id) != s.quantity)
