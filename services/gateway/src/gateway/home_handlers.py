"""The Home dashboard's subscribers: each outcome event merges into its order's facts, and
the per-day sums move by the difference (the work of one order is serialised by its row)."""

import structlog
from connector_contracts import (
    Envelope,
    OrderCancelled,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    ShopifyCustomerRedactRequested,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects

from gateway import home_store
from gateway.core.home_facts import (
    ERASED,
    OrderFacts,
    cancelled_facts,
    failed_facts,
    merge,
    relayed_facts,
    shipped_facts,
)
from gateway.core.home_tally import moves
from gateway.metrics import HOME_UPDATES
from gateway.store import forget_connection

log = structlog.get_logger()


async def record(
    conn: Connection, connection_id: str, order_id: str, incoming: OrderFacts, event: str
) -> None:
    """Merge `incoming` into the order's facts and move the sums it changes."""
    old = await home_store.load_facts(conn, connection_id, order_id)
    new = merge(old, incoming)
    changes = moves(old, new)
    if new != old:
        await home_store.save_facts(conn, connection_id, order_id, new)
    for region, change in changes:
        await home_store.add(conn, connection_id, region, change)
    outcome = "moved" if changes else "unplaced" if new.region is None else "unchanged"
    HOME_UPDATES.labels(event, outcome).inc()
    log.debug("home.updated", tiktok_order_id=order_id, cause=event, outcome=outcome)


def track_home(router: EventRouter) -> EventRouter:
    """Add the dashboard's subscriptions to the gateway's router."""

    @router.on(OrderRelayed)
    async def on_order_relayed(envelope: Envelope[OrderRelayed], fx: Effects) -> None:
        """Sold: revenue, products and buyer of the paid day."""
        facts = relayed_facts(envelope.payload, envelope.occurred_at)
        await _record(fx, envelope, facts)

    @router.on(OrderRelayFailed)
    async def on_order_relay_failed(envelope: Envelope[OrderRelayFailed], fx: Effects) -> None:
        """Unsynced, until it is relayed."""
        await _record(fx, envelope, failed_facts(envelope.payload, envelope.occurred_at))

    @router.on(OrderShipped)
    async def on_order_shipped(envelope: Envelope[OrderShipped], fx: Effects) -> None:
        """Fulfilled once every line shipped."""
        await _record(fx, envelope, shipped_facts(envelope.payload))

    @router.on(OrderCancelled)
    async def on_order_cancelled(envelope: Envelope[OrderCancelled], fx: Effects) -> None:
        """Cancelled: out of revenue, products and customers."""
        await _record(fx, envelope, cancelled_facts(envelope.payload))

    @router.on(ShopifyCustomerRedactRequested)
    async def on_customer_redact_requested(
        envelope: Envelope[ShopifyCustomerRedactRequested], fx: Effects
    ) -> None:
        """Erase the buyer of those orders from every order of theirs (ADR 0016, 0910)."""
        r = envelope.payload
        found = await home_store.orders_of_redacted(
            fx.conn, r.shopify_shop_domain, r.shopify_order_ids
        )
        for connection_id, order_id in found:
            await record(fx.conn, connection_id, order_id, ERASED, "redact")
        log.info("home.customer_redacted", shop=r.shopify_shop_domain, orders=len(found))

    return router


async def _record(
    fx: Effects,
    envelope: Envelope[OrderRelayed]
    | Envelope[OrderRelayFailed]
    | Envelope[OrderShipped]
    | Envelope[OrderCancelled],
    facts: OrderFacts,
) -> None:
    p = envelope.payload
    await record(fx.conn, envelope.connection_id, p.tiktok_order_id, facts, p.TYPE)


async def forget(conn: Connection, connection_id: str) -> None:
    """shop/redact: the gateway's own rows, then the dashboard's."""
    await forget_connection(conn, connection_id)
    await home_store.forget(conn, connection_id)
