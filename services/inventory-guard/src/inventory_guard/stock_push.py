"""The `stock-push` work: one product's stock in one region to TikTok, in one Update Inventory
call with absolute quantities, then the low-inventory policy's status change.

Items are keyed per product and region, so a burst of Shopify changes becomes one call: the run
reads the newest stored figures, whatever the order their webhooks came in.
"""

from collections.abc import Collection
from typing import Any

import structlog
from connector_connections import PlatformClients, shop_of
from connector_connections.replica import load_connection
from connector_runtime.db import Connection
from connector_runtime.work import WorkItem, describe
from shopify import ShopifyClient
from shopify.errors import ShopifyError
from tiktok_shop import TikTokShopClient
from tiktok_shop.errors import ApiError
from tiktok_shop.models.products import SkuStock, WarehouseStock

from inventory_guard import metrics, store
from inventory_guard.core.policy import Activation, ProductPlan, ProductState, plan_product
from inventory_guard.core.reasons import not_live, reason_for, shopify_unreadable
from inventory_guard.platforms import Deps
from inventory_guard.shopify_levels import read_levels
from inventory_guard.store import ProductKey, ProductRow
from inventory_guard.tasks import DONE, GIVE_UP_AFTER, Outcome, finish_product

log = structlog.get_logger()

ACTIVE = "ACTIVATE"
DEACTIVATED = "SELLER_DEACTIVATED"
LIVE = frozenset({ACTIVE, DEACTIVATED})
Warehouses = dict[str, dict[str, int]]


class StockRefused(Exception):
    """TikTok refused a SKU of the update (its per-item error)."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(f"TikTok error {code}: {message}")
        self.code = code


async def run_push(runtime: Any, conn: Connection, item: WorkItem) -> None:
    """Send one product's stock; raising retries it later (the reason is on the product).
    The product's stock tasks count what became of it."""
    deps: Deps = runtime.deps
    key = ProductKey.of_work_key(item.key)
    outcome = await _push(conn, deps, key)
    await finish_product(conn, deps.settings, key, outcome)


async def _push(conn: Connection, deps: Deps, key: ProductKey) -> Outcome:
    product = await store.load_product(conn, key, lock=True)
    if product is None or not product.sync_stock:
        return DONE  # unlinked since, or its "Product stock" rule leaves TikTok's stock alone
    connection = await load_connection(conn, key.connection_id)
    shop = shop_of(connection, key.tiktok_shop_id) if connection else None
    if connection is None or shop is None:
        reason = "This TikTok shop is no longer authorized for the connection."
        await store.record_reason(conn, key, "region", reason)
        return ("failed", reason)
    clients = deps.platform_clients.for_shop(connection, shop)
    return await push_product(conn, deps, clients, product)


async def push_product(
    conn: Connection, deps: Deps, clients: PlatformClients, product: ProductRow
) -> Outcome:
    """Plan from the stored figures (Shopify read first for SKUs without one), apply on
    TikTok and record what TikTok now shows."""
    key = product.key
    status, warehouses = await _tiktok_view(conn, clients.tiktok, product)
    if status not in LIVE:
        reason = not_live(status)
        await store.record_reason(conn, key, "not_live", reason)
        return ("failed", reason)
    read = await read_unknown_levels(conn, deps, clients.shopify, key)
    plan = await plan_of(conn, product, status, read)
    status, sent = await apply_plan(clients.tiktok, product, plan, warehouses, status)
    now = deps.now()
    await store.record_plan(conn, key, plan, status, now, sent=sent, warehouses=warehouses)
    metrics.PUSHES.labels("sent" if sent else "status_only").inc()
    if sent and product.pending_since is not None:
        metrics.UPDATE_LAG.observe(max(0.0, (now - product.pending_since).total_seconds()))
    return DONE


async def read_unknown_levels(
    conn: Connection, deps: Deps, shopify: ShopifyClient, key: ProductKey
) -> set[str]:
    """Read from Shopify the levels of the product's items the guard has no figure of (linked
    since the last sweep, and no webhook since: Shopify sends none for stock that does not
    change), before anything is sent; the items read."""
    items = await store.unknown_items(conn, key)
    if not items:
        return set()
    read = await read_levels(conn, shopify, key.connection_id, items, deps.now)
    log.info(
        "inventory.unknown_levels_read",
        connection_id=key.connection_id,
        tiktok_shop_id=key.tiktok_shop_id,
        shopify_product_id=key.shopify_product_id,
        items=len(items),
        answered=len(read),
    )
    return read


