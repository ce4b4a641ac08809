"""Creating a paid TikTok order in Shopify exactly once: load, translate, look up, create, link.

Exactly once across crashes: before orderCreate an intent row is committed on a side
connection; any later attempt that finds it looks the order up by `sourceIdentifier` (the
TikTok order id) before creating, so a crash after Shopify answered and before our commit
finds the first order instead of making a second (DESIGN "External side effects").
"""

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
from connector_connections.platforms import NotAuthorized
from connector_contracts import ConnectionStatus, OrderRelayed, OrderRelayFailed, OrderStatus
from connector_runtime.outbox import Effects
from shopify import ShopifyClient
from shopify.errors import ShopifyAuthError, ShopifyGraphQLError, ShopifyUserError
from shopify.models import Order as ShopifyOrder
from tiktok_shop.errors import BusinessError, CredentialError
from tiktok_shop.models.orders import (
    ExternalLineItem,
    ExternalOrder,
    ExternalOrderLink,
    Order,
    normalize_order_status,
)

from order_relay import config_store, invoice_store, metrics, store
from order_relay.core.decisions import next_retry_at
from order_relay.core.intake import RelayState, TrackedOrder
from order_relay.core.outcome import masked_name, relayed_lines
from order_relay.core.settings import OrderSettings
from order_relay.core.translate import (
    Inputs,
    LineGroup,
    Refusal,
    RelayPlan,
    StockLevel,
    stock_refusal,
    to_shopify_order,
)
from order_relay.platforms import Deps
from order_relay.relay_links import queue_link

log = structlog.get_logger()

GRACE_HOLD_HANDLE = "tiktok-grace-period"
DONE = (RelayState.RELAYED, RelayState.SKIPPED, RelayState.CANCELLED)


class ConnectionUnavailable(Exception):
    """The connection replica has not caught up (or the connection is gone): retry later."""


class TokensRotating(ConnectionUnavailable):
    """A platform refused the token while the connection says its authorization is fine:
    the gateway is most likely refreshing it and the new one is on its way (retry later)."""


@dataclass(frozen=True)
class Prefetched:
    """What a relay job's batch fetched for it before its attempt (ADR 0710): the connection
    as read then and the outcome of its Get Order Detail in the batch's shared calls (the
    order, None when TikTok has none, or the call's error, raised by the attempt)."""

    connection: Connection
    shop_id: str
    detail: Order | Exception | None


@dataclass(frozen=True)
class Attempt:
    """One try at relaying one order: what each of its steps needs."""

    fx: Effects
    deps: Deps
    connection: Connection
    order_id: str  # the TikTok order's
    number: int  # 1 for the first try
    settings: OrderSettings  # the order's region's
    shop_id: str  # the TikTok shop (region) the order was placed in
    prefetched: Prefetched | None = None


async def relay_order(
    fx: Effects,
    deps: Deps,
    tiktok_order_id: str,
    *,
    retry_credentials: bool = False,
    prefetched: Prefetched | None = None,
) -> None:
    """Create the order in Shopify unless it already is there or must not be
    (`retry_credentials`: a refused token may be rotating, try again before failing;
    `prefetched`: what the job's batch fetched for it)."""
    order = await store.load_order_for_update(fx.conn, tiktok_order_id)
    if order is None or order.relay_state in DONE:
        return
    number = order.relay_attempts + 1
    prefetched = prefetched if _fetched_for(prefetched, order) else None
    connection = (
        prefetched.connection
        if prefetched is not None
        else await load_connection(fx.conn, order.connection_id)
    )
    if connection is None:
        raise ConnectionUnavailable(f"connection {order.connection_id} is not known yet")
    settings = await config_store.load_settings(
        fx.conn,
        connection.connection_id,
        deps.settings.default_order_settings(),
        order.tiktok_shop_id,
    )
    attempt = Attempt(
        fx, deps, connection, tiktok_order_id, number, settings, order.tiktok_shop_id, prefetched
    )
    clients = await _clients(attempt)
    if clients is None:
        return
    # Before any platform call: a store out of API budget postpones the job (ADR 0310).
    clients.shopify.check_budget("orderCreate")
    try:
        await _relay(attempt, clients)
    except CREDENTIALS as exc:
        if retry_credentials and await _authorization_fine(attempt):
            raise TokensRotating(f"{_platform(exc)} refused the token ({exc})") from exc
        refusal = Refusal("platform_refused", f"{_platform(exc)} refused the request: {exc}")
        await fail(attempt, refusal)
    except REFUSED as exc:
        # A definite "no" from a platform (not an outage): the merchant must act.
        refusal = Refusal("platform_refused", f"{_platform(exc)} refused the request: {exc}")
        await fail(attempt, refusal)


