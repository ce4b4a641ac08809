"""A return Loop processed in Shopify becomes a refund on TikTok (ADR 0632): with the order
setting on, a Shopify refund made by the Loop app creates the TikTok return (Create Return),
once per refund; TikTok's refusal (e.g. a seller it did not approve) is said on the order."""

import structlog
from connector_contracts import ShopifyRefundCreated
from connector_runtime.outbox import Effects
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.returns import SellerReturn

from order_relay import metrics, store
from order_relay.aftersale import context_of
from order_relay.core.intake import RelayState
from order_relay.core.loop_returns import is_loop_refund, refusal_reason, tiktok_refund
from order_relay.platforms import Deps
from order_relay.store import RelayedOrder

log = structlog.get_logger()


async def loop_refunded(
    fx: Effects, deps: Deps, order: RelayedOrder, refund: ShopifyRefundCreated
) -> None:
    """Create the TikTok refund of a Loop return, or say why not."""
    if order.relay_state is not RelayState.RELAYED:
        return
    if not is_loop_refund(refund.source_name, deps.settings.loop_app_ids):
        return
    _, settings, clients = await context_of(fx, deps, order)
    if not settings.sync_loop_returns:
        return
    planned = tiktok_refund(refund.lines, order.line_map, refund.amount)
    if isinstance(planned, str):
        await _said(fx, order, "loop_refund_failed", f"Loop return not sent: {planned}", "skipped")
        return
    request = SellerReturn(
        return_type="REFUND",
        return_reason=deps.settings.order_loop_return_reason,
        order_line_item_ids=list(planned.line_item_ids),
        refund_total=str(planned.amount) if planned.amount else None,
        currency=refund.currency if planned.amount else None,
    )
    try:
        # One TikTok return per Shopify refund, however often the message is delivered.
        created = await clients.tiktok.returns.create_return(
            order.tiktok_order_id, request, idempotency_key=f"loop-{refund.refund_id}"
        )
    except BusinessError as exc:
        reason = refusal_reason(exc.code, exc.message)
        await _said(fx, order, "loop_refund_failed", f"Loop return: {reason}", "refused")
        return
    await _said(
        fx,
        order,
        "loop_refund",
        f"Loop return (Shopify refund {refund.refund_id}) refunded on TikTok Shop: return"
        f" {created.return_id}, {len(planned.line_item_ids)} item(s), {created.return_status}.",
        "created",
    )


async def _said(fx: Effects, order: RelayedOrder, kind: str, message: str, outcome: str) -> None:
    await store.add_history(fx.conn, order.tiktok_order_id, kind, message)
    metrics.LOOP_REFUNDS.labels(outcome).inc()
    level = log.info if outcome == "created" else log.warning
    level(
        "order.loop_refund", tiktok_order_id=order.tiktok_order_id, outcome=outcome, reason=message
    )
