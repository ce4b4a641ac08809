"""The control plane under /_sandbox: shops, apps, tokens, seeding, merchant actions, faults."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from shopify_sandbox.control_models import (
    AppRequest,
    CancelRequest,
    FulfilLine,
    FulfilRequest,
    PlanRequest,
    PriceRequest,
    ShopRequest,
    StockRequest,
    TokenRequest,
    TrackingUpdate,
    UninstallRequest,
    VideoRequest,
)
from shopify_sandbox.faults import FaultRule, WebhookFaults
from shopify_sandbox.fulfillment_api import Picks, fulfil, tracking_from
from shopify_sandbox.inventory_api import set_quantity
from shopify_sandbox.orders_api import cancel_order
from shopify_sandbox.plans import PLANS, Plan
from shopify_sandbox.records import Order, Video, now, numeric_id
from shopify_sandbox.rest_shapes import (
    fulfillment_json,
    inventory_level_json,
    order_json,
    product_json,
    shop_json,
)
from shopify_sandbox.seed import SeedRequest, catalog_summary, seed_catalog
from shopify_sandbox.shop import Shop
from shopify_sandbox.state import Context, Sandbox

JSON = dict[str, Any]


def control_router(sandbox: Sandbox) -> APIRouter:
    """All /_sandbox routes."""
    router = APIRouter(prefix="/_sandbox")

    def shop_of(domain: str) -> Shop:
        shop = sandbox.shops.get(domain)
        if shop is None:
            raise HTTPException(404, f"unknown shop {domain}")
        return shop

    def merchant(shop: Shop, request: Request) -> Context:
        # Merchant actions run with the first installed app's view; webhooks go to every app.
        app = next(iter(sandbox.apps.values()), None)
        if app is None:
            raise HTTPException(409, "create an app first")
        return Context(
            sandbox, shop, app, "2026-01", f"{request.url.scheme}://{request.url.netloc}"
        )

    @router.get("/health")
    async def health() -> JSON:
        return {"ok": True, "shops": len(sandbox.shops)}

    @router.post("/reset")
    async def reset() -> JSON:
        sandbox.reset()
        return {"ok": True}

    @router.post("/shops", status_code=201)
    async def create_shop(body: ShopRequest) -> JSON:
        if body.plan not in PLANS:
            raise HTTPException(422, f"plan must be one of {sorted(PLANS)}")
        domain = body.domain or f"sandbox-{secrets.token_hex(4)}.myshopify.com"
        if domain in sandbox.shops:
            raise HTTPException(409, f"shop {domain} exists")
        shop = sandbox.create_shop(domain, body.plan, body.currency, body.locations)
        return _shop_view(shop)

    @router.get("/shops/{domain}")
    async def get_shop(domain: str) -> JSON:
        return _shop_view(shop_of(domain))

    @router.patch("/shops/{domain}")
    async def change_plan(domain: str, body: PlanRequest) -> JSON:
        if body.plan not in PLANS:
            raise HTTPException(422, f"plan must be one of {sorted(PLANS)}")
        shop = shop_of(domain)
        base = PLANS[body.plan]
        shop.set_plan(
            Plan(
                body.plan, body.restore_rate or base.restore_rate, body.bucket_size or base.maximum
            )
        )
        return _shop_view(shop)

    @router.post("/apps", status_code=201)
    async def create_app(body: AppRequest) -> JSON:
        app = sandbox.create_app(
            body.scopes, body.client_id, body.client_secret, body.redirect_urls
        )
        return {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "scopes": app.scopes,
        }

    @router.post("/shops/{domain}/tokens", status_code=201)
    async def issue_token(domain: str, body: TokenRequest) -> JSON:
        if body.client_id not in sandbox.apps:
            raise HTTPException(404, "unknown client_id")
        token = sandbox.issue_token(shop_of(domain), body.client_id, expiring=body.expiring)
        return {
            "access_token": token.token,
            "scope": token.scope,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "refresh_token": token.refresh_token,
        }

    @router.post("/shops/{domain}/uninstall")
    async def uninstall(domain: str, body: UninstallRequest) -> JSON:
        shop = shop_of(domain)
        sandbox.emit(shop, "app/uninstalled", shop_json(shop.domain, shop.name, shop.currency))
        shop.installed_apps.discard(body.client_id)
        for token in [
            t for t in sandbox.tokens.values() if t.shop == domain and t.client_id == body.client_id
        ]:
            sandbox.tokens.pop(token.token, None)
        return {"ok": True}

    @router.post("/shops/{domain}/seed")
    async def seed(domain: str, body: SeedRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        made = seed_catalog(shop, body)
        if body.emit_webhooks:
            context = merchant(shop, request)
            for product in made:
                context.emit("products/create", product_json(product))
        return catalog_summary(made)

    @router.delete("/shops/{domain}/products")
    async def delete_product(domain: str, product_id: str, request: Request) -> JSON:
        shop = shop_of(domain)
        product = shop.products.pop(product_id, None)
        if product is None:
            raise HTTPException(404, "unknown product")
        for variant in product.variant_list:
            shop.variants.pop(variant.id, None)
            shop.items.pop(variant.inventory_item.id, None)
        merchant(shop, request).emit("products/delete", {"id": numeric_id(product.id)})
        return {"deleted": product.id}

    @router.post("/shops/{domain}/fulfillments/tracking")
    async def update_tracking(domain: str, body: TrackingUpdate, request: Request) -> JSON:
        shop = shop_of(domain)
        found = [
            f
            for o in shop.orders.values()
            for f in o.fulfillment_list
            if f.id == body.fulfillment_id
        ]
        if not found:
            raise HTTPException(404, "unknown fulfillment")
        fulfillment = found[0]
        fulfillment.tracking = tracking_from(
            {"company": body.company, "number": body.number, "url": body.url}
        )
        fulfillment.updated_at = now()
        merchant(shop, request).emit("fulfillments/update", fulfillment_json(fulfillment))
        return fulfillment_json(fulfillment)

    @router.get("/shops/{domain}/products")
    async def products(domain: str, limit: int = 100, offset: int = 0) -> list[JSON]:
        items = list(shop_of(domain).products.values())[offset : offset + limit]
        return [product_json(p) for p in items]

    @router.post("/shops/{domain}/prices")
    async def change_price(domain: str, body: PriceRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        variant = shop.variants.get(body.variant_id)
        if variant is None:
            raise HTTPException(404, "unknown variant")
        variant.price, variant.compare_at_price = body.price, body.compare_at_price
        variant.updated_at = variant.product.updated_at = now()
        merchant(shop, request).emit("products/update", product_json(variant.product))
        return product_json(variant.product)

    @router.post("/shops/{domain}/videos", status_code=201)
    async def add_video(domain: str, body: VideoRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        product = shop.products.get(body.product_id)
        if product is None:
            raise HTTPException(404, "unknown product")
        url = body.url or f"https://cdn.sandbox.test/{shop.domain}/videos/{body.filename}"
        video = Video(
            shop.new_gid("Video"),
            body.filename,
            url,
            width=body.width,
            height=body.height,
            file_size=body.file_size,
        )
        product.media_list.append(video)
        product.updated_at = now()
        merchant(shop, request).emit("products/update", product_json(product))
        return {"id": video.id, "product_id": product.id, "sources": video.sources}

    @router.post("/shops/{domain}/inventory")
    async def change_stock(domain: str, body: StockRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        item = shop.items.get(body.inventory_item_id)
        level = item.levels.get(body.location_id) if item else None
        if level is None:
            raise HTTPException(404, "item not stocked at that location")
        set_quantity(merchant(shop, request), level, "available", body.available)
        return inventory_level_json(level)

    @router.get("/shops/{domain}/inventory")
    async def inventory(domain: str) -> list[JSON]:
        shop = shop_of(domain)
        return [
            {
                **inventory_level_json(level),
                "sku": item.sku,
                "committed": level.committed,
                "on_hand": level.on_hand,
                "inventory_item_gid": item.id,
                "location_gid": level.location.id,
            }
            for item in shop.items.values()
            for level in item.levels.values()
        ]

    @router.get("/shops/{domain}/orders")
    async def orders(domain: str) -> list[JSON]:
        return [_order_view(o) for o in shop_of(domain).orders.values()]

    @router.post("/shops/{domain}/orders/fulfil")
    async def fulfil_order(domain: str, body: FulfilRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        order = _order(shop, body.order_id)
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
        fulfil(merchant(shop, request), picks, tracking, notify=False)
        return _order_view(order)

    @router.post("/shops/{domain}/orders/cancel")
    async def cancel(domain: str, body: CancelRequest, request: Request) -> JSON:
        shop = shop_of(domain)
        order = _order(shop, body.order_id)
        if order.cancelled_at is not None:
            raise HTTPException(409, "already cancelled")
        cancel_order(merchant(shop, request), order, body.reason, body.restock)
        return _order_view(order)

    @router.get("/webhooks/deliveries")
    async def deliveries(shop: str | None = None, topic: str | None = None) -> list[JSON]:
        return [
            d.summary()
            for d in sandbox.webhooks.deliveries
            if (shop is None or d.shop == shop) and (topic is None or d.topic == topic)
        ]

    @router.put("/shops/{domain}/webhook-faults")
    async def webhook_faults(domain: str, body: WebhookFaults) -> JSON:
        shop_of(domain)
        sandbox.faults.webhook[domain] = body
        return body.model_dump()

    @router.post("/faults", status_code=201)
    async def add_fault(body: FaultRule) -> JSON:
        sandbox.faults.rules.append(body)
        return {"index": len(sandbox.faults.rules) - 1, **body.model_dump()}

    @router.get("/faults")
    async def faults() -> list[JSON]:
        return [r.model_dump() for r in sandbox.faults.rules]

    @router.delete("/faults")
    async def clear_faults() -> Response:
        sandbox.faults.rules.clear()
        return Response(status_code=204)

    @router.get("/requests")
    async def requests(shop: str | None = None) -> list[JSON]:
        return [r for r in sandbox.request_log if shop is None or r["shop"] == shop]

    @router.get("/bulk-results/{domain}/{number}.jsonl")
    async def bulk_result(domain: str, number: int) -> Response:
        shop = shop_of(domain)
        op = next((o for o in shop.bulk_operations if o.id.endswith(f"/{number}")), None)
        if op is None or op.result is None:
            raise HTTPException(404, "no such result")
        return Response(op.result, media_type="application/jsonl")

    return router


def _order(shop: Shop, order_id: str) -> Order:
    order = shop.orders.get(order_id)
    if order is None:
        raise HTTPException(404, f"unknown order {order_id}")
    return order


def _shop_view(shop: Shop) -> JSON:
    return {
        "domain": shop.domain,
        "plan": shop.plan.name,
        "restore_rate": shop.plan.restore_rate,
        "bucket_size": shop.plan.maximum,
        "currency": shop.currency,
        "locations": [{"id": loc.id, "name": loc.name} for loc in shop.locations.values()],
        "products": len(shop.products),
        "orders": len(shop.orders),
    }


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