def _fetched_for(prefetched: Prefetched | None, order: TrackedOrder) -> bool:
    """Whether a batch's prefetch was made for the order's connection and shop, as it is now."""
    return prefetched is not None and (
        prefetched.connection.connection_id == order.connection_id
        and prefetched.shop_id == order.tiktok_shop_id
    )


async def _clients(attempt: Attempt) -> PlatformClients | None:
    """The connection's clients, or None when it is not authorized (recorded as a failure)."""
    try:
        return await attempt.deps.clients(attempt.connection, attempt.shop_id)
    except NotAuthorized as exc:
        if attempt.connection.status is ConnectionStatus.PENDING:
            raise ConnectionUnavailable(str(exc)) from exc  # the replica may be catching up
        await fail(attempt, Refusal("not_authorized", f"{exc}. Reconnect it under Connections."))
        return None


async def _relay(attempt: Attempt, clients: PlatformClients) -> None:
    tiktok_order = await _detail(attempt, clients)
    if tiktok_order is None:
        raise LookupError(f"TikTok Shop has no order {attempt.order_id}")
    status = OrderStatus(normalize_order_status(tiktok_order.status))
    if await _not_relayable(attempt, status):
        return
    plan = await _plan(attempt, clients.shopify, tiktok_order, status)
    if isinstance(plan, Refusal):
        await fail(attempt, plan)
        return
    await _create(attempt, clients, tiktok_order, plan)


async def _detail(attempt: Attempt, clients: PlatformClients) -> Order | None:
    """The order's detail: fetched with its batch, or now. One fetch per attempt, shared with
    the orders relayed at the same time."""
    if attempt.prefetched is None:
        return await clients.tiktok.orders.detail(attempt.order_id)
    if isinstance(attempt.prefetched.detail, Exception):
        raise attempt.prefetched.detail  # classified as if fetched here
    return attempt.prefetched.detail


CREDENTIALS = (CredentialError, ShopifyAuthError)
REFUSED = (BusinessError, LookupError, ShopifyGraphQLError)


async def _authorization_fine(attempt: Attempt) -> bool:
    """Whether the connection, as the replica has it now, still holds the authorizations the
    attempt used: newer tokens arrived, or neither the store nor the shop has a problem."""
    fresh = await load_connection(attempt.fx.conn, attempt.connection.connection_id)
    if fresh is None or fresh.status is ConnectionStatus.DISCONNECTED:
        return False
    if fresh.revision > attempt.connection.revision:
        return True
    grant = next((g for g in fresh.tiktok_shops if g.shop_id == attempt.shop_id), None)
    return fresh.authorization_problem is None and (
        grant is None or not grant.authorization_problem
    )


def _platform(exc: Exception) -> str:
    return "Shopify" if isinstance(exc, (ShopifyAuthError, ShopifyGraphQLError)) else "TikTok Shop"


async def _not_relayable(attempt: Attempt, status: OrderStatus) -> bool:
    fx, tiktok_order_id, settings = attempt.fx, attempt.order_id, attempt.settings
    if status is OrderStatus.CANCELLED:
        await store.set_order_fields(fx.conn, tiktok_order_id, relay_state="cancelled")
        await store.add_history(
            fx.conn,
            tiktok_order_id,
            "skipped",
            "Cancelled in TikTok Shop before it reached Shopify.",
        )
        return True
    if status is OrderStatus.UNPAID or (
        status is OrderStatus.ON_HOLD and not settings.sync_on_hold_orders
    ):
        # Not (or not yet) to be relayed: the order waits for its next paid status.
        await store.set_order_fields(fx.conn, tiktok_order_id, relay_state="none", paid=False)
        return True
    return False


async def _plan(
    attempt: Attempt, shopify: ShopifyClient, order: Order, status: OrderStatus
) -> RelayPlan | Refusal:
    fx, connection, settings = attempt.fx, attempt.connection, attempt.settings
    sku_ids = sorted({line.sku_id for line in order.line_items})
    links = await config_store.links_for(fx.conn, connection.connection_id, sku_ids)
    variants = sorted({link.shopify_variant_id for link in links.values()})
    prices = {} if settings.use_tiktok_pricing else await shopify.variants.prices(variants)
    inputs = Inputs(
        region=region_of(connection, attempt.shop_id),
        links=links,
        shopify_prices=prices,
        shop_id=attempt.shop_id,
    )
    plan = to_shopify_order(order, settings, inputs, on_hold=status is OrderStatus.ON_HOLD)
    # The inventory location is inventory-guard's setting, the region's (ADR 0023, 0360); the
    # first one counts here.
    counted = await inventory_locations(fx.conn, connection, attempt.shop_id)
    location = next(iter(counted), None)
    if isinstance(plan, Refusal) or not (settings.prevent_negative_inventory and location):
        return plan
    stock = await shopify.variants.stock(variants, location)
    levels = {v: StockLevel(s.available, s.enforced, s.sku) for v, s in stock.items()}
    return stock_refusal(plan.groups, levels, location) or plan


