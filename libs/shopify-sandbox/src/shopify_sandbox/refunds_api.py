"""refundCreate with idempotency keys, restocking refunded units (B7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopify_sandbox.connections import connection
from shopify_sandbox.inventory_api import set_quantity
from shopify_sandbox.records import Order, Refund, RefundLine, now
from shopify_sandbox.resolving import Info, Resolvers, ctx, idempotent, money_bag, user_error
from shopify_sandbox.rest_shapes import order_json, refund_json
from shopify_sandbox.state import Context

JSON = dict[str, Any]


def _refund_create(_: Any, info: Info, input: JSON) -> JSON:
    context = ctx(info)
    mismatch = {
        "refund": None,
        "order": None,
        "userErrors": [
            user_error(
                None, "The same idempotency key cannot be used with different operation parameters."
            )
        ],
    }
    return idempotent(info, {"input": input}, lambda: _refund(context, input), lambda: mismatch)


def _refund(context: Context, data: JSON) -> JSON:
    order = context.shop.orders.get(data["orderId"])
    if order is None:
        return {
            "refund": None,
            "order": None,
            "userErrors": [user_error(["orderId"], "Order does not exist.")],
        }
    by_id = {li.id: li for li in order.line_item_list}
    errors, lines = [], []
    for i, raw in enumerate(data.get("refundLineItems") or []):
        line = by_id.get(raw["lineItemId"])
        if line is None:
            errors.append(
                user_error(
                    ["refundLineItems", str(i), "lineItemId"],
                    "Line item does not belong to the order.",
                )
            )
        elif raw["quantity"] > line.quantity - line.refunded:
            errors.append(
                user_error(
                    ["refundLineItems", str(i), "quantity"],
                    "Quantity cannot refund more items than were purchased.",
                )
            )
        else:
            location = context.shop.locations.get(raw.get("locationId") or line.location_id)
            lines.append(
                RefundLine(line, raw["quantity"], raw.get("restockType") or "NO_RESTOCK", location)
            )
    if errors:
        return {"refund": None, "order": None, "userErrors": errors}
    amount = sum((Decimal(str(t["amount"])) for t in data.get("transactions") or []), Decimal(0))
    for refund_line in lines:
        _restock(context, refund_line)
    refund = _new_refund(context, order, data.get("note"), lines, amount)
    order.refund_list.append(refund)
    order.updated_at = now()
    if amount > 0:
        refunded = sum((r.amount for r in order.refund_list), Decimal(0))
        order.financial_status = "REFUNDED" if refunded >= order.total else "PARTIALLY_REFUNDED"
    context.shop.refunds[refund.id] = refund
    context.emit("refunds/create", refund_json(refund))
    context.emit("orders/updated", order_json(order))
    return {"refund": refund, "order": order, "userErrors": []}


def _new_refund(
    context: Context, order: Order, note: str | None, lines: list[RefundLine], amount: Decimal
) -> Refund:
    """A refund made by the calling app (its client id is the transactions' `source_name`)."""
    gid = context.shop.new_gid("Refund")
    return Refund(
        gid, order, note, lines, amount, order.currency, source_name=context.app.client_id
    )


def _restock(context: Context, refund_line: RefundLine) -> None:
    line = refund_line.line_item
    line.refunded += refund_line.quantity
    if (
        line.variant is None
        or refund_line.restock_type == "NO_RESTOCK"
        or refund_line.location is None
    ):
        return
    level = line.variant.inventory_item.levels.get(refund_line.location.id)
    if level is None:
        return
    if refund_line.restock_type == "CANCEL" and line.decremented:
        level.committed = max(0, level.committed - refund_line.quantity)
    set_quantity(context, level, "available", level.available + refund_line.quantity)


RESOLVERS: Resolvers = {
    ("Mutation", "refundCreate"): _refund_create,
    ("Refund", "totalRefundedSet"): lambda r, _: money_bag(r.amount, r.currency),
    ("Refund", "refundLineItems"): lambda r, info, **a: connection(
        r.lines, info, a, key=lambda rl: f"{rl.line_item.id}:{id(rl)}"
    ),
}
