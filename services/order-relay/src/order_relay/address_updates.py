"""A buyer corrects the recipient address on TikTok (webhook 3): the relayed Shopify order follows
before fulfilment; after it, the merchant is told on the order (core/address_change.py)."""

from datetime import UTC, datetime

import structlog
from connector_connections import PlatformClients
from connector_contracts import Envelope, OrderAddressChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects
from shopify.errors import ShopifyUserError
from shopify.inputs import AddressInput

from order_relay import metrics, store
from order_relay.aftersale import context_of
from order_relay.core.address_change import AddressEffect, address_effect, notice, one_line
from order_relay.core.intake import RelayState
from order_relay.core.translate import address_of
from order_relay.platforms import Deps
from order_relay.store import RelayedOrder

log = structlog.get_logger()

UPDATES = frozenset({AddressEffect.UPDATE, AddressEffect.UPDATE_AND_NOTIFY})


def subscribe(events: EventRouter, deps: Deps) -> None:
    """Add the address-change subscriber to the service's router."""

    @events.on(OrderAddressChanged)
    async def on_address_changed(envelope: Envelope[OrderAddressChanged], fx: Effects) -> None:
        """Apply a TikTok address change to the Shopify order, or tell the merchant why not."""
        await address_changed(fx, deps, envelope.payload.tiktok_order_id)


async def address_changed(fx: Effects, deps: Deps, tiktok_order_id: str) -> None:
    """Read the new address from TikTok and apply it to the relayed Shopify order."""
    order = await store.relayed_order(fx.conn, tiktok_order_id=tiktok_order_id)
    if order is None or order.shopify_order_id is None or order.cancelled:
        # Not in Shopify (yet): the relay reads the address from TikTok when it creates it.
        _count(tiktok_order_id, "not_relayed")
        return
    if order.relay_state is not RelayState.RELAYED:
        _count(tiktok_order_id, "not_relayed")
        return
    _, settings, clients = await context_of(fx, deps, order)
    [tiktok_order] = await clients.tiktok.orders.get([tiktok_order_id])
    address = address_of(tiktok_order)
    shopify_order = await clients.shopify.orders.get(order.shopify_order_id)
    if address is None or shopify_order is None:
        _count(tiktok_order_id, "not_relayed")
        return
    effect = address_effect(shopify_order.display_fulfillment_status)
    if effect in UPDATES and not await _update(fx, clients, order, address):
        return
    await _record(fx, order, effect, address, settings.billing_same_as_shipping)


async def _update(
    fx: Effects, clients: PlatformClients, order: RelayedOrder, address: AddressInput
) -> bool:
    """Change the Shopify shipping address; a refusal is said on the order (False)."""
    assert order.shopify_order_id is not None
    try:
        await clients.shopify.orders.update_shipping_address(order.shopify_order_id, address)
    except ShopifyUserError as exc:
        message = f"Shopify refused the new shipping address from TikTok Shop: {exc}"
        await store.add_history(fx.conn, order.tiktok_order_id, "address", message)
        await store.set_order_fields(
            fx.conn,
            order.tiktok_order_id,
            address_notice=message,
            address_changed_at=datetime.now(UTC),
        )
        _count(order.tiktok_order_id, "refused", reason=str(exc)[:300])
        return False
    return True


async def _record(
    fx: Effects,
    order: RelayedOrder,
    effect: AddressEffect,
    address: AddressInput,
    billing_same_as_shipping: bool,
) -> None:
    text = one_line(
        [address.address1, address.address2, address.city, address.zip, address.country_code]
    )
    billing_kept = billing_same_as_shipping and effect in UPDATES
    said = notice(effect, text, billing_kept)
    history = (
        f"Shipping address updated from TikTok Shop: {text}."
        if effect in UPDATES
        else f"Address changed on TikTok Shop after fulfilment (not applied): {text}."
    )
    await store.add_history(fx.conn, order.tiktok_order_id, "address", history)
    if said is not None:
        await store.set_order_fields(
            fx.conn,
            order.tiktok_order_id,
            address_notice=said,
            address_changed_at=datetime.now(UTC),
        )
    _count(order.tiktok_order_id, effect.value)


def _count(tiktok_order_id: str, outcome: str, **extra: str) -> None:
    metrics.ADDRESS_CHANGES.labels(outcome).inc()
    level = log.warning if outcome in {"after_fulfilment", "refused"} else log.info
    level("order.address_changed", tiktok_order_id=tiktok_order_id, outcome=outcome, **extra)