async def _create(
    attempt: Attempt, clients: PlatformClients, order: Order, plan: RelayPlan
) -> None:
    existing = None
    async with (await attempt.deps.side_pool()).acquire() as side:
        first = await store.record_intent(side, order.id)
    if not first:
        existing = await clients.shopify.orders.find_by_source_identifier(order.id)
    created = existing
    if created is None:
        try:
            created = await clients.shopify.orders.create(plan.order, plan.options)
        except ShopifyUserError as exc:
            await fail(attempt, _refusal_from(exc))
            return
    if plan.hold:
        await hold_fulfilment(clients.shopify, created.id)
    elif existing is not None:
        # An attempt that crashed after holding the order may have missed the end of the
        # grace period: its release found no relayed order then, so release here.
        await release_fulfilment(clients.shopify, created.id)
    line_map = _line_map(plan.groups, created)
    # Written back by the link workers, batched (ADR 0710): queued with the relay's record.
    await queue_link(
        attempt.fx.conn,
        attempt.connection.connection_id,
        attempt.shop_id,
        _external_link(order.id, created, line_map),
    )
    await _record_relayed(attempt, order, plan, created, line_map, found=existing is not None)


def _refusal_from(exc: ShopifyUserError) -> Refusal:
    if "INVENTORY_CLAIM_FAILED" in exc.codes:
        return Refusal(
            "out_of_stock",
            "Out of stock in Shopify: "
            + "; ".join(e.message for e in exc.errors)
            + " Restock, or turn off 'Prevent Negative Inventory'.",
        )
    return Refusal("shopify_rejected", "Shopify refused the order: " + "; ".join(exc.reasons))


async def hold_fulfilment(shopify: ShopifyClient, shopify_order_id: str) -> None:
    """Hold every open fulfillment order during TikTok's cancellation grace period."""
    for fo in await shopify.fulfillments.fulfillment_orders(shopify_order_id):
        if any(h.handle == GRACE_HOLD_HANDLE for h in fo.fulfillment_holds):
            continue  # held by an earlier attempt
        await shopify.fulfillments.hold(
            fo.id,
            "OTHER",
            reason_notes="TikTok Shop 1-hour cancellation grace period",
            handle=GRACE_HOLD_HANDLE,
        )


async def release_fulfilment(shopify: ShopifyClient, shopify_order_id: str) -> None:
    """Release the grace-period holds: the order may now be fulfilled."""
    for fo in await shopify.fulfillments.fulfillment_orders(shopify_order_id):
        holds = [h.id for h in fo.fulfillment_holds if h.handle == GRACE_HOLD_HANDLE]
        if holds:
            await shopify.fulfillments.release_hold(fo.id, holds)


def _line_map(groups: tuple[LineGroup, ...], created: ShopifyOrder) -> dict[str, list[str]]:
    """Shopify line id -> TikTok line ids (Shopify keeps the order of the input lines)."""
    return {
        line.id: list(group.tiktok_line_ids)
        for group, line in zip(groups, created.line_items, strict=False)
    }


def numeric_id(gid: str) -> str:
    """`gid://shopify/Order/123` -> `123`."""
    return gid.rsplit("/", 1)[-1]


def _external_link(
    order_id: str, created: ShopifyOrder, line_map: dict[str, list[str]]
) -> ExternalOrderLink:
    lines = [
        ExternalLineItem(id=tiktok_line, origin_id=numeric_id(shopify_line))
        for shopify_line, tiktok_lines in line_map.items()
        for tiktok_line in tiktok_lines
    ]
    return ExternalOrderLink(
        id=order_id,
        external_order=ExternalOrder(
            id=numeric_id(created.id), platform="SHOPIFY", line_items=lines
        ),
    )


