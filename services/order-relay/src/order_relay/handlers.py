"""order-relay subscribers: load, decide, store, emit (the work itself is in relay/aftersale)."""

from datetime import datetime, timedelta
from uuid import UUID

from connector_connections import track_connections
from connector_contracts import (
    Envelope,
    OrderCancellationChanged,
    OrderPackagesChanged,
    OrderPaid,
    OrderReturnChanged,
    OrderStatus,
    OrderStatusChanged,
    ProductPushed,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from order_relay import aftersale, config_store, store
from order_relay.core.decisions import (
    RETURN_DONE,
    StatusEffect,
    should_restock_return,
    status_effect,
)
from order_relay.core.intake import TrackedOrder, decide_intake
from order_relay.platforms import Deps
from order_relay.privacy import track_customer_privacy


def build_events(deps: Deps) -> EventRouter:
    """The service's subscriptions."""
    events = track_customer_privacy(track_connections(EventRouter()))
    stale_after = timedelta(seconds=deps.settings.order_stuck_after_seconds)

    @events.on(OrderStatusChanged)
    async def on_order_status_changed(envelope: Envelope[OrderStatusChanged], fx: Effects) -> None:
        """Track a TikTok order's status: queue the relay once paid; release or cancel."""
        change, cid = envelope.payload, envelope.connection_id
        current = await store.load_order_for_update(fx.conn, change.tiktok_order_id)
        settings = await config_store.load_settings(
            fx.conn, cid, deps.settings.default_order_settings()
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
        paid = await _emit_paid(fx, decision.order, change.source) if decision.emit_paid else None
        await store.save_order(fx.conn, decision.order, paid, change.source if paid else None)
        if paid is not None:
            await _queue_relay(fx, change.tiktok_order_id, cid, deps.now())
        if decision.order.tiktok_updated_at != change.updated_at:
            return  # a stale change: nothing else to do
        effect = status_effect(current or decision.order, change.status)
        if effect is StatusEffect.RELEASE_HOLD:
            order = await store.relayed_order(fx.conn, tiktok_order_id=change.tiktok_order_id)
            if order is not None:
                await aftersale.release_hold(fx, deps, order)
        elif change.status is OrderStatus.CANCELLED and decision.order.paid:
            await aftersale.tiktok_cancelled(fx, deps, change.tiktok_order_id, cid)

    @events.on(ProductPushed)
    async def on_product_pushed(envelope: Envelope[ProductPushed], fx: Effects) -> None:
        """Keep the Shopify variant <-> TikTok SKU links orders are translated with."""
        await config_store.upsert_links(fx.conn, envelope.connection_id, envelope.payload.skus)

    @events.on(ShopifyFulfillmentCreated)
    async def on_shopify_fulfillment(
        envelope: Envelope[ShopifyFulfillmentCreated], fx: Effects
    ) -> None:
        """Ship the TikTok packages of a Shopify fulfilment, with its tracking."""
        await aftersale.ship(fx, deps, envelope.payload)

    @events.on(ShopifyOrderCancelled)
    async def on_shopify_order_cancelled(
        envelope: Envelope[ShopifyOrderCancelled], fx: Effects
    ) -> None:
        """Cancel the TikTok order of an order the merchant cancelled in Shopify."""
        cancelled = envelope.payload
        await aftersale.shopify_cancelled(
            fx, deps, cancelled.shopify_shop_domain, cancelled.shopify_order_id
        )

    @events.on(ShopifyRefundCreated)
    async def on_shopify_refund(envelope: Envelope[ShopifyRefundCreated], fx: Effects) -> None:
        """Note a Shopify refund on the order's history."""
        refund = envelope.payload
        order = await store.relayed_order(
            fx.conn, shopify=(refund.shopify_shop_domain, refund.shopify_order_id)
        )
        if order is not None:
            await store.add_history(
                fx.conn,
                order.tiktok_order_id,
                "refund",
                f"Refund {refund.refund_id} created in Shopify ({refund.restocked_quantity} restocked).",
            )

    @events.on(OrderCancellationChanged)
    async def on_cancellation_changed(
        envelope: Envelope[OrderCancellationChanged], fx: Effects
    ) -> None:
        """Record a TikTok cancellation request on the order (the order status does the rest)."""
        c = envelope.payload
        if await store.relayed_order(fx.conn, tiktok_order_id=c.tiktok_order_id) is not None:
            await store.add_history(
                fx.conn,
                c.tiktok_order_id,
                "cancellation",
                f"TikTok cancellation {c.cancel_id} by {c.role or 'TikTok'}: {c.cancel_status}.",
            )

    @events.on(OrderReturnChanged)
    async def on_return_changed(envelope: Envelope[OrderReturnChanged], fx: Effects) -> None:
        """Restock Shopify once a TikTok return completes (when 'Restock Returned Order' is on)."""
        r = envelope.payload
        if r.return_status in RETURN_DONE:
            goods_back = should_restock_return(r.return_type, r.return_status, enabled=True)
            await aftersale.returned(fx, deps, r.tiktok_order_id, r.return_id, goods_back)

    @events.on(OrderPackagesChanged)
    async def on_packages_changed(envelope: Envelope[OrderPackagesChanged], fx: Effects) -> None:
        """Note TikTok package splits/combinations (shipping re-reads packages anyway)."""
        change = envelope.payload
        for package in change.packages:
            for order_id in package.tiktok_order_ids:
                if await store.relayed_order(fx.conn, tiktok_order_id=order_id) is not None:
                    await store.add_history(
                        fx.conn,
                        order_id,
                        "packages",
                        f"TikTok {change.change}: package {package.package_id}.",
                    )

    return events


async def _queue_relay(
    fx: Effects, tiktok_order_id: str, connection_id: str, now: datetime
) -> None:
    """Queue the paid order for the relay workers (durable job, due now), in this transaction.

    The platform calls run in the workers, several at a time, so one slow order does not
    hold up the partition; `order.paid` is emitted alongside for the other services.
    """
    attempt = await store.relay_attempts(fx.conn, tiktok_order_id) + 1
    await store.schedule_retry(fx.conn, tiktok_order_id, connection_id, now, attempt)


async def _emit_paid(fx: Effects, order: TrackedOrder, source: str) -> UUID:
    envelope = await fx.emit(
        OrderPaid(
            tiktok_order_id=order.tiktok_order_id,
            tiktok_shop_id=order.tiktok_shop_id,
            status=order.status,
            is_on_hold_order=order.is_on_hold_order,
            paid_at=order.tiktok_updated_at,
            source=source,
        )
    )
    return envelope.event_id
