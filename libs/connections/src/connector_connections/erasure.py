"""Erasing a shop's data in every service, 48 hours after the app was uninstalled.

Shopify sends `shop/redact` then (reference B8); each service subscribes with its own
`forget` (its tables) and this module removes the connection replica itself last. Only
disconnected connections are erased: a shop that reinstalled in the meantime keeps its data.
"""

from collections.abc import Awaitable, Callable

import structlog
from connector_contracts import Envelope, ShopifyShopRedactRequested
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import Effects

log = structlog.get_logger()

# Deletes every row one service holds about one connection (in the handler's transaction).
Forget = Callable[[Db, str], Awaitable[None]]


async def _nothing(db: Db, connection_id: str) -> None:
    """A service whose only data about a connection is the replica."""


async def disconnected_connections(db: Db, shopify_shop_domain: str) -> list[str]:
    """Ids of the shop's disconnected connections."""
    rows = await db.fetch(
        "SELECT connection_id FROM connections"
        " WHERE shopify_shop_domain = $1 AND status = 'disconnected'",
        shopify_shop_domain,
    )
    return [r["connection_id"] for r in rows]


def track_shop_redaction(router: EventRouter, forget: Forget = _nothing) -> EventRouter:
    """Add the `shop/redact` handler to a service's router, erasing with `forget`."""

    @router.on(ShopifyShopRedactRequested)
    async def on_shop_redact_requested(
        envelope: Envelope[ShopifyShopRedactRequested], fx: Effects
    ) -> None:
        """Erase the shop's disconnected connections and everything held about them."""
        shop = envelope.payload.shopify_shop_domain
        erased = await disconnected_connections(fx.conn, shop)
        for connection_id in erased:
            await forget(fx.conn, connection_id)
            await fx.conn.execute("DELETE FROM connections WHERE connection_id = $1", connection_id)
        log.info("shop.redacted", shop=shop, connections=erased)

    return router
