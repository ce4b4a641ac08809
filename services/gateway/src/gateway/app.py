"""Composition of the gateway service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from connector_contracts import (
    ConnectionChanged,
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
    TikTokProductChanged,
)
from connector_runtime.service import ServiceSpec
from fastapi import APIRouter, FastAPI

from gateway.api import connections, proxy, webhooks
from gateway.handlers import build_events
from gateway.settings import GatewaySettings
from gateway.token_refresh import TOKEN_REFRESH


def build_spec(settings: GatewaySettings) -> ServiceSpec:
    """Describe the service: API routers, read-model handlers and what it publishes."""
    return ServiceSpec(
        name="gateway",
        migrations=["connector_connections", "gateway"],
        events=build_events(),
        # The proxy's catch-all routes come last so the gateway's own routes win.
        api=[connections.router, webhooks.router, _proxy_router()],
        publishes=[
            ConnectionChanged,
            OrderStatusChanged,
            OrderCancellationChanged,
            OrderReturnChanged,
            OrderPackagesChanged,
            ShopifyFulfillmentCreated,
            ShopifyOrderCancelled,
            ShopifyRefundCreated,
            ShopifyProductChanged,
            ShopifyBulkOperationFinished,
            ShopifyCustomerDataRequested,
            ShopifyCustomerRedactRequested,
            ShopifyShopRedactRequested,
            TikTokProductChanged,
        ],
        jobs=[TOKEN_REFRESH],
        description="Connections (OAuth, tokens), platform webhooks in, and the public API routing.",
    )


def _proxy_router() -> APIRouter:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Idle connections are dropped before the services' own 5 s keep-alive ends, so a
        # request never goes out on a socket the other side is closing; refused connects retry.
        async with httpx.AsyncClient(
            timeout=30,
            limits=httpx.Limits(keepalive_expiry=2.0),
            transport=httpx.AsyncHTTPTransport(retries=1),
        ) as http:
            app.state.proxy_http = http
            yield

    router = APIRouter(lifespan=lifespan)
    router.include_router(proxy.router)
    return router
