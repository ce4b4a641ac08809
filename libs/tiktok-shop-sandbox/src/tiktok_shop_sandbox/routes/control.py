"""Control plane (unsigned JSON under /_sandbox): apps, shops, tokens, faults, chaos, inspection."""

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from tiktok_shop_sandbox.faults import FaultRule
from tiktok_shop_sandbox.gate import sandbox_of
from tiktok_shop_sandbox.ids import opaque
from tiktok_shop_sandbox.logistics import (
    currency_of,
    default_shipping_templates,
    default_warehouses,
)
from tiktok_shop_sandbox.state import App, JsonDict, Shop, Warehouse
from tiktok_shop_sandbox.tokens import issue_auth_code, issue_tokens
from tiktok_shop_sandbox.views import order_view, product_view, size_chart_view
from tiktok_shop_sandbox.webhooks import WebhookChaos

router = APIRouter(prefix="/_sandbox")
# Every new seller starts with these templates, as if made in Seller Center.
DEFAULT_SIZE_CHARTS = ("Womenswear sizes", "Menswear sizes")


class NewApp(BaseModel):
    """Create an app; key/secret are generated when omitted."""

    app_key: str | None = None
    app_secret: str | None = None
    webhook_url: str | None = None


class NewShop(BaseModel):
    """Create a shop authorized to an app; `seller_id` groups shops under one token."""

    app_key: str
    region: str = "US"
    name: str | None = None
    shop_id: str | None = None
    cipher: str | None = None
    seller_id: str | None = None
    warehouse_count: int = 1
    issue_tokens: bool = True


class TokenRequest(BaseModel):
    """Issue tokens for a shop's seller; `access_ttl_seconds` may be 0 or negative (expired)."""

    access_ttl_seconds: int | None = None


class WebhookUrl(BaseModel):
    """The app-wide webhook URL (Partner Center); None unsubscribes."""

    url: str | None


class AuditHold(BaseModel):
    """Hold a shop's product reviews until the control plane decides them."""

    hold: bool


class NewSizeChart(BaseModel):
    """A size chart template the seller makes in Seller Center."""

    name: str


class QpsLimits(BaseModel):
    """QPS per API ("METHOD /path/template") and the default."""

    default_qps: float = 50.0
    qps_per_api: dict[str, float] = {}


@router.post("/reset")
async def reset(request: Request) -> JsonDict:
    """Forget every app, shop, product, order and fault."""
    sandbox = sandbox_of(request)
    sandbox.world.reset()
    sandbox.faults.rules.clear()
    sandbox.webhooks.chaos = WebhookChaos()
    sandbox.webhooks.deliveries.clear()
    sandbox.webhooks.dropped.clear()
    settings = sandbox.settings
    sandbox.quota.configure(settings.default_qps, settings.qps_per_api)
    return {"ok": True}


@router.post("/apps")
async def create_app_record(body: NewApp, request: Request) -> JsonDict:
    """Register an app and return its credentials."""
    world = sandbox_of(request).world
    app = App(body.app_key or opaque("app", 6), body.app_secret or opaque("", 24), body.webhook_url)
    world.apps[app.key] = app
    return {"app_key": app.key, "app_secret": app.secret, "webhook_url": app.webhook_url}


@router.put("/apps/{app_key}/webhook")
async def set_app_webhook(app_key: str, body: WebhookUrl, request: Request) -> JsonDict:
    """Set the app-wide webhook URL used when a shop has no per-topic subscription."""
    app = _app(request, app_key)
    app.webhook_url = body.url
    return {"app_key": app.key, "webhook_url": app.webhook_url}


