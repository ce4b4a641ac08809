"""Fulfillment orders, fulfillmentCreate with tracking, holds and hold releases (B7)."""

from __future__ import annotations

from typing import Any

from shopify_sandbox.connections import connection
from shopify_sandbox.records import (
    Fulfillment,
    FulfillmentHold,
    FulfillmentOrder,
    FulfillmentOrderLine,
    TrackingInfo,
    now,
)
from shopify_sandbox.resolving import Info, Resolvers, ctx, user_error
from shopify_sandbox.rest_shapes import fulfillment_json, order_json
from shopify_sandbox.state import Context

JSON = dict[str, Any]
Picks = list[tuple[FulfillmentOrderLine, int]]


def fulfil(
    context: Context, picks: Picks, tracking: list[TrackingInfo], notify: bool
) -> Fulfillment:
    """Ship the picked quantities: update lines, stock and statuses, emit webhooks."""
    first_fo = _fo_of(context, picks[0][0])
    order = first_fo.order
    for fo_line, quantity in picks:
        fo_line.remaining_quantity -= quantity
        line = fo_line.line_item
        line.fulfilled += quantity
        level = line.variant.inventory_item.levels.get(line.location_id) if line.variant else None
        if level is not None and line.decremented:
            level.committed = max(0, level.committed - quantity)
    for fo in {id(f): f for f in (_fo_of(context, p[0]) for p in picks)}.values():
        fo.status = (
            "CLOSED" if all(li.remaining_quantity == 0 for li in fo.lines) else "IN_PROGRESS"
        )
        fo.updated_at = now()
    fulfillment = Fulfillment(
        id=context.shop.new_gid("Fulfillment"),
        order=order,
        name=f"{order.name}.{len(order.fulfillment_list) + 1}",
        location=first_fo.location,
        lines=[(fo_line.line_item, q) for fo_line, q in picks],
        tracking=tracking,
        notify_customer=notify,
    )
    order.fulfillment_list.append(fulfillment)
    order.updated_at = now()
    context.emit("fulfillments/create", fulfillment_json(fulfillment))
    context.emit("orders/updated", order_json(order))
    if order.fulfillment_status == "FULFILLED":
        context.emit("orders/fulfilled", order_json(order))
    return fulfillment


def _fo_of(context: Context, fo_line: FulfillmentOrderLine) -> FulfillmentOrder:
    return next(fo for fo in context.shop.fulfillment_orders.values() if fo_line in fo.lines)


def _picks(context: Context, groups: list[JSON]) -> tuple[Picks, list[JSON]]:
    picks: Picks = []
    errors: list[JSON] = []
    orders = set()
    for i, group in enumerate(groups):
        path = ["fulfillment", "lineItemsByFulfillmentOrder", str(i)]
        fo = context.shop.fulfillment_orders.get(group["fulfillmentOrderId"])
        if fo is None:
            errors.append(
                user_error([*path, "fulfillmentOrderId"], "Fulfillment order does not exist.")
            )
            continue
        orders.add(fo.order.id)
        if fo.status not in ("OPEN", "IN_PROGRESS"):
            errors.append(
                user_error(
                    [*path, "fulfillmentOrderId"],
                    f"Fulfillment order {fo.id} has an unfulfillable status= {fo.status}.",
                )
            )
            continue
        wanted = group.get("fulfillmentOrderLineItems")
        if not wanted:
            picks.extend(
                (li, li.remaining_quantity) for li in fo.lines if li.remaining_quantity > 0
            )
            continue
        by_id = {li.id: li for li in fo.lines}
        for j, item in enumerate(wanted):
            li = by_id.get(item["id"])
            if li is None or not 0 < item["quantity"] <= li.remaining_quantity:
                errors.append(
                    user_error(
                        [*path, "fulfillmentOrderLineItems", str(j)],
                        "Invalid fulfillment order line item quantity requested.",
                    )
                )
            else:
                picks.append((li, item["quantity"]))
    if len(orders) > 1:
        errors.append(
            user_error(["fulfillment"], "All fulfillment orders must belong to the same order.")
        )
    if not picks and not errors:
        errors.append(user_error(["fulfillment"], "Nothing left to fulfil."))
    return picks, errors


def tracking_from(raw: JSON | None) -> list[TrackingInfo]:
    """Tracking entries from a FulfillmentTrackingInput."""
    if not raw:
        return []
    numbers = raw.get("numbers") or ([raw["number"]] if raw.get("number") else [None])
    urls = raw.get("urls") or ([raw["url"]] if raw.get("url") else [])
    return [
        TrackingInfo(raw.get("company"), n, urls[i] if i < len(urls) else None)
        for i, n in enumerate(numbers)
    ]