async def plan_of(
    conn: Connection, product: ProductRow, status: str, read: Collection[str] = ()
) -> ProductPlan:
    """The product's plan from the stored Shopify figures and settings (`read`: items just
    read from Shopify, known even where Shopify stocks them nowhere)."""
    key = product.key
    return plan_product(
        await store.sku_inputs(conn, key, list(read)),
        await store.load_store_settings(conn, key.connection_id, key.tiktok_shop_id),
        product.overrides,
        ProductState(active=status == ACTIVE, guard_deactivated=product.guard_deactivated),
    )


async def _tiktok_view(
    conn: Connection, tiktok: TikTokShopClient, product: ProductRow
) -> tuple[str, Warehouses]:
    """The product's status and SKU warehouses: as last seen, or read again from TikTok."""
    warehouses = await store.warehouses_of(conn, product.key)
    status = product.tiktok_status
    if status in LIVE and warehouses and all(warehouses.values()):
        return str(status), warehouses
    found = await tiktok.products.get(product.tiktok_product_id)
    warehouses = {
        s.id: {str(w.warehouse_id or ""): w.quantity for w in s.inventory}
        for s in found.skus
        if s.id in warehouses
    }
    await store.save_tiktok_view(conn, product.key, found.status, warehouses)
    return found.status, warehouses


async def apply_plan(
    tiktok: TikTokShopClient,
    product: ProductRow,
    plan: ProductPlan,
    warehouses: Warehouses,
    status: str,
) -> tuple[str, bool]:
    """Activate, send the stock, deactivate, in the order TikTok accepts them (it takes stock
    of ACTIVATE products only); returns the product's status and whether stock was sent."""
    pid = product.tiktok_product_id
    if plan.activation is Activation.ACTIVATE:
        await _status_call(tiktok.products.activate, pid)
        metrics.POLICY.labels("activate").inc()
        status = ACTIVE
    sent = status == ACTIVE and bool(plan.updates)
    if sent:
        skus = [
            SkuStock(
                id=s.tiktok_sku_id, inventory=_inventory(warehouses, product, s.tiktok_sku_id, q)
            )
            for s in plan.updates
            if (q := s.quantity) is not None
        ]
        result = await tiktok.products.update_inventory(pid, skus)
        if result.errors:
            raise StockRefused(result.errors[0].code, result.errors[0].message)
    if plan.activation is Activation.DEACTIVATE:
        await _status_call(tiktok.products.deactivate, pid)
        metrics.POLICY.labels("deactivate").inc()
        status = DEACTIVATED
    return status, sent


def _inventory(
    warehouses: Warehouses, product: ProductRow, sku_id: str, quantity: int
) -> list[WarehouseStock]:
    """Every warehouse of the SKU (TikTok requires them all): the region's one gets the
    quantity, any other keeps what TikTok holds there."""
    known = warehouses.setdefault(sku_id, {})
    target = product.warehouse_id if product.warehouse_id in known else next(iter(known), None)
    if target is None:
        target = product.warehouse_id or ""
    known[target] = quantity
    return [WarehouseStock(warehouse_id=w or None, quantity=q) for w, q in known.items()]


async def _status_call(call: Any, product_id: str) -> None:
    result = await call([product_id])
    if result.errors:
        raise StockRefused(result.errors[0].code, result.errors[0].message)


def _code_of(exc: BaseException) -> int | None:
    if isinstance(exc, ApiError | StockRefused):
        return exc.code
    return None


async def push_failed(runtime: Any, conn: Connection, item: WorkItem, exc: BaseException) -> None:
    """Record why on the product, count it, and re-read TikTok's view before the retry; after
    `GIVE_UP_AFTER` tries the product's stock tasks count it failed, with that reason (the
    push goes on retrying)."""
    key = ProductKey.of_work_key(item.key)
    code = _code_of(exc)
    reason = (
        shopify_unreadable(str(exc))
        if isinstance(exc, ShopifyError)
        else reason_for(code, str(exc))
    )
    await store.forget_tiktok_view(conn, key)
    await store.record_reason(conn, key, str(code or type(exc).__name__), reason)
    if item.attempts >= GIVE_UP_AFTER:
        await finish_product(conn, runtime.deps.settings, key, ("failed", reason))
    metrics.FAILURES.labels(str(code or type(exc).__name__)).inc()
    log.warning(
        "inventory.push_retrying",
        connection_id=key.connection_id,
        tiktok_shop_id=key.tiktok_shop_id,
        shopify_product_id=key.shopify_product_id,
        attempts=item.attempts,
        error=describe(exc)[:300],
    )