@router.post("/shops")
async def create_shop(body: NewShop, request: Request) -> JsonDict:
    """Create a shop (with warehouses) and, by default, tokens for its seller."""
    sandbox = sandbox_of(request)
    world = sandbox.world
    app = _app(request, body.app_key)
    shop_id = body.shop_id or world.ids.next()
    region = body.region.upper()
    shop = Shop(
        id=shop_id,
        app_key=app.key,
        seller_id=body.seller_id or world.ids.next(),
        cipher=body.cipher or opaque("ROW_", 18),
        region=region,
        name=body.name or f"Sandbox shop {shop_id}",
        code=opaque("", 6).upper(),
        currency=currency_of(region),
        warehouses=default_warehouses(world.ids, body.warehouse_count),
        shipping_templates=default_shipping_templates(world.ids),
    )
    world.shops[shop.id] = shop
    if not world.seller_size_charts(shop.seller_id):
        for name in DEFAULT_SIZE_CHARTS:
            world.add_size_chart(shop, name)
    charts = world.seller_size_charts(shop.seller_id)
    result = shop_view(shop) | {"size_charts": [size_chart_view(t) for t in charts]}
    if body.issue_tokens:
        result["tokens"] = issue_tokens(sandbox, app, shop.seller_id)
    return result


class NewWarehouse(BaseModel):
    """A warehouse the seller adds to a shop in Seller Center."""

    name: str
    type: str = "SALES_WAREHOUSE"


@router.post("/shops/{shop_id}/warehouses")
async def add_warehouse(shop_id: str, body: NewWarehouse, request: Request) -> JsonDict:
    """The seller adds a warehouse to a shop (Get Warehouse List then lists it)."""
    world = sandbox_of(request).world
    warehouse = Warehouse(world.ids.next(), body.name, type=body.type)
    world.shop(shop_id).warehouses.append(warehouse)
    return asdict(warehouse)


@router.post("/shops/{shop_id}/size_charts")
async def add_size_chart(shop_id: str, body: NewSizeChart, request: Request) -> JsonDict:
    """The seller makes a size chart template (Search Size Charts then finds it)."""
    world = sandbox_of(request).world
    return size_chart_view(world.add_size_chart(world.shop(shop_id), body.name))


@router.post("/shops/{shop_id}/tokens")
async def shop_tokens(shop_id: str, body: TokenRequest, request: Request) -> JsonDict:
    """Issue a fresh token pair for the shop's seller."""
    sandbox = sandbox_of(request)
    shop = sandbox.world.shop(shop_id)
    return issue_tokens(
        sandbox, _app(request, shop.app_key), shop.seller_id, body.access_ttl_seconds
    )


@router.post("/shops/{shop_id}/auth_codes")
async def shop_auth_code(shop_id: str, request: Request) -> JsonDict:
    """The seller authorizes the app for this shop (picked on the authorize page, as a seller
    with several EU shops does) and TikTok redirects with a one-time code (`?code=`); a shop
    the seller had deauthorized is authorized again."""
    sandbox = sandbox_of(request)
    shop = sandbox.world.shop(shop_id)
    shop.authorized = True
    app = _app(request, shop.app_key)
    return {"code": issue_auth_code(sandbox, app, shop.seller_id, frozenset({shop.id}))}


@router.post("/shops/{shop_id}/deauthorize")
async def deauthorize(shop_id: str, request: Request) -> JsonDict:
    """The seller revokes the app: tokens stop working and webhook 6 is sent."""
    sandbox = sandbox_of(request)
    shop = sandbox.world.shop(shop_id)
    sandbox.notify(shop, 6, {"message": "The seller has deauthorized the app."})
    shop.authorized = False
    # Grants of this shop alone end; the seller's grants of other shops keep working.
    for token in sandbox.world.tokens.values():
        if token.app_key != shop.app_key or token.seller_id != shop.seller_id:
            continue
        if token.shop_ids == frozenset({shop.id}) or not sandbox.world.token_shops(token):
            token.revoked = True
    return {"ok": True}


@router.get("/shops/{shop_id}")
async def inspect_shop(shop_id: str, request: Request) -> JsonDict:
    """Everything the connector did to one shop: products, orders, activities, webhooks."""
    world = sandbox_of(request).world
    shop = world.shop(shop_id)
    return shop_view(shop) | {
        "size_charts": [size_chart_view(t) for t in world.seller_size_charts(shop.seller_id)],
        "products": [
            product_view(p, files=world.files)
            for p in world.products.values()
            if p.shop_id == shop_id
        ],
        "orders": [order_view(o) for o in world.orders.values() if o.shop_id == shop_id],
        "cancellations": [asdict(c) for c in world.cancellations.values() if c.shop_id == shop_id],
        "returns": [asdict(r) for r in world.returns.values() if r.shop_id == shop_id],
        "activities": [asdict(a) for a in world.activities.values() if a.shop_id == shop_id],
        "webhooks": {k: v[0] for k, v in shop.webhooks.items()},
    }