async def _record_relayed(
    attempt: Attempt,
    order: Order,
    plan: RelayPlan,
    created: ShopifyOrder,
    line_map: dict[str, list[str]],
    *,
    found: bool,
) -> None:
    fx, number = attempt.fx, attempt.number
    currency = order.payment.currency if order.payment else None
    await store.mark_relayed(
        fx.conn,
        order.id,
        shopify_shop_domain=attempt.connection.shopify_shop_domain,
        shopify_order_id=created.id,
        shopify_order_name=created.name,
        held=plan.hold,
        found_existing=found,
        attempt=number,
        line_map=line_map,
        total=plan.totals.total,
        currency=currency,
    )
    # Brazil: its packages need invoices before they ship (no query for other orders).
    await invoice_store.record_needs(fx, order, attempt.connection, attempt.shop_id)
    # No cancel_retry: the attempt runs as the order's relay job, whose claim already took it.
    held = " (fulfilment on hold for TikTok's grace period)" if plan.hold else ""
    how = "found from an earlier attempt" if found else "created"
    await store.add_history(
        fx.conn,
        order.id,
        "relayed",
        f"Shopify order {created.name} {how}{held}, attempt {number}.",
    )
    paid_at = datetime.fromtimestamp(order.paid_time or order.create_time or 0, UTC)
    await fx.emit(_relayed(attempt, order, plan, created, found=found, paid_at=paid_at))
    metrics.RELAYED.labels("deduplicated" if found else "created").inc()
    metrics.RELAY_LATENCY.observe(max(0.0, (datetime.now(UTC) - paid_at).total_seconds()))
    log.info("order.relayed", tiktok_order_id=order.id, shopify_order_id=created.id, found=found)


def _relayed(
    attempt: Attempt,
    order: Order,
    plan: RelayPlan,
    created: ShopifyOrder,
    *,
    found: bool,
    paid_at: datetime,
) -> OrderRelayed:
    """The outcome, with what the Home dashboard counts (region, buyer, lines)."""
    recipient = order.recipient_address
    return OrderRelayed(
        tiktok_order_id=order.id,
        shopify_order_id=created.id,
        shopify_order_name=created.name,
        on_hold=plan.hold,
        found_existing=found,
        total=plan.totals.total,
        currency=order.payment.currency if order.payment else None,
        attempt=attempt.number,
        tiktok_shop_id=attempt.shop_id,
        region=region_of(attempt.connection, attempt.shop_id),
        paid_at=paid_at,
        buyer_id=order.user_id or None,
        buyer_name=masked_name(recipient.name) if recipient else None,
        lines=relayed_lines(order, plan.groups),
    )


async def fail(attempt: Attempt, refusal: Refusal) -> None:
    """Record a failed relay with its reason, and schedule the next try when retries are on."""
    retry_at = next_retry_at(
        attempt.number,
        enabled=attempt.settings.retry_orders and refusal.retryable,
        max_retries=attempt.deps.settings.order_retry_max,
        interval=attempt.deps.settings.retry_interval,
        now=datetime.now(UTC),
    )
    await _record_failed(attempt, refusal, retry_at)
    await attempt.fx.emit(
        OrderRelayFailed(
            tiktok_order_id=attempt.order_id,
            reason=refusal.reason,
            code=refusal.code,
            attempt=attempt.number,
            next_retry_at=retry_at,
            tiktok_shop_id=attempt.shop_id,
            region=region_of(attempt.connection, attempt.shop_id),
        ),
        connection_id=attempt.connection.connection_id,
    )
    metrics.RELAY_FAILED.labels(refusal.code).inc()
    log.warning(
        "order.relay_failed",
        tiktok_order_id=attempt.order_id,
        code=refusal.code,
        reason=refusal.reason,
        attempt=attempt.number,
        retry_at=retry_at.isoformat() if retry_at else None,
    )


async def _record_failed(attempt: Attempt, refusal: Refusal, retry_at: datetime | None) -> None:
    conn, order_id, number = attempt.fx.conn, attempt.order_id, attempt.number
    state = RelayState.FAILED if refusal.retryable else RelayState.SKIPPED
    await store.mark_failed(
        conn,
        order_id,
        state=state,
        code=refusal.code,
        reason=refusal.reason,
        attempt=number,
        next_retry_at=retry_at,
    )
    then = f" Retrying at {retry_at:%H:%M:%S} UTC." if retry_at else ""
    await store.add_history(
        conn, order_id, state.value, f"Attempt {number}: {refusal.reason}{then}"
    )
    if retry_at is not None:
        connection_id = attempt.connection.connection_id
        await store.schedule_retry(conn, order_id, connection_id, retry_at, number + 1)
