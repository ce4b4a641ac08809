"""Composition of the gateway service."""

from connector_contracts import (
    ConnectionChanged,
    InventoryChanged,
    OrderAddressChanged,
    OrderCancellationChanged,
    OrderInvoiceChanged,
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
    console,
    home,
    notification_settings,
    password_links,
    proxy,
    regions,
    task_stream,
    tasks,
    users,
    webhooks,
)
from gateway.api.identity import login_gate
from gateway.connection_removal import PENDING_EXPIRY
from gateway.handlers import build_events
from gateway.mail import mail_worker
from gateway.notifications import EXPIRY_REMINDER_JOB, digest_workers
from gateway.platforms import Deps
from gateway.settings import GatewaySettings
from gateway.token_refresh import TOKEN_REFRESH


def build_spec(settings: GatewaySettings, deps: Deps | None = None) -> ServiceSpec:
    """Describe the service: API routers, read-model handlers and what it publishes (`deps`:
    the gateway's resources, real platform clients unless a test passes its own)."""
    return ServiceSpec(
        name="gateway",
        migrations=["connector_connections", "gateway"],
        events=build_events(settings),
        # The proxy's catch-all routes come last so the gateway's own routes win.
        api=[
            auth.router,
            password_links.router,
            users.router,
            webhooks.router,
            console.router,
            _behind_login(notification_settings.router),
            _behind_login(
                connections.router,
                regions.router,
                home.router,
                # Before the task list: its /stream would otherwise be read as a task id.
                task_stream.router,
                tasks.router,
                proxy.router,
            ),
        ],
        publishes=[
            ConnectionChanged,
            OrderStatusChanged,
            OrderCancellationChanged,
            OrderReturnChanged,
            OrderPackagesChanged,
            OrderAddressChanged,
            OrderInvoiceChanged,
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
        jobs=[TOKEN_REFRESH, EXPIRY_REMINDER_JOB, PENDING_EXPIRY],
        workers=[mail_worker(settings), *digest_workers()],
        description="Connections (OAuth, tokens), platform webhooks in, and the public API routing.",
        deps=deps or Deps(settings=settings),
    )


def _behind_login(*routers: APIRouter) -> APIRouter:
    """The routers whose `/api/v1` routes need a login (or act for the bootstrap account in the
    single-account development mode), scoped to the caller's connections (ADR 0820)."""
    gated = APIRouter(dependencies=[Depends(login_gate)])
    for router in routers:
        gated.include_router(router)
    return gated