@router.put("/qps")
async def set_qps(body: QpsLimits, request: Request) -> JsonDict:
    """Change the QPS limits."""
    sandbox_of(request).quota.configure(body.default_qps, body.qps_per_api)
    return body.model_dump()


@router.put("/faults")
async def set_faults(rules: list[FaultRule], request: Request) -> list[FaultRule]:
    """Replace the fault rules (first matching rule applies)."""
    sandbox_of(request).faults.rules = list(rules)
    return rules


@router.get("/faults")
async def faults(request: Request) -> list[FaultRule]:
    """The fault rules, each with how many faults it has injected (`fired`)."""
    return sandbox_of(request).faults.rules


@router.delete("/faults")
async def clear_faults(request: Request) -> JsonDict:
    """Remove every fault rule."""
    sandbox_of(request).faults.rules.clear()
    return {"ok": True}


@router.put("/webhooks/chaos")
async def set_chaos(body: WebhookChaos, request: Request) -> WebhookChaos:
    """Set webhook duplicate / reorder / drop probabilities."""
    sandbox_of(request).webhooks.chaos = body
    return body


@router.get("/webhooks/deliveries")
async def deliveries(request: Request, shop_id: str | None = None) -> JsonDict:
    """Every webhook delivery attempt (and notifications dropped by chaos)."""
    dispatcher = sandbox_of(request).webhooks
    attempts = [asdict(d) for d in dispatcher.deliveries if shop_id in (None, d.shop_id)]
    return {"deliveries": attempts, "dropped": dispatcher.dropped}


def _app(request: Request, app_key: str) -> App:
    app = sandbox_of(request).world.apps.get(app_key)
    if app is None:
        raise HTTPException(404, f"unknown app {app_key}")
    return app


def shop_view(shop: Shop) -> JsonDict:
    """Control-plane view of a shop."""
    return {
        "shop_id": shop.id,
        "app_key": shop.app_key,
        "seller_id": shop.seller_id,
        "cipher": shop.cipher,
        "region": shop.region,
        "name": shop.name,
        "currency": shop.currency,
        "authorized": shop.authorized,
        "warehouses": [asdict(w) for w in shop.warehouses],
        "shipping_templates": [asdict(t) for t in shop.shipping_templates],
    }


@router.get("/global_products/{global_product_id}")
async def inspect_global_product(global_product_id: str, request: Request) -> JsonDict:
    """A global product: its body, global SKUs and the regions it is published to."""
    record: dict[str, Any] | None = sandbox_of(request).world.global_products.get(global_product_id)
    if record is None:
        raise HTTPException(404, f"unknown global product {global_product_id}")
    return {
        "id": global_product_id,
        "title": record["body"].get("title", ""),
        "global_skus": [{"id": s["id"], "seller_sku": s["seller_sku"]} for s in record["skus"]],
        "published": record["published"],
    }


@router.put("/shops/{shop_id}/audit_hold")
async def hold_audits(shop_id: str, body: AuditHold, request: Request) -> JsonDict:
    """Keep the shop's new reviews PENDING (True) or let them finish on their own (False)."""
    world = sandbox_of(request).world
    if shop_id not in world.shops:
        raise HTTPException(404, f"unknown shop {shop_id}")
    if body.hold:
        world.audit_held_shops.add(shop_id)
    else:
        world.audit_held_shops.discard(shop_id)
    return {"shop_id": shop_id, "hold": body.hold}


@router.get("/compliance/{kind}/{entity_id}")
async def inspect_compliance_entity(kind: str, entity_id: str, request: Request) -> JsonDict:
    """A manufacturer or responsible person (`kind`: manufacturers, responsible_persons)."""
    world = sandbox_of(request).world
    stores = {
        "manufacturers": world.manufacturers,
        "responsible_persons": world.responsible_persons,
    }
    entity = stores.get(kind, {}).get(entity_id)
    if entity is None:
        raise HTTPException(404, f"unknown {kind} {entity_id}")
    return dict(entity)
