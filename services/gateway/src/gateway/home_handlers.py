"""The Home dashboard's subscribers: each outcome event merges into its order's facts, and
the per-day sums move by the difference (the work of one order is serialised by its row)."""

from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from connector_contracts import (
    Envelope,
    OrderCancelled,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    ProductSyncChanged,
    ShopifyCustomerRedactRequested,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects

from gateway import home_product_store, home_store, read_model_lag
from gateway.core.home_facts import (
    ERASED,
    OrderFacts,
    cancelled_facts,
    failed_facts,
    merge,
    relayed_facts,
    shipped_facts,
)
from gateway.core.home_products import (
    ProductState,
    newest_product_state,
    product_moves,
    state_of,
)
from gateway.core.home_tally import Tally, moves
from gateway.metrics import HOME_UPDATES
from gateway.store import forget_connection

log = structlog.get_logger()

READ_MODEL = "home"
OrderOutcome = (
    Envelope[OrderRelayed]
    | Envelope[OrderRelayFailed]
    | Envelope[OrderShipped]
    | Envelope[OrderCancelled]
)


@dataclass(frozen=True)
class OrderEvent:
    """What one event says about an order."""

    connection_id: str
    order_id: str
    facts: OrderFacts
    event: str


async def record(
    conn: Connection, connection_id: str, order_id: str, incoming: OrderFacts, event: str
) -> None:
    """Merge `incoming` into the order's facts and move the sums it changes."""
    await record_orders(conn, [OrderEvent(connection_id, order_id, incoming, event)])


async def record_orders(conn: Connection, events: Sequence[OrderEvent]) -> None:
    """Merge each event into its order's facts and move the sums they change, a statement per
    table for the whole batch: the events of one order merge first (a join: the same result
    as one by one), then the held facts are loaded and locked together."""
    incoming: dict[tuple[str, str], OrderFacts] = {}
    for e in events:
        key = (e.connection_id, e.order_id)
        incoming[key] = merge(incoming[key], e.facts) if key in incoming else e.facts
    held = await home_store.load_facts(conn, list(incoming))
    changed: dict[tuple[str, str], OrderFacts] = {}
    changes: list[tuple[str, str, Tally]] = []
    outcomes: dict[tuple[str, str], str] = {}
    for key, facts in incoming.items():
        old = held[key]
        new = merge(old, facts)
        if new != old:
            changed[key] = new
        moved = moves(old, new)
        changes += [(key[0], region, change) for region, change in moved]
        outcomes[key] = "moved" if moved else "unplaced" if new.region is None else "unchanged"
    await home_store.save_facts(conn, changed)
    await home_store.add(conn, changes)
    for e in events:
        outcome = outcomes[(e.connection_id, e.order_id)]
        HOME_UPDATES.labels(e.event, outcome).inc()
        log.debug("home.updated", tiktok_order_id=e.order_id, cause=e.event, outcome=outcome)


def track_home(router: EventRouter) -> EventRouter:
    """Add the dashboard's subscriptions to the gateway's router."""

    @router.on(OrderRelayed)
    async def on_order_relayed(envelope: Envelope[OrderRelayed], fx: Effects) -> None:
        """Sold: revenue, products and buyer of the paid day."""
        await _record(fx, envelope)

    @router.on(OrderRelayFailed)
    async def on_order_relay_failed(envelope: Envelope[OrderRelayFailed], fx: Effects) -> None:
        """Unsynced, until it is relayed."""
        await _record(fx, envelope)

    @router.on(OrderShipped)
    async def on_order_shipped(envelope: Envelope[OrderShipped], fx: Effects) -> None:
        """Fulfilled once every line shipped."""
        await _record(fx, envelope)

    @router.on(OrderCancelled)
    async def on_order_cancelled(envelope: Envelope[OrderCancelled], fx: Effects) -> None:
        """Cancelled: out of revenue, products and customers."""
        await _record(fx, envelope)

    @router.on(ShopifyCustomerRedactRequested)
    async def on_customer_redact_requested(
        envelope: Envelope[ShopifyCustomerRedactRequested], fx: Effects
    ) -> None:
        """Erase the buyer of those orders from every order of theirs (ADR 0016, 0910)."""
        r = envelope.payload
        found = await home_store.orders_of_redacted(
            fx.conn, r.shopify_shop_domain, r.shopify_order_ids
        )
        erase = [OrderEvent(cid, order_id, ERASED, "redact") for cid, order_id in found]
        await record_orders(fx.conn, erase)
        log.info("home.customer_redacted", shop=r.shopify_shop_domain, orders=len(found))
        read_model_lag.applied(READ_MODEL, envelope.occurred_at)

    @router.on(ProductSyncChanged)
    async def on_product_sync_changed(envelope: Envelope[ProductSyncChanged], fx: Effects) -> None:
        """Products per sync status: the newest revision's state replaces the held one."""
        await record_product(fx.conn, envelope)

    return router


async def record_product(conn: Connection, envelope: Envelope[ProductSyncChanged]) -> None:
    """Keep the product's newest state and move the counts by the difference."""
    await record_products(conn, [envelope])


async def record_products(
    conn: Connection, envelopes: Sequence[Envelope[ProductSyncChanged]]
) -> None:
    """Keep each product's newest state and move the counts by the difference, for a batch:
    the newest of the batch's states per product first, then the held ones, loaded together."""
    incoming: dict[tuple[str, str], ProductState] = {}
    for e in envelopes:
        key = (e.connection_id, e.payload.shopify_product_id)
        state = state_of(e.payload)
        incoming[key] = newest_product_state(incoming[key], state) if key in incoming else state
    held = await home_product_store.load_states(conn, list(incoming))
    newer = {k: s for k, s in incoming.items() if newest_product_state(held[k], s) is s}
    await home_product_store.save_states(conn, newer)
    await home_product_store.add(
        conn, [(k[0], product_moves(held[k], s)) for k, s in newer.items()]
    )
    for e in envelopes:
        key = (e.connection_id, e.payload.shopify_product_id)
        if newer.get(key) is None or newer[key].revision != e.payload.revision:
            read_model_lag.stale(READ_MODEL)
            log.info("home.product_stale", product_id=key[1], revision=e.payload.revision)
        else:
            read_model_lag.applied(READ_MODEL, e.occurred_at)


def order_event(envelope: OrderOutcome) -> OrderEvent:
    """What an order outcome event says about its order."""
    p, at = envelope.payload, envelope.occurred_at
    if isinstance(p, OrderRelayed):
        facts = relayed_facts(p, at)
    elif isinstance(p, OrderRelayFailed):
        facts = failed_facts(p, at)
    elif isinstance(p, OrderShipped):
        facts = shipped_facts(p)
    else:
        facts = cancelled_facts(p)
    return OrderEvent(envelope.connection_id, p.tiktok_order_id, facts, p.TYPE)


async def _record(fx: Effects, envelope: OrderOutcome) -> None:
    await record_orders(fx.conn, [order_event(envelope)])
    read_model_lag.applied(READ_MODEL, envelope.occurred_at)


async def forget(conn: Connection, connection_id: str) -> None:
    """shop/redact: the gateway's own rows, then the dashboard's."""
    await forget_connection(conn, connection_id)
    await home_store.forget(conn, connection_id)


async def purge_connection(conn: Connection, connection_id: str) -> None:
    """A removed connection (ADR 0841): what shop/redact erases, and its tasks in the task
    list and its waiting notifications (the record of mails sent stays, so a late event of
    the connection mails nothing again)."""
    await forget(conn, connection_id)
    for table in ("task_list", "notification_digest_entries", "notification_invoice_entries"):
        await conn.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)
