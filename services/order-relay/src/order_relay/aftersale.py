"""After an order is in Shopify: grace-period release, cancellations both ways, shipping, returns."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from connector_connections import (
    Connection,
    PlatformClients,
    inventory_locations,
    load_connection,
    region_of,
)
from connector_contracts import (
    OrderCancelled,
    OrderOversold,
    OrderReturned,
    OrderShipped,
    OversoldProduct,
    ShopifyFulfillmentCreated,
)
from connector_runtime.outbox import Effects
from shopify.errors import ShopifyUserError
from shopify.inputs import RefundLineInput
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.fulfillment import MarkShipped, SelfShipment, ShipPackage
from tiktok_shop.models.orders import Order

from order_relay import aftersale_store, config_store, invoice_store, metrics, store
from order_relay.core.decisions import (
    ShipmentPlan,
    TrackingChange,
    cancel_reason_for_shopify,
    is_oversold,
    lines_for_fulfilment,
    plan_shipment,
    provider_for,
    tracking_change,
)
from order_relay.core.intake import RelayState
from order_relay.core.invoices import hold_reason
from order_relay.core.settings import OrderSettings
from order_relay.platforms import Deps
from order_relay.relay import ConnectionUnavailable, release_fulfilment
from order_relay.store import RelayedOrder

log = structlog.get_logger()

# TikTok business codes meaning "already done" (reference A6 and the sandbox).
ALREADY_SHIPPED = 11006021
ALREADY_FINAL = 25001051
NOT_CANCELLABLE_SHIPPED = 25001045


async def _context(
    fx: Effects, deps: Deps, order: RelayedOrder
) -> tuple[Connection, OrderSettings, PlatformClients]:
    """The order's connection, its region's settings and clients calling its TikTok shop."""
    connection = await load_connection(fx.conn, order.connection_id)
    if connection is None:
        raise ConnectionUnavailable(f"connection {order.connection_id} is not known yet")
    settings = await config_store.load_settings(
        fx.conn, order.connection_id, deps.settings.default_order_settings(), order.tiktok_shop_id
    )
    return connection, settings, await deps.clients(connection, order.tiktok_shop_id)


context_of = _context  # the after-sale context, shared with address updates


async def release_hold(fx: Effects, deps: Deps, order: RelayedOrder) -> None:
    """TikTok's grace period ended: release the Shopify fulfilment hold."""
    _, _, clients = await _context(fx, deps, order)
    assert order.shopify_order_id is not None
    await release_fulfilment(clients.shopify, order.shopify_order_id)
    await store.set_order_fields(fx.conn, order.tiktok_order_id, held=False)
    await store.add_history(
        fx.conn,
        order.tiktok_order_id,
        "released",
        "Grace period over: fulfilment released in Shopify.",
    )


async def tiktok_cancelled(
    fx: Effects, deps: Deps, tiktok_order_id: str, connection_id: str
) -> None:
    """TikTok cancelled an order: cancel it in Shopify if it is there; flag oversold products."""
    order = await store.relayed_order(fx.conn, tiktok_order_id=tiktok_order_id)
    if order is None or order.cancelled:
        return
    connection, settings, clients = await _context(fx, deps, order)
    [tiktok_order] = await clients.tiktok.orders.get([tiktok_order_id])
    initiator = tiktok_order.cancellation_initiator or "SYSTEM"
    restocked = archived = False
    if order.shopify_order_id and order.relay_state is RelayState.RELAYED:
        restocked, archived = await _cancel_in_shopify(fx, clients, order, settings, tiktok_order)
    await store.set_order_fields(
        fx.conn,
        tiktok_order_id,
        relay_state=RelayState.CANCELLED,
        cancelled_at=datetime.now(UTC),
        cancel_initiator=initiator,
    )
    await store.cancel_retry(fx.conn, tiktok_order_id)
    await fx.emit(
        OrderCancelled(
            tiktok_order_id=tiktok_order_id,
            shopify_order_id=order.shopify_order_id,
            initiator=initiator,
            restocked=restocked,
            archived=archived,
            cancelled_at=datetime.now(UTC),
            region=region_of(connection, order.tiktok_shop_id),
        ),
        connection_id=connection_id,
    )
    if is_oversold(initiator, tiktok_order.cancel_reason):
        await _raise_oversold(fx, connection_id, tiktok_order)


