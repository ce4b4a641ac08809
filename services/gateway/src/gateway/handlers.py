"""gateway subscribers: keep the read models the merchant API serves."""

from connector_connections import track_connections
from connector_contracts import Envelope, OrderPaid, OrderStatusChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from gateway.store import apply_order_paid, apply_order_status


def build_events() -> EventRouter:
    """The gateway's subscriptions."""
    events = track_connections(EventRouter())

    @events.on(OrderStatusChanged)
    async def on_order_status_changed(envelope: Envelope[OrderStatusChanged], fx: Effects) -> None:
        """Show the order's latest TikTok status."""
        p = envelope.payload
        await apply_order_status(
            fx.conn, p.tiktok_order_id, envelope.connection_id, p.status.value, p.updated_at
        )

    @events.on(OrderPaid)
    async def on_order_paid(envelope: Envelope[OrderPaid], fx: Effects) -> None:
        """Show the order as paid (queued for Shopify)."""
        p = envelope.payload
        await apply_order_paid(
            fx.conn, p.tiktok_order_id, envelope.connection_id, p.status.value, p.paid_at
        )

    return events
