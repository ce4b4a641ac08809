"""order-relay subscribers: load, decide, store, emit (the work itself is in relay/aftersale)."""

from datetime import timedelta
from uuid import UUID

from connector_connections import track_connections, track_inventory_locations
from connector_contracts import (
    Envelope,
    OrderPaid,
    OrderStatus,
    OrderStatusChanged,
    ProductPushed,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from order_relay import (
    address_updates,
    aftersale,
    aftersale_handlers,
    config_store,
    invoices,
    privacy_store,
    store,
)
from order_relay.core.decisions import StatusEffect, status_effect
from order_relay.core.intake import TrackedOrder, decide_intake
from order_relay.platforms import Deps
from order_relay.privacy import track_customer_privacy


def build_events(deps: Deps) -> EventRouter:
    """The service's subscriptions."""
    events = track_inventory_locations(
        track_customer_privacy(track_connections(EventRouter(), privacy_store.purge_connection))
    )
    stale_after = timedelta(seconds=deps.settings.order_stuck_after_seconds)

    @events.on(OrderStatusChanged)
    async def on_order_status_changed(envelope: Envelope[OrderStatusChanged], fx: Effects) -> None:
        """Track a TikTok order's status: queue the relay once paid; release or cancel."""
        change, cid = envelope.payload, envelope.connection_id
        current = await store.load_order_for_update(fx.conn, change.tiktok_order_id)
        settings = await config_store.load_settings(
            fx.conn, cid, deps.settings.default_order_settings(), change.tiktok_shop_id
        )
        decision = decide_intake(
            current,
            change,
            cid,
            relay_on_hold=settings.sync_on_hold_orders,
            now=deps.now(),
            stale_after=stale_after,
            relay_queued=change.source != "webhook"
            and await store.has_relay_job(fx.conn, change.tiktok_order_id),
        )
        paid = await _emit_paid(fx, decision.order, change) if decision.emit_paid else None
        await store.save_order(fx.conn, decision.order, paid, change.source if paid else None)
        if paid is not None:
            # The relay job, due now, in this transaction: the platform calls run in the
            # workers, several at a time, so one slow order does not hold up the partition.
            attempt = (current.relay_attempts if current else 0) + 1
            await store.schedule_retry(fx.conn, change.tiktok_order_id, cid, deps.now(), attempt)
        if decision.order.tiktok_updated_at != change.updated_at:
            return  # a stale change: nothing else to do
        await _follow_status(fx, deps, envelope, current or decision.order, decision.order.paid)

    events.on(ProductPushed)(on_product_pushed)
    aftersale_handlers.subscribe(events, deps)
    address_updates.subscribe(events, deps)
    invoices.subscribe(events, deps)
    return events


async def _follow_status(
    fx: Effects, deps: Deps, envelope: Envelope[OrderStatusChanged], known: TrackedOrder, paid: bool
) -> None:
    """Release the Shopify fulfilment hold, or cancel in Shopify, as a fresh status asks."""
    change, cid = envelope.payload, envelope.connection_id
    effect = status_effect(known, change.status)
    if effect is StatusEffect.RELEASE_HOLD:
        order = await store.relayed_order(fx.conn, tiktok_order_id=change.tiktok_order_id)
        if order is not None:
            await aftersale.release_hold(fx, deps, order)
    elif change.status is OrderStatus.CANCELLED and paid:
        await aftersale.tiktok_cancelled(fx, deps, change.tiktok_order_id, cid)


async def on_product_pushed(envelope: Envelope[ProductPushed], fx: Effects) -> None:
    """Keep the Shopify variant <-> TikTok SKU links orders are translated with."""
    await config_store.upsert_links(fx.conn, envelope.connection_id, envelope.payload.skus)


async def _emit_paid(fx: Effects, order: TrackedOrder, change: OrderStatusChanged) -> UUID:
    envelope = await fx.emit(
        OrderPaid(
            tiktok_order_id=order.tiktok_order_id,
            tiktok_shop_id=order.tiktok_shop_id,
            region=change.region,
            status=order.status,
            is_on_hold_order=order.is_on_hold_order,
            paid_at=order.tiktok_updated_at,
            source=change.source,
        )
    )
    return envelope.event_id
