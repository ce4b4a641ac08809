"""/_sandbox routes that create shops and apps, change plans, issue tokens and uninstall."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, HTTPException

from shopify_sandbox.control_deps import SandboxDep, shop_of
from shopify_sandbox.control_models import (
    AppRequest,
    BulkRequest,
    PlanRequest,
    ShopRequest,
    TokenRequest,
    UninstallRequest,
)
from shopify_sandbox.plans import PLANS, Plan
from shopify_sandbox.rest_shapes import shop_json
from shopify_sandbox.shop import Shop

JSON = dict[str, Any]

shops_router = APIRouter()


@shops_router.post("/shops", status_code=201)
async def create_shop(body: ShopRequest, sandbox: SandboxDep) -> JSON:
    if body.plan not in PLANS:
        raise HTTPException(422, f"plan must be one of {sorted(PLANS)}")
    domain = body.domain or f"sandbox-{secrets.token_hex(4)}.myshopify.com"
    if domain in sandbox.shops:
        raise HTTPException(409, f"shop {domain} exists")
    shop = sandbox.create_shop(domain, body.plan, body.currency, body.locations)
    return _shop_view(shop)


@shops_router.get("/shops/{domain}")
async def get_shop(domain: str, sandbox: SandboxDep) -> JSON:
    return _shop_view(shop_of(sandbox, domain))


@shops_router.patch("/shops/{domain}")
async def change_plan(domain: str, body: PlanRequest, sandbox: SandboxDep) -> JSON:
    if body.plan not in PLANS:
        raise HTTPException(422, f"plan must be one of {sorted(PLANS)}")
    shop = shop_of(sandbox, domain)
    base = PLANS[body.plan]
    shop.set_plan(
        Plan(body.plan, body.restore_rate or base.restore_rate, body.bucket_size or base.maximum)
    )
    return _shop_view(shop)


@shops_router.put("/shops/{domain}/bulk")
async def set_bulk(domain: str, body: BulkRequest, sandbox: SandboxDep) -> JSON:
    """Limit the store's bulk slots, hold its exports RUNNING, or release them."""
    shop = shop_of(sandbox, domain)
    shop.bulk_max_concurrent, shop.bulk_held = body.max_concurrent, body.held
    if body.held:
        shop.bulk_released.clear()
    else:
        shop.bulk_released.set()
    running = [op.id for op in shop.bulk_operations if op.status in ("CREATED", "RUNNING")]
    return {"max_concurrent": shop.bulk_max_concurrent, "held": shop.bulk_held, "running": running}


@shops_router.post("/apps", status_code=201)
async def create_app(body: AppRequest, sandbox: SandboxDep) -> JSON:
    app = sandbox.create_app(body.scopes, body.client_id, body.client_secret, body.redirect_urls)
    return {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "scopes": app.scopes,
    }


@shops_router.post("/shops/{domain}/tokens", status_code=201)
async def issue_token(domain: str, body: TokenRequest, sandbox: SandboxDep) -> JSON:
    if body.client_id not in sandbox.apps:
        raise HTTPException(404, "unknown client_id")
    token = sandbox.issue_token(shop_of(sandbox, domain), body.client_id, expiring=body.expiring)
    return {
        "access_token": token.token,
        "scope": token.scope,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "refresh_token": token.refresh_token,
    }


@shops_router.post("/shops/{domain}/uninstall")
async def uninstall(domain: str, body: UninstallRequest, sandbox: SandboxDep) -> JSON:
    shop = shop_of(sandbox, domain)
    sandbox.emit(shop, "app/uninstalled", shop_json(shop.domain, shop.name, shop.currency))
    shop.installed_apps.discard(body.client_id)
    for token in [
        t for t in sandbox.tokens.values() if t.shop == domain and t.client_id == body.client_id
    ]:
        sandbox.tokens.pop(token.token, None)
    return {"ok": True}


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
