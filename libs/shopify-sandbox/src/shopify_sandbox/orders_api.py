"""orderCreate (inventory behaviour, taxes, payments), order search, orderCancel, refundCreate."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from shopify_sandbox import search
from shopify_sandbox.connections import connection
from shopify_sandbox.inventory_api import set_quantity
from shopify_sandbox.records import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    Order,
    OrderLineItem,
    ProductVariant,
    ShippingLine,
    TaxLine,
    Transaction,
    now,
)
from shopify_sandbox.resolving import (
    Info,
    Resolvers,
    bag_amount,
    ctx,
    money_bag,
    user_error,
)
from shopify_sandbox.rest_shapes import order_json
from shopify_sandbox.shop import Shop
from shopify_sandbox.state import Context

JSON = dict[str, Any]


def _tax_lines(raw: list[JSON] | None) -> list[TaxLine]:
    return [
        TaxLine(
            t["title"],
            Decimal(str(t["rate"])),
            bag_amount(t.get("priceSet")),
            t.get("channelLiable"),
        )
        for t in raw or []
    ]


def _validate_lines(context: Context, lines: list[JSON]) -> list[JSON]:
    errors = []
    if not lines:
        errors.append(
            user_error(["order", "lineItems"], "Line items must have at least one item.", "INVALID")
        )
    for i, line in enumerate(lines):
        path = ["order", "lineItems", str(i)]
        if line["quantity"] < 1:
            errors.append(
                user_error([*path, "quantity"], "Quantity must be greater than 0.", "INVALID")
            )
        if line.get("variantId"):
            if line["variantId"] not in context.shop.variants:
                errors.append(
                    user_error(
                        [*path, "variantId"],
                        f"Variant {line['variantId']} does not exist.",
                        "INVALID",
                    )
                )
        elif not line.get("title") or not line.get("priceSet"):
            errors.append(
                user_error(path, "A custom line item needs a title and a priceSet.", "INVALID")
            )
    return errors


def _assign_location(context: Context, variant: ProductVariant | None, quantity: int) -> str:
    """First location with enough stock, else the first that stocks the item, else primary."""
    if variant is None:
        return context.shop.primary_location.id
    levels = list(variant.inventory_item.levels.values())
    for level in levels:
        if level.available >= quantity:
            return level.location.id
    return levels[0].location.id if levels else context.shop.primary_location.id


def _claim_errors(context: Context, lines: list[OrderLineItem], behaviour: str) -> list[JSON]:
    if behaviour != "DECREMENT_OBEYING_POLICY":
        return []
    demand: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if line.variant is not None:
            demand[(line.variant.id, line.location_id)] += line.quantity
    errors = []
    for (variant_id, location_id), wanted in demand.items():
        variant = context.shop.variants[variant_id]
        level = variant.inventory_item.levels.get(location_id)
        available = level.available if level else 0
        if (
            variant.inventory_policy == "DENY"
            and variant.inventory_item.tracked
            and available < wanted
        ):
            errors.append(
                user_error(
                    ["order", "lineItems"],
                    f"Not enough inventory for '{variant.product.title} - {variant.title}' "
                    f"(SKU {variant.sku}): requested {wanted}, available {available}.",
                    "INVENTORY_CLAIM_FAILED",
                )
            )
    return errors


def _build_lines(context: Context, raw: list[JSON], currency: str) -> list[OrderLineItem]:
    built = []
    for line in raw:
        variant = context.shop.variants.get(line.get("variantId") or "")
        price = (
            bag_amount(line["priceSet"])
            if line.get("priceSet")
            else (variant.price if variant else Decimal(0))
        )
        built.append(
            OrderLineItem(
                id=context.shop.new_gid("LineItem"),
                title=line.get("title") or (variant.product.title if variant else ""),
                quantity=line["quantity"],
                price=price,
                sku=line.get("sku") or (variant.sku if variant else None),
                variant=variant,
                location_id=_assign_location(context, variant, line["quantity"]),
                currency=currency,
                tax_lines=_tax_lines(line.get("taxLines")),
                requires_shipping=line.get("requiresShipping", True) is not False,
            )
        )
    return built


def _decrement(context: Context, lines: list[OrderLineItem], behaviour: str) -> None:
    if behaviour == "BYPASS":
        return
    for line in lines:
        level = line.variant.inventory_item.levels.get(line.location_id) if line.variant else None
        if level is None:
            continue
        level.committed += line.quantity
        set_quantity(context, level, "available", level.available - line.quantity)
        line.decremented = True


def _financial_status(order: Order, explicit: str | None) -> str:
    if explicit:
        return explicit
    paid = sum(
        (
            t.amount
            for t in order.transaction_list
            if t.status == "SUCCESS" and t.kind in ("SALE", "CAPTURE")
        ),
        Decimal(0),
    )
    if (
        any(t.kind == "AUTHORIZATION" and t.status == "SUCCESS" for t in order.transaction_list)
        and not paid
    ):
        return "AUTHORIZED"
    return "PAID" if paid >= order.total else ("PARTIALLY_PAID" if paid else "PENDING")


def _order_create(_: Any, info: Info, order: JSON, options: JSON | None = None) -> JSON:
    context, shop = ctx(info), ctx(info).shop
    behaviour = (options or {}).get("inventoryBehaviour") or "BYPASS"
    raw_lines = order.get("lineItems") or []
    errors = _validate_lines(context, raw_lines)
    if errors:
        return {"order": None, "userErrors": errors}
    currency = order.get("currency") or shop.currency
    lines = _build_lines(context, raw_lines, currency)
    errors = _claim_errors(context, lines, behaviour)
    if errors:
        return {"order": None, "userErrors": errors}
    record = Order(
        id=shop.new_gid("Order"),
        number=shop.next_order_number(),
        currency=currency,
        line_item_list=lines,
        email=order.get("email"),
        phone=order.get("phone"),
        note=order.get("note"),
        tags=list(order.get("tags") or []),
        source_name=order.get("sourceName"),
        source_identifier=order.get("sourceIdentifier"),
        taxes_included=bool(order.get("taxesIncluded")),
        billing_address=order.get("billingAddress"),
        shipping_address=order.get("shippingAddress"),
        custom_attributes=list(order.get("customAttributes") or []),
        tax_lines=_tax_lines(order.get("taxLines")),
        inventory_behaviour=behaviour,
    )
    record.shipping_line_list = _shipping_lines(shop, order, currency)
    record.transaction_list = _transactions(shop, order, currency)
    record.financial_status = _financial_status(record, order.get("financialStatus"))
    if order.get("processedAt"):
        record.processed_at = order["processedAt"]
    _decrement(context, lines, behaviour)
    _open_fulfillment_orders(context, record)
    shop.orders[record.id] = record
    context.emit("orders/create", order_json(record))
    if record.financial_status == "PAID":
        context.emit("orders/paid", order_json(record))
    return {"order": record, "userErrors": []}


def _shipping_lines(shop: Shop, order: JSON, currency: str) -> list[ShippingLine]:
    return [
        ShippingLine(
            shop.new_gid("ShippingLine"),
            s["title"],
            s.get("code"),
            s.get("source"),
            bag_amount(s["priceSet"]),
            currency,
            _tax_lines(s.get("taxLines")),
        )
        for s in order.get("shippingLines") or []
    ]


def _transactions(shop: Shop, order: JSON, currency: str) -> list[Transaction]:
    return [
        Transaction(
            shop.new_gid("OrderTransaction"),
            t.get("kind") or "SALE",
            t.get("status") or "SUCCESS",
            t.get("gateway"),
            bag_amount(t["amountSet"]),
            bool(t.get("test")),
            currency,
        )
        for t in order.get("transactions") or []
    ]


def _open_fulfillment_orders(context: Context, order: Order) -> None:
    by_location: dict[str, list[OrderLineItem]] = defaultdict(list)
    for line in order.line_item_list:
        if line.requires_shipping:
            by_location[line.location_id].append(line)
    for location_id, lines in by_location.items():
        fo = FulfillmentOrder(
            id=context.shop.new_gid("FulfillmentOrder"),
            order=order,
            location=context.shop.locations[location_id],
            lines=[
                FulfillmentOrderLine(
                    context.shop.new_gid("FulfillmentOrderLineItem"), li, li.quantity, li.quantity
                )
                for li in lines
            ],
        )
        order.fulfillment_order_list.append(fo)
        context.shop.fulfillment_orders[fo.id] = fo


def cancel_order(context: Context, order: Order, reason: str, restock: bool) -> None:
    """Cancel: close fulfillment orders, release or restock committed units, emit webhooks."""
    order.cancelled_at = order.updated_at = now()
    order.cancel_reason = reason
    order.closed = True
    for fo in order.fulfillment_order_list:
        if fo.status not in ("CLOSED", "CANCELLED"):
            fo.status = "CANCELLED"
            for fo_line in fo.lines:
                fo_line.remaining_quantity = 0
    for line in order.line_item_list:
        open_units = line.quantity - line.fulfilled - line.refunded
        level = line.variant.inventory_item.levels.get(line.location_id) if line.variant else None
        if not line.decremented or level is None or open_units <= 0:
            continue
        level.committed -= open_units
        if restock:
            set_quantity(context, level, "available", level.available + open_units)
    if order.financial_status in ("PAID", "PARTIALLY_PAID"):
        order.financial_status = "REFUNDED"
    context.emit("orders/cancelled", order_json(order))
    context.emit("orders/updated", order_json(order))


def _order_cancel(
    _: Any, info: Info, orderId: str, reason: str, restock: bool, **args: Any
) -> JSON:
    context = ctx(info)
    order = context.shop.orders.get(orderId)

    def fail(message: str, code: str, field: str = "orderId") -> JSON:
        return {
            "job": None,
            "orderCancelUserErrors": [user_error([field], message, code)],
            "userErrors": [],
        }

    if order is None:
        return fail("Order does not exist.", "NOT_FOUND")
    if order.cancelled_at is not None:
        return fail("Order has already been cancelled.", "INVALID")
    if any(li.fulfilled for li in order.line_item_list):
        return fail("Cannot cancel an order with fulfilled items.", "INVALID")
    if args.get("refundMethod") is None and args.get("refund") is None:
        return fail("refundMethod must be provided.", "INVALID", "refundMethod")
    cancel_order(context, order, reason, restock)
    return {
        "job": {"id": context.shop.new_gid("Job"), "done": False},
        "orderCancelUserErrors": [],
        "userErrors": [],
    }


def _order_close(_: Any, info: Info, input: JSON) -> JSON:
    """Archive an order (closing a closed order is a no-op)."""
    order = ctx(info).shop.orders.get(input["id"])
    if order is None:
        return {"order": None, "userErrors": [user_error(["id"], "Order does not exist.")]}
    order.closed = True
    order.updated_at = now()
    return {"order": order, "userErrors": []}


def _order_update(_: Any, info: Info, input: JSON) -> JSON:
    """Edit an order's shipping address, note, email or tags (OrderInput has no billing
    address: Shopify does not let an app change it after creation)."""
    order = ctx(info).shop.orders.get(input["id"])
    if order is None:
        return {"order": None, "userErrors": [user_error(["id"], "Order does not exist")]}
    if "shippingAddress" in input:
        order.shipping_address = input["shippingAddress"]
    for field, name in (("note", "note"), ("email", "email"), ("tags", "tags")):
        if field in input and hasattr(order, name):
            setattr(order, name, input[field])
    order.updated_at = now()
    return {"order": order, "userErrors": []}


def _orders(_: Any, info: Info, **args: Any) -> JSON:
    terms = search.parse(args.get("query"))
    # Searches go through an index that may trail writes; plain listing does not.
    indexed_before = now() - timedelta(seconds=ctx(info).settings.order_search_lag_seconds)
    orders = list(ctx(info).shop.orders.values())
    if terms:
        orders = [o for o in orders if o.created_at <= indexed_before]
    found = [o for o in orders if search.matches(terms, _order_fields(o))]
    key = {"UPDATED_AT": "updated_at", "CREATED_AT": "created_at"}.get(
        args.get("sortKey") or "", "processed_at"
    )
    found.sort(key=lambda o: (getattr(o, key), o.number))
    return connection(found, info, args)


def _order_fields(o: Order) -> dict[str, Any]:
    return {
        "default": lambda: [o.name, o.source_identifier],
        "source_identifier": lambda: o.source_identifier,
        "source_name": lambda: o.source_name,
        "name": lambda: [o.name, o.name.lstrip("#")],
        "tag": lambda: o.tags,
        "email": lambda: o.email,
        "id": lambda: o.id.rsplit("/", 1)[1],
        "status": lambda: [
            "any",
            "cancelled" if o.cancelled_at else "open",
            "closed" if o.closed else "open",
        ],
        "financial_status": lambda: o.financial_status,
        "fulfillment_status": lambda: o.fulfillment_status,
        "created_at": lambda: o.created_at,
        "updated_at": lambda: o.updated_at,
        "processed_at": lambda: o.processed_at,
    }


def _tax_json(tax: TaxLine, currency: str) -> JSON:
    return {
        "title": tax.title,
        "rate": float(tax.rate),
        "ratePercentage": float(tax.rate * 100),
        "priceSet": money_bag(tax.price, currency),
        "channelLiable": tax.channel_liable,
    }


def _address(raw: JSON | None) -> JSON | None:
    if raw is None:
        return None
    name = " ".join(p for p in (raw.get("firstName"), raw.get("lastName")) if p) or None
    return {**raw, "name": name, "countryCodeV2": raw.get("countryCode")}


RESOLVERS: Resolvers = {
    ("QueryRoot", "order"): lambda _, info, id: ctx(info).shop.orders.get(id),
    ("QueryRoot", "orders"): _orders,
    ("Mutation", "orderCreate"): _order_create,
    ("Mutation", "orderCancel"): _order_cancel,
    ("Mutation", "orderClose"): _order_close,
    ("Mutation", "orderUpdate"): _order_update,
    ("Order", "currencyCode"): lambda o, _: o.currency,
    ("Order", "displayFinancialStatus"): lambda o, _: o.financial_status,
    ("Order", "displayFulfillmentStatus"): lambda o, _: o.fulfillment_status,
    ("Order", "totalPriceSet"): lambda o, _: money_bag(o.total, o.currency),
    ("Order", "subtotalPriceSet"): lambda o, _: money_bag(o.subtotal, o.currency),
    ("Order", "totalTaxSet"): lambda o, _: money_bag(o.total_tax, o.currency),
    ("Order", "totalShippingPriceSet"): lambda o, _: money_bag(o.total_shipping, o.currency),
    ("Order", "billingAddress"): lambda o, _: _address(o.billing_address),
    ("Order", "shippingAddress"): lambda o, _: _address(o.shipping_address),
    ("Order", "taxLines"): lambda o, _: [_tax_json(t, o.currency) for t in o.tax_lines],
    ("Order", "lineItems"): lambda o, info, **a: connection(o.line_item_list, info, a),
    ("Order", "shippingLines"): lambda o, info, **a: connection(o.shipping_line_list, info, a),
    ("Order", "transactions"): lambda o, _, first=None: o.transaction_list[:first],
    ("Order", "fulfillmentOrders"): lambda o, info, **a: connection(
        o.fulfillment_order_list, info, a
    ),
    ("Order", "fulfillments"): lambda o, _, first=None: o.fulfillment_list[:first],
    ("Order", "refunds"): lambda o, _, first=None: o.refund_list[:first],
    ("LineItem", "name"): lambda li, _: li.title,
    ("LineItem", "currentQuantity"): lambda li, _: li.quantity - li.refunded,
    ("LineItem", "unfulfilledQuantity"): lambda li, _: li.quantity - li.fulfilled - li.refunded,
    ("LineItem", "originalUnitPriceSet"): lambda li, _: money_bag(li.price, li.currency),
    ("LineItem", "taxLines"): lambda li, _, first=None: [
        _tax_json(t, li.currency) for t in li.tax_lines
    ][:first],
    ("ShippingLine", "originalPriceSet"): lambda s, _: money_bag(s.price, s.currency),
    ("ShippingLine", "taxLines"): lambda s, _: [_tax_json(t, s.currency) for t in s.tax_lines],
    ("OrderTransaction", "amountSet"): lambda t, _: money_bag(t.amount, t.currency),
}