def _fulfillment_create(_: Any, info: Info, fulfillment: JSON, message: str | None = None) -> JSON:
    context = ctx(info)
    picks, errors = _picks(context, fulfillment["lineItemsByFulfillmentOrder"])
    if errors:
        return {"fulfillment": None, "userErrors": errors}
    made = fulfil(
        context,
        picks,
        tracking_from(fulfillment.get("trackingInfo")),
        bool(fulfillment.get("notifyCustomer")),
    )
    return {"fulfillment": made, "userErrors": []}


def _hold(_: Any, info: Info, id: str, fulfillmentHold: JSON) -> JSON:
    context = ctx(info)
    fo = context.shop.fulfillment_orders.get(id)
    if fo is None:
        return _hold_error("Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND")
    if fo.status not in ("OPEN", "IN_PROGRESS", "ON_HOLD"):
        return _hold_error(
            f"The fulfillment order's status is {fo.status}; it can't be put on hold.", None
        )
    handle = fulfillmentHold.get("handle")
    if handle and any(h.handle == handle for h in fo.holds):
        return _hold_error(
            "The handle provided for the fulfillment hold is already in use by this app "
            "for another hold on this fulfillment order.",
            "DUPLICATE_FULFILLMENT_HOLD_HANDLES",
        )
    hold = FulfillmentHold(
        context.shop.new_gid("FulfillmentHold"),
        fulfillmentHold["reason"],
        fulfillmentHold.get("reasonNotes"),
        handle,
    )
    fo.holds.append(hold)
    fo.status = "ON_HOLD"
    fo.updated_at = fo.order.updated_at = now()
    context.emit("orders/updated", order_json(fo.order))
    return {
        "fulfillmentHold": hold,
        "fulfillmentOrder": fo,
        "remainingFulfillmentOrder": None,
        "userErrors": [],
    }


def _hold_error(message: str, code: str | None) -> JSON:
    return {
        "fulfillmentHold": None,
        "fulfillmentOrder": None,
        "remainingFulfillmentOrder": None,
        "userErrors": [user_error(["id"], message, code)],
    }


def release_holds(context: Context, fo: FulfillmentOrder, hold_ids: list[str] | None) -> None:
    """Remove holds; with none left the fulfillment order opens again."""
    fo.holds = [h for h in fo.holds if hold_ids and h.id not in hold_ids]
    if not fo.holds and fo.status == "ON_HOLD":
        partly = any(li.remaining_quantity < li.total_quantity for li in fo.lines)
        fo.status = "IN_PROGRESS" if partly else "OPEN"
    fo.updated_at = fo.order.updated_at = now()
    context.emit("orders/updated", order_json(fo.order))


def _release(
    _: Any, info: Info, id: str, holdIds: list[str] | None = None, externalId: str | None = None
) -> JSON:
    context = ctx(info)
    fo = context.shop.fulfillment_orders.get(id)
    if fo is None:
        return {
            "fulfillmentOrder": None,
            "userErrors": [
                user_error(
                    ["id"], "Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND"
                )
            ],
        }
    if fo.status != "ON_HOLD":
        return {
            "fulfillmentOrder": None,
            "userErrors": [user_error(["id"], "The fulfillment order is not on hold.")],
        }
    release_holds(context, fo, holdIds)
    return {"fulfillmentOrder": fo, "userErrors": []}


RESOLVERS: Resolvers = {
    ("QueryRoot", "fulfillmentOrder"): lambda _, info, id: ctx(info).shop.fulfillment_orders.get(
        id
    ),
    ("Mutation", "fulfillmentCreate"): _fulfillment_create,
    ("Mutation", "fulfillmentOrderHold"): _hold,
    ("Mutation", "fulfillmentOrderReleaseHold"): _release,
    ("FulfillmentOrder", "orderId"): lambda fo, _: fo.order.id,
    ("FulfillmentOrder", "assignedLocation"): lambda fo, _: {
        "name": fo.location.name,
        "location": fo.location,
    },
    ("FulfillmentOrder", "fulfillmentHolds"): lambda fo, _: fo.holds,
    ("FulfillmentOrder", "lineItems"): lambda fo, info, **a: connection(fo.lines, info, a),
    ("FulfillmentOrderLineItem", "sku"): lambda li, _: li.line_item.sku,
    ("Fulfillment", "trackingInfo"): lambda f, _, first=None: f.tracking[:first],
}
