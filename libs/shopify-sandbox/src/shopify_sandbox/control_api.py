"""The control plane under /_sandbox: shops, apps, tokens, seeding, merchant actions, faults.

Routes are grouped by what they control (`control_shops`, `control_catalog`,
`control_orders`); this module holds the sandbox-wide ones and mounts them all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from shopify_sandbox.cdn import cdn_control_router
from shopify_sandbox.control_catalog import catalog_router
from shopify_sandbox.control_collections import collections_router
from shopify_sandbox.control_deps import SandboxDep, shop_of
from shopify_sandbox.control_orders import orders_router
from shopify_sandbox.control_shops import shops_router
from shopify_sandbox.faults import FaultRule, WebhookFaults

JSON = dict[str, Any]

sandbox_router = APIRouter()


@sandbox_router.get("/health")
async def health(sandbox: SandboxDep) -> JSON:
    return {"ok": True, "shops": len(sandbox.shops)}


@sandbox_router.post("/reset")
async def reset(sandbox: SandboxDep) -> JSON:
    sandbox.reset()
    return {"ok": True}


@sandbox_router.get("/webhooks/deliveries")
async def deliveries(
    sandbox: SandboxDep, shop: str | None = None, topic: str | None = None
) -> list[JSON]:
    return [
        d.summary()
        for d in sandbox.webhooks.deliveries
        if (shop is None or d.shop == shop) and (topic is None or d.topic == topic)
    ]


@sandbox_router.put("/shops/{domain}/webhook-faults")
async def webhook_faults(domain: str, body: WebhookFaults, sandbox: SandboxDep) -> JSON:
    shop_of(sandbox, domain)
    sandbox.faults.webhook[domain] = body
    return body.model_dump()


@sandbox_router.post("/faults", status_code=201)
async def add_fault(body: FaultRule, sandbox: SandboxDep) -> JSON:
    sandbox.faults.rules.append(body)
    return {"index": len(sandbox.faults.rules) - 1, **body.model_dump()}


@sandbox_router.get("/faults")
async def faults(sandbox: SandboxDep) -> list[JSON]:
    return [r.model_dump() for r in sandbox.faults.rules]


@sandbox_router.delete("/faults")
async def clear_faults(sandbox: SandboxDep) -> Response:
    sandbox.faults.rules.clear()
    return Response(status_code=204)


@sandbox_router.get("/requests")
async def requests(sandbox: SandboxDep, shop: str | None = None) -> list[JSON]:
    return [r for r in sandbox.request_log if shop is None or r["shop"] == shop]


@sandbox_router.get("/bulk-results/{domain}/{number}.jsonl")
async def bulk_result(domain: str, number: int, sandbox: SandboxDep) -> Response:
    shop = shop_of(sandbox, domain)
    op = next((o for o in shop.bulk_operations if o.id.endswith(f"/{number}")), None)
    if op is None or op.result is None:
        raise HTTPException(404, "no such result")
    return Response(op.result, media_type="application/jsonl")


def control_router() -> APIRouter:
    """All /_sandbox routes; each route finds its sandbox in `app.state.sandbox`."""
    router = APIRouter(prefix="/_sandbox")
    for routes in (
        sandbox_router,
        shops_router,
        catalog_router,
        collections_router,
        orders_router,
        cdn_control_router,
    ):
        router.include_router(routes)
    return router
