"""Holds: what TikTok orders not yet in Shopify hold of each SKU (unpaid, on hold, relaying).

TikTok takes a sold unit off its own stock at once; Shopify's figure drops only when the relay
has created the order there. A push in between would put the sold unit back on sale, so the
units an order holds are taken off what the guard sends, from TikTok's first status of the
order until Shopify reports the item again after the relay (or the order is shipped or
cancelled: TikTok and Shopify agree again). The order's lines come from Get Order Detail in an
`order-hold` work item, so the intake never waits for TikTok.
"""

from collections import Counter
from typing import Any

from connector_connections import shop_of
from connector_connections.replica import load_connection
from connector_contracts import Envelope, OrderRelayed, OrderStatus, OrderStatusChanged
from connector_runtime import work
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import WorkItem

from inventory_guard.handlers import queue_push
from inventory_guard.platforms import Deps
from inventory_guard.store import ProductKey

HOLD = "order-hold"
HOLDING = frozenset({OrderStatus.UNPAID, OrderStatus.ON_HOLD, OrderStatus.AWAITING_SHIPMENT})


async def on_order_status_changed(envelope: Envelope[OrderStatusChanged], fx: Effects) -> None:
    """A new order starts holding its units; shipped or cancelled, it holds none any more."""
    c = envelope.payload
    if c.status in HOLDING:
        status = await fx.conn.execute(
            "INSERT INTO hold_orders (tiktok_order_id, connection_id, tiktok_shop_id, state)"
            " VALUES ($1, $2, $3, 'fetching') ON CONFLICT DO NOTHING",
            c.tiktok_order_id,
            envelope.connection_id,
            c.tiktok_shop_id,
        )
        if status != "INSERT 0 0":
            await work.queue(fx.conn, HOLD, c.tiktok_order_id)
        return
    for key in await _release(fx.conn, c.tiktok_order_id):
        await queue_push(fx.conn, key, None, 0.0)


async def on_order_relayed(envelope: Envelope[OrderRelayed], fx: Effects) -> None:
    """The order is in Shopify: its hold ends with the next Shopify figure of each item."""
    await fx.conn.execute(
        "UPDATE hold_orders SET relayed_at = $2 WHERE tiktok_order_id = $1 AND relayed_at IS NULL",
        envelope.payload.tiktok_order_id,
        envelope.occurred_at,
    )


def track_holds(events: EventRouter) -> EventRouter:
    """Add the hold subscribers to the service's router."""
    events.on(OrderStatusChanged)(on_order_status_changed)
    events.on(OrderRelayed)(on_order_relayed)
    return events


async def _release(conn: Connection, order_id: str) -> list[ProductKey]:
    """End an order's holds; the products whose stock they held back."""
    rows = await conn.fetch(
        "SELECT DISTINCT s.connection_id, s.tiktok_shop_id, s.shopify_product_id FROM holds h"
        " JOIN skus s USING (connection_id, tiktok_shop_id, tiktok_sku_id)"
        " WHERE h.tiktok_order_id = $1 ORDER BY 2, 3",
        order_id,
    )
    await conn.execute(
        "UPDATE hold_orders SET state = 'released' WHERE tiktok_order_id = $1", order_id
    )
    await conn.execute("DELETE FROM holds WHERE tiktok_order_id = $1", order_id)
    return [ProductKey(r[0], r[1], r[2]) for r in rows]


async def run_hold(runtime: Any, conn: Connection, item: WorkItem) -> None:
    """Read the order's lines from TikTok and hold their units; raising retries it later."""
    deps: Deps = runtime.deps
    row = await conn.fetchrow(
        "SELECT connection_id, tiktok_shop_id FROM hold_orders WHERE tiktok_order_id = $1"
        " AND state = 'fetching' FOR UPDATE",
        item.key,
    )
    connection = await load_connection(conn, row["connection_id"]) if row else None
    shop = shop_of(connection, row["tiktok_shop_id"]) if connection and row else None
    if connection is None or shop is None:
        return  # released meanwhile, or the region is gone
    order = await deps.platform_clients.for_shop(connection, shop).tiktok.orders.detail(item.key)
    units = Counter(line.sku_id for line in order.line_items) if order else Counter[str]()
    await conn.executemany(
        "INSERT INTO holds (tiktok_order_id, connection_id, tiktok_shop_id, tiktok_sku_id,"
        " quantity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [(item.key, connection.connection_id, shop.shop_id, s, n) for s, n in units.items()],
    )
    await conn.execute(
        "UPDATE hold_orders SET state = 'holding' WHERE tiktok_order_id = $1", item.key
    )
    for key in await _held_products(conn, connection.connection_id, shop.shop_id, list(units)):
        await queue_push(conn, key, None, deps.settings.inventory_coalesce_seconds)


async def _held_products(
    conn: Connection, cid: str, shop_id: str, sku_ids: list[str]
) -> list[ProductKey]:
    rows = await conn.fetch(
        "SELECT DISTINCT shopify_product_id FROM skus WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND tiktok_sku_id = ANY($3::text[]) ORDER BY 1",
        cid,
        shop_id,
        sku_ids,
    )
    return [ProductKey(cid, shop_id, r["shopify_product_id"]) for r in rows]
