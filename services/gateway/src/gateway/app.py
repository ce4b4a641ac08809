"""Composition of the gateway service."""

from connector_contracts import (
    ConnectionChanged,
    InventoryChanged,
    OrderAddressChanged,
    OrderCancellationChanged,
    OrderPackagesChanged,
    OrderReturnChanged,
    OrderStatusChanged,
    ShopifyBulkOperationFinished,
    ShopifyCustomerDataRequested,
    ShopifyCustomerRedactRequested,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyProductChanged,
    ShopifyRefundCreated,
    ShopifyShopRedactRequested,
    TikTokActivityChanged,
    TikTokProductChanged,
)
from connector_runtime.service import ServiceSpec
from fastapi import APIRouter, Depends

from gateway.api import (
    auth,
    connections,
    home,
    password_links,
    proxy,
    regions,
    tasks,
    users,
    webhooks,
)
from gateway.api.identity import login_gate
from gateway.handlers import build_events
from gateway.mail import mail_worker
from gateway.platforms import Deps
from gateway.settings import GatewaySettings
from gateway.token_refresh import TOKEN_REFRESH


def build_spec(settings: GatewaySettings, deps: Deps | None = None) -> ServiceSpec:
    """Describe the service: API routers, read-model handlers and what it publishes (`deps`:
    the gateway's resources, real platform clients unless a test passes its own)."""
    return ServiceSpec(
        name="gateway",
        migrations=["connector_connections", "gateway"],
        events=build_events(),
        # The proxy's catch-all routes come last so the gateway's own routes win.
        api=[
            auth.router,
            password_links.router,
            users.router,
            webhooks.router,
            _behind_login(
                connections.router, regions.router, home.router, tasks.router, proxy.router
            ),
        ],
        publishes=[
            ConnectionChanged,
            OrderStatusChanged,
            OrderCancellationChanged,
            OrderReturnChanged,
            OrderPackagesChanged,
            OrderAddressChanged,
            ShopifyFulfillmentCreated,
            ShopifyOrderCancelled,
            ShopifyRefundCreated,
            ShopifyProductChanged,
            ShopifyBulkOperationFinished,
            ShopifyCustomerDataRequested,
            ShopifyCustomerRedactRequested,
            ShopifyShopRedactRequested,
            TikTokProductChanged,
            TikTokActivityChanged,
            InventoryChanged,
        ],
        jobs=[TOKEN_REFRESH],
        workers=[mail_worker(settings)],
        description="Connections (OAuth, tokens), platform webhooks in, and the public API routing.",
        deps=deps or Deps(settings=settings),
    )


def _behind_login(*routers: APIRouter) -> APIRouter:
    """The routers whose `/api/v1` routes need a login when `GATEWAY_REQUIRE_LOGIN` is on."""
    gated = APIRouter(dependencies=[Depends(login_gate)])
    for router in routers:
        gated.include_router(router)
    return gated