async def _cancel_in_shopify(
    fx: Effects,
    clients: PlatformClients,
    order: RelayedOrder,
    settings: OrderSettings,
    tiktok_order: Order,
) -> tuple[bool, bool]:
    assert order.shopify_order_id is not None
    initiator, reason = tiktok_order.cancellation_initiator, tiktok_order.cancel_reason
    try:
        await clients.shopify.orders.cancel(
            order.shopify_order_id,
            reason=cancel_reason_for_shopify(initiator, reason),  # type: ignore[arg-type]
            restock=settings.restock_cancelled,
            staff_note=f"Cancelled in TikTok Shop by {initiator or 'TikTok'}: {reason}"[:255],
        )
    except ShopifyUserError as exc:
        if not any("already been cancelled" in r for r in exc.reasons):
            message = "Could not cancel in Shopify: " + "; ".join(exc.reasons)
            await store.add_history(fx.conn, order.tiktok_order_id, "cancel_failed", message)
            log.warning("order.cancel_failed", tiktok_order_id=order.tiktok_order_id, error=message)
            metrics.CANCELLATIONS.labels("to_shopify_failed").inc()
            return False, False
    if settings.auto_archive_cancelled:
        await clients.shopify.orders.close(order.shopify_order_id)
    restock = "restocked" if settings.restock_cancelled else "not restocked"
    archive = ", archived" if settings.auto_archive_cancelled else ""
    await store.add_history(
        fx.conn,
        order.tiktok_order_id,
        "cancelled",
        f"Cancelled in TikTok Shop ({initiator or 'TikTok'}); cancelled in Shopify, {restock}{archive}.",
    )
    metrics.CANCELLATIONS.labels("to_shopify").inc()
    return settings.restock_cancelled, settings.auto_archive_cancelled


async def _raise_oversold(fx: Effects, connection_id: str, order: Order) -> None:
    products = {
        line.sku_id: OversoldProduct(
            tiktok_product_id=line.product_id,
            tiktok_sku_id=line.sku_id,
            seller_sku=line.seller_sku,
            product_name=line.product_name,
        )
        for line in order.line_items
    }
    listed = list(products.values())
    if await aftersale_store.raise_oversold(fx.conn, order.id, connection_id, listed):
        await fx.emit(
            OrderOversold(tiktok_order_id=order.id, products=listed), connection_id=connection_id
        )
        names = ", ".join(p.seller_sku or p.tiktok_sku_id for p in listed)
        await store.add_history(
            fx.conn, order.id, "oversold", f"TikTok cancelled the order: out of stock ({names})."
        )
        metrics.OVERSOLD.inc()
        log.warning("order.oversold", tiktok_order_id=order.id, skus=names)


async def shopify_cancelled(fx: Effects, deps: Deps, shop: str, shopify_order_id: str) -> None:
    """The merchant cancelled in Shopify: cancel the TikTok order (unless TikTok started it)."""
    order = await store.relayed_order(fx.conn, shopify=(shop, shopify_order_id))
    if order is None or order.cancelled or order.relay_state is not RelayState.RELAYED:
        return  # not ours, or the cancel came from TikTok and is already applied
    connection, _, clients = await _context(fx, deps, order)
    try:
        await clients.tiktok.returns.cancel_order(
            order.tiktok_order_id, deps.settings.order_tiktok_cancel_reason
        )
    except BusinessError as exc:
        if exc.code != ALREADY_FINAL:
            message = f"Could not cancel in TikTok Shop: {exc}"
            await store.add_history(fx.conn, order.tiktok_order_id, "cancel_failed", message)
            metrics.CANCELLATIONS.labels("to_tiktok_failed").inc()
            log.warning("order.cancel_failed", tiktok_order_id=order.tiktok_order_id, error=message)
            return
    now = datetime.now(UTC)
    await store.set_order_fields(
        fx.conn,
        order.tiktok_order_id,
        relay_state=RelayState.CANCELLED,
        cancelled_at=now,
        cancel_initiator="shopify",
    )
    await store.add_history(
        fx.conn,
        order.tiktok_order_id,
        "cancelled",
        "Cancelled in Shopify; cancelled in TikTok Shop.",
    )
    await fx.emit(
        OrderCancelled(
            tiktok_order_id=order.tiktok_order_id,
            shopify_order_id=shopify_order_id,
            initiator="shopify",
            cancelled_at=now,
            region=region_of(connection, order.tiktok_shop_id),
        ),
        connection_id=order.connection_id,
    )
    metrics.CANCELLATIONS.labels("to_tiktok").inc()


