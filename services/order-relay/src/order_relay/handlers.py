"""order-relay subscribers: load, decide, store, emit."""

from connector_contracts import Envelope, OrderPaid, OrderStatusChanged
from connector_runtime.connections import track_connections
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from order_relay.core.intake import decide_intake
from order_relay.settings import OrderRelaySettings
from order_relay.store import load_order_for_update, save_order


def build_events(settings: OrderRelaySettings) -> EventRouter:
    """The service's subscriptions."""
    events = track_connections(EventRouter())

    @events.on(OrderStatusChanged)
    async def on_order_status_changed(envelope: Envelope[OrderStatusChanged], fx: Effects) -> None:
        """Track a TikTok order's status; emit `order.paid` the first time it is paid."""
        change = envelope.payload
        current = await load_order_for_update(fx.conn, change.tiktok_order_id)
        decision = decide_intake(
            current, change, envelope.connection_id, relay_on_hold=settings.relay_on_hold_orders
        )
        paid_event = None
        if decision.became_paid:
            order = decision.order
            paid_event = await fx.emit(
                OrderPaid(
                    tiktok_order_id=order.tiktok_order_id,
                    tiktok_shop_id=order.tiktok_shop_id,
                    status=order.status,
                    is_on_hold_order=order.is_on_hold_order,
                    paid_at=order.tiktok_updated_at,
                )
            )
        await save_order(fx.conn, decision.order, paid_event.event_id if paid_event else None)

    return events
