"""order-relay's after-sale subscribers: fulfilments, cancellations, refunds, returns, packages."""

from connector_connections import load_connection
from connector_contracts import (
    Envelope,
    OrderCancellationChanged,
    OrderPackagesChanged,
    OrderReturnChanged,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from order_relay import aftersale, invoice_store, store
from order_relay.core.decisions import RETURN_DONE, should_restock_return
from order_relay.loop_returns import loop_refunded
from order_relay.platforms import Deps
from order_relay.store import RelayedOrder

# Changes whose webhook lists every current package of its orders.
INVOICED_CHANGES = frozenset({"SPLIT", "COMBINE"})


def subscribe(events: EventRouter, deps: Deps) -> None:
    """Add the after-sale subscribers to the service's router."""

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
        """Note a Shopify refund on the order; a Loop return's is refunded on TikTok too."""
        order = await refund_noted(envelope.payload, fx)
        if order is not None:
            await loop_refunded(fx, deps, order, envelope.payload)

    events.on(OrderCancellationChanged)(on_cancellation_changed)

    @events.on(OrderReturnChanged)
    async def on_return_changed(envelope: Envelope[OrderReturnChanged], fx: Effects) -> None:
        """Restock Shopify once a TikTok return completes (when 'Restock Returned Order' is on)."""
        r = envelope.payload
        if r.return_status in RETURN_DONE:
            goods_back = should_restock_return(r.return_type, r.return_status, enabled=True)
            await aftersale.returned(fx, deps, r.tiktok_order_id, r.return_id, goods_back)

    events.on(OrderPackagesChanged)(on_packages_changed)


async def refund_noted(refund: ShopifyRefundCreated, fx: Effects) -> RelayedOrder | None:
    """Note a Shopify refund on the order's history; the order, when it is ours."""
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
    return order


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


async def on_packages_changed(envelope: Envelope[OrderPackagesChanged], fx: Effects) -> None:
    """Note TikTok package splits/combinations (shipping re-reads packages anyway); a Brazil
    order's invoices follow its packages (one per package, per order of a combined one)."""
    change = envelope.payload
    packages_of: dict[str, list[str]] = {}
    for package in change.packages:
        for order_id in package.tiktok_order_ids:
            packages_of.setdefault(order_id, []).append(package.package_id)
    if change.change in INVOICED_CHANGES:
        for order_id, package_ids in packages_of.items():
            replaced = await invoice_store.replace_packages(fx.conn, order_id, package_ids)
            if replaced is not None:
                shop_id, added = replaced
                connection = await load_connection(fx.conn, envelope.connection_id)
                await invoice_store.emit_needed(fx, connection, order_id, shop_id, added)
    for package in change.packages:
        for order_id in package.tiktok_order_ids:
            if await store.relayed_order(fx.conn, tiktok_order_id=order_id) is not None:
                await store.add_history(
                    fx.conn,
                    order_id,
                    "packages",
                    f"TikTok {change.change}: package {package.package_id}.",
                )