@dataclass(frozen=True)
class _Fulfilment:
    """A Shopify fulfilment of a relayed order, with its connection's settings and clients."""

    order: RelayedOrder
    event: ShopifyFulfillmentCreated
    settings: OrderSettings
    clients: PlatformClients

    @property
    def tiktok_order_id(self) -> str:
        return self.order.tiktok_order_id


async def _fulfilment(
    fx: Effects, deps: Deps, order: RelayedOrder, event: ShopifyFulfillmentCreated
) -> _Fulfilment:
    _, settings, clients = await _context(fx, deps, order)
    return _Fulfilment(order, event, settings, clients)


async def ship(fx: Effects, deps: Deps, fulfilment: ShopifyFulfillmentCreated) -> None:
    """Ship the TikTok packages of a Shopify fulfilment with its tracking number."""
    order = await store.relayed_order(
        fx.conn, shopify=(fulfilment.shopify_shop_domain, fulfilment.shopify_order_id)
    )
    shipped = (
        await aftersale_store.shipment(fx.conn, order.tiktok_order_id, fulfilment.fulfillment_id)
        if order is not None
        else None
    )
    if order is not None and shipped is not None:
        await _retrack(fx, await _fulfilment(fx, deps, order, fulfilment), shipped)
        return
    if (
        order is None
        or order.relay_state is not RelayState.RELAYED
        or not fulfilment.tracking_numbers
    ):
        metrics.SHIPMENTS.labels("ignored").inc()
        return
    f = await _fulfilment(fx, deps, order, fulfilment)
    provider = provider_for(fulfilment.tracking_company, f.settings.shipping_provider_map)
    if provider is None:
        await _shipment_failed(
            fx,
            order.tiktok_order_id,
            f"No TikTok shipping provider is mapped for the Shopify carrier "
            f"'{fulfilment.tracking_company or '(none)'}'. Add it under Order Settings -> "
            "Map Shopify Shipping Provider to TikTok Shop, then fulfil again.",
        )
        return
    await _ship_lines(fx, f, provider)


async def _retrack(fx: Effects, f: _Fulfilment, shipped: aftersale_store.Shipment) -> None:
    """The merchant edited the tracking of a shipped fulfilment: update the TikTok packages."""
    carrier = f.event.tracking_company
    provider = provider_for(carrier, f.settings.shipping_provider_map)
    if provider is None and carrier:
        await _shipment_failed(
            fx,
            f.tiktok_order_id,
            f"Tracking not updated: no TikTok shipping provider is mapped for the Shopify carrier "
            f"'{carrier}'. Add it under Order Settings -> "
            "Map Shopify Shipping Provider to TikTok Shop, then edit the tracking again.",
        )
        return
    change = tracking_change(
        shipped.package_ids,
        shipped.tracking_number,
        shipped.provider_id,
        f.event.tracking_numbers,
        provider,
    )
    if change is not None:
        await _update_tracking(fx, f, change)


