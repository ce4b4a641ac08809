"""What every /_sandbox route looks up: the sandbox, a shop by domain, the merchant's context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from shopify_sandbox.records import Order
from shopify_sandbox.shop import Shop
from shopify_sandbox.state import Context, Sandbox


def sandbox_of(request: Request) -> Sandbox:
    """The sandbox serving this request."""
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


SandboxDep = Annotated[Sandbox, Depends(sandbox_of)]


def shop_of(sandbox: Sandbox, domain: str) -> Shop:
    """The shop at `domain`, or 404."""
    shop = sandbox.shops.get(domain)
    if shop is None:
        raise HTTPException(404, f"unknown shop {domain}")
    return shop


def order_of(shop: Shop, order_id: str) -> Order:
    """The shop's order `order_id`, or 404."""
    order = shop.orders.get(order_id)
    if order is None:
        raise HTTPException(404, f"unknown order {order_id}")
    return order


def merchant(sandbox: Sandbox, shop: Shop, request: Request) -> Context:
    """The context a merchant action in the shop's admin runs in."""
    # Merchant actions run with the first installed app's view; webhooks go to every app.
    app = next(iter(sandbox.apps.values()), None)
    if app is None:
        raise HTTPException(409, "create an app first")
    return Context(sandbox, shop, app, "2026-01", f"{request.url.scheme}://{request.url.netloc}")
