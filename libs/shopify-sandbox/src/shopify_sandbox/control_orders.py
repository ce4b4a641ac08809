"""/_sandbox routes a merchant's order work goes through: fulfil, cancel, re-track, inspect."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from shopify_sandbox.control_deps import SandboxDep, merchant, order_of, shop_of
from shopify_sandbox.control_models import CancelRequest, FulfilLine, FulfilRequest, TrackingUpdate
from shopify_sandbox.fulfillment_api import Picks, fulfil, tracking_from
from shopify_sandbox.orders_api import cancel_order
from shopify_sandbox.records import Order, now, numeric_id
from shopify_sandbox.rest_shapes import fulfillment_json, order_json

JSON = dict[str, Any]

orders_router = APIRouter()


@orders_router.get("/shops/{domain}/orders")
async def orders(domain: str, sandbox: SandboxDep) -> list[JSON]:
    return [_order_view(o) for o in shop_of(sandbox, domain).orders.values()]


@orders_router.post("/shops/{domain}/orders/fulfil")
async def fulfil_order(
    domain: str, body: FulfilRequest, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    order = order_of(shop, body.order_id)
    picks = [
        (li, li.remaining_quantity)
        for fo in order.fulfillment_order_list
        if fo.status in ("OPEN", "IN_PROGRESS")
        for li in fo.lines
        if li.remaining_quantity > 0
    ]
    if body.line_items is not None:
        picks = _partial_picks(picks, body.line_items)
    if not picks:
        raise HTTPException(409, "nothing open to fulfil (on hold, cancelled or done)")
    tracking = tracking_from(
        {
            "company": body.tracking_company,
            "number": body.tracking_number or f"1Z{secrets.token_hex(6).upper()}",
            "url": body.tracking_url,
        }
    )
    fulfil(merchant(sandbox, shop, request), picks, tracking, notify=False)
    return _order_view(order)


@orders_router.post("/shops/{domain}/orders/cancel")
async def cancel(domain: str, body: CancelRequest, request: Request, sandbox: SandboxDep) -> JSON:
    shop = shop_of(sandbox, domain)
    order = order_of(shop, body.order_id)
    if order.cancelled_at is not None:
        raise HTTPException(409, "already cancelled")
    cancel_order(merchant(sandbox, shop, request), order, body.reason, body.restock)
    return _order_view(order)


@orders_router.post("/shops/{domain}/fulfillments/tracking")
async def update_tracking(
    domain: str, body: TrackingUpdate, request: Request, sandbox: SandboxDep
) -> JSON:
    shop = shop_of(sandbox, domain)
    found = [
        f for o in shop.orders.values() for f in o.fulfillment_list if f.id == body.fulfillment_id
    ]
    if not found:
        raise HTTPException(404, "unknown fulfillment")
    fulfillment = found[0]
    fulfillment.tracking = tracking_from(
        {"company": body.company, "number": body.number, "url": body.url}
    )
    fulfillment.updated_at = now()
    merchant(sandbox, shop, request).emit("fulfillments/update", fulfillment_json(fulfillment))
    return fulfillment_json(fulfillment)


def _partial_picks(open_picks: Picks, wanted: list[FulfilLine]) -> Picks:
    """The open quantities of `wanted` order lines, refusing more than remains open."""
    picks: Picks = []
    for line in wanted:
        remaining = line.quantity
        for fo_line, open_quantity in open_picks:
            item = fo_line.line_item.id
            if remaining and line.line_item_id in (item, str(numeric_id(item))):
                take = min(remaining, open_quantity - sum(q for f, q in picks if f is fo_line))
                if take > 0:
                    picks.append((fo_line, take))
                    remaining -= take
        if remaining:
            raise HTTPException(409, f"line {line.line_item_id} has fewer open units")
    return picks


def _order_view(order: Order) -> JSON:
    """Everything the connector sent, plus what Shopify derived."""
    return {
        **order_json(order),
        "inventory_behaviour": order.inventory_behaviour,
        "closed": order.closed,
        "display_fulfillment_status": order.fulfillment_status,
        "custom_attributes": order.custom_attributes,
        "transactions": [
            {
                "kind": t.kind,
                "status": t.status,
                "gateway": t.gateway,
                "amount": str(t.amount),
                "test": t.test,
            }
            for t in order.transaction_list
        ],
        "fulfillment_orders": [
            {
                "id": fo.id,
                "status": fo.status,
                "location_id": fo.location.id,
                "holds": [
                    {
                        "id": h.id,
                        "reason": h.reason,
                        "reason_notes": h.reason_notes,
                        "handle": h.handle,
                    }
                    for h in fo.holds
                ],
                "line_items": [
                    {
                        "id": li.id,
                        "line_item_id": li.line_item.id,
                        "total": li.total_quantity,
                        "remaining": li.remaining_quantity,
                    }
                    for li in fo.lines
                ],
            }
            for fo in order.fulfillment_order_list
        ],
    }