async def _update_tracking(fx: Effects, f: _Fulfilment, change: TrackingChange) -> None:
    shipment = SelfShipment(
        tracking_number=change.tracking_number, shipping_provider_id=change.provider_id
    )
    try:
        for package_id in change.package_ids:
            await f.clients.tiktok.fulfillment.update_package_shipping_info(package_id, shipment)
    except BusinessError as exc:
        await _shipment_failed(
            fx, f.tiktok_order_id, f"TikTok Shop refused the tracking update: {exc}"
        )
        return
    await aftersale_store.update_shipment_tracking(
        fx.conn,
        f.tiktok_order_id,
        f.event.fulfillment_id,
        change.tracking_number,
        change.provider_id,
    )
    await store.add_history(
        fx.conn,
        f.tiktok_order_id,
        "tracking_updated",
        f"Tracking of package(s) {', '.join(change.package_ids)} changed to"
        f" {f.event.tracking_company or 'the shipped carrier'} {change.tracking_number}.",
    )
    metrics.SHIPMENTS.labels("tracking_updated").inc()


async def _ship_lines(fx: Effects, f: _Fulfilment, provider: str) -> None:
    tracking = f.event.tracking_numbers[0]
    already = await aftersale_store.shipped_lines(fx.conn, f.tiktok_order_id)
    fulfilled = {line.shopify_line_item_id: line.quantity for line in f.event.lines}
    line_ids = lines_for_fulfilment(fulfilled, f.order.line_map, already)
    [tiktok_order] = await f.clients.tiktok.orders.get([f.tiktok_order_id])
    unshipped = {
        line.id: line.package_id
        for line in tiktok_order.line_items
        if line.package_id and (line.package_status or "PROCESSING") == "PROCESSING"
    }
    plan = plan_shipment(line_ids, unshipped)
    if await _held_for_invoice(fx, f, plan, unshipped):
        return
    try:
        packages = await _send_shipment(f, plan, tracking, provider)
    except BusinessError as exc:
        await _shipment_failed(fx, f.tiktok_order_id, f"TikTok Shop refused the shipment: {exc}")
        return
    live = [line for line in tiktok_order.line_items if line.display_status != "CANCELLED"]
    shipped = aftersale_store.Shipment(
        f.event.fulfillment_id, f.tiktok_order_id, tuple(line_ids), packages, tracking, provider
    )
    await _record_shipment(fx, f, shipped, complete=len(already) + len(line_ids) >= len(live))


async def _held_for_invoice(
    fx: Effects, f: _Fulfilment, plan: ShipmentPlan, package_of_line: dict[str, str]
) -> bool:
    """Brazil: keep the fulfilment until every package it ships has a verified invoice."""
    partial = {package_of_line[line] for line in plan.partial_line_ids}
    packages = sorted({*plan.whole_packages, *partial})
    reason = hold_reason(await invoice_store.unverified(fx.conn, packages))
    if reason is None:
        return False
    await invoice_store.hold_shipment(fx.conn, f.tiktok_order_id, f.event)
    await store.set_order_fields(fx.conn, f.tiktok_order_id, fulfillment_error=reason)
    await store.add_history(fx.conn, f.tiktok_order_id, "ship_held", reason)
    metrics.SHIPMENTS.labels("held_for_invoice").inc()
    log.warning("order.ship_held_for_invoice", tiktok_order_id=f.tiktok_order_id, reason=reason)
    return True


async def _send_shipment(
    f: _Fulfilment, plan: ShipmentPlan, tracking: str, provider: str
) -> tuple[str, ...]:
    """Ship the plan's whole packages, then split off its partial lines; the package ids."""
    shipment = SelfShipment(tracking_number=tracking, shipping_provider_id=provider)
    packages = list(plan.whole_packages)
    for package_id in plan.whole_packages:
        await _ship_package(f.clients, package_id, shipment)
    if plan.partial_line_ids:
        result = await f.clients.tiktok.fulfillment.mark_shipped(
            f.tiktok_order_id,
            MarkShipped(
                tracking_number=tracking,
                shipping_provider_id=provider,
                order_line_item_ids=list(plan.partial_line_ids),
            ),
        )
        packages.append(result.package_id)
    return tuple(packages)


async def _ship_package(clients: PlatformClients, package_id: str, shipment: SelfShipment) -> None:
    try:
        await clients.tiktok.fulfillment.ship_package(
            package_id, ShipPackage(handover_method="DROP_OFF", self_shipment=shipment)
        )
    except BusinessError as exc:
        if exc.code != ALREADY_SHIPPED:  # shipped by an attempt that died before commit
            raise


async def _record_shipment(
    fx: Effects, f: _Fulfilment, shipped: aftersale_store.Shipment, *, complete: bool
) -> None:
    await aftersale_store.record_shipment(fx.conn, shipped)
    await store.set_order_fields(
        fx.conn,
        f.tiktok_order_id,
        fulfillment_status="fulfilled" if complete else "partial",
        fulfillment_error=None,
    )
    await store.add_history(
        fx.conn,
        f.tiktok_order_id,
        "shipped",
        f"Shipped {len(shipped.line_ids)} item(s) in package(s)"
        f" {', '.join(shipped.package_ids) or '-'} with"
        f" {f.event.tracking_company} {shipped.tracking_number}.",
    )
    await fx.emit(
        OrderShipped(
            tiktok_order_id=f.tiktok_order_id,
            package_ids=list(shipped.package_ids),
            tracking_number=shipped.tracking_number,
            shipping_provider_id=shipped.provider_id,
            complete=complete,
        ),
        connection_id=f.order.connection_id,
    )
    metrics.SHIPMENTS.labels("shipped").inc()


async def _shipment_failed(fx: Effects, tiktok_order_id: str, reason: str) -> None:
    await store.set_order_fields(fx.conn, tiktok_order_id, fulfillment_error=reason)
    await store.add_history(fx.conn, tiktok_order_id, "ship_failed", reason)
    metrics.SHIPMENTS.labels("failed").inc()
    log.warning("order.ship_failed", tiktok_order_id=tiktok_order_id, reason=reason)


async def returned(
    fx: Effects, deps: Deps, tiktok_order_id: str, return_id: str, goods_returned: bool
) -> None:
    """A TikTok return completed: restock the returned units in Shopify (once)."""
    order = await store.relayed_order(fx.conn, tiktok_order_id=tiktok_order_id)
    if (
        order is None
        or order.relay_state is not RelayState.RELAYED
        or order.shopify_order_id is None
    ):
        return
    _, settings, clients = await _context(fx, deps, order)
    restock = settings.restock_returned and goods_returned
    if not await aftersale_store.claim_return(fx.conn, return_id, tiktok_order_id, restock):
        return
    if restock:
        connection = await load_connection(fx.conn, order.connection_id)
        counted = (
            await inventory_locations(fx.conn, connection, order.tiktok_shop_id)
            if connection
            else []
        )
        await _restock(clients, order, next(iter(counted), None), return_id)
    what = "restocked in Shopify" if restock else "not restocked ('Restock Returned Order' is off)"
    await store.add_history(
        fx.conn, tiktok_order_id, "returned", f"Return {return_id} completed; {what}."
    )
    await fx.emit(
        OrderReturned(tiktok_order_id=tiktok_order_id, return_id=return_id, restocked=restock),
        connection_id=order.connection_id,
    )


async def _restock(
    clients: PlatformClients, order: RelayedOrder, location_id: str | None, return_id: str
) -> None:
    assert order.shopify_order_id is not None
    page = await clients.tiktok.returns.search_returns({"order_ids": [order.tiktok_order_id]})
    record = next((r for r in page.items if r.return_id == return_id), None)
    returned_lines = (
        {line.order_line_item_id for line in record.return_line_items} if record else set()
    )
    shopify_line = {t: s for s, ts in order.line_map.items() for t in ts}
    counts = Counter(shopify_line[t] for t in returned_lines if t in shopify_line)
    if not counts:
        return
    lines = [
        RefundLineInput(
            line_item_id=line_id,
            quantity=quantity,
            restock_type="RETURN",
            location_id=location_id,
        )
        for line_id, quantity in counts.items()
    ]
    await clients.shopify.orders.refund(
        order.shopify_order_id,
        lines,
        idempotency_key=f"tiktok-return-{return_id}",
        note=f"TikTok Shop return {return_id}",
    )
