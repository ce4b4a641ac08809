"""Platform webhooks: verified on the raw bytes, deduplicated, translated once into events."""

import json
from collections.abc import Sequence
from typing import Any

import structlog
from connector_connections.replica import (
    connection_for_tiktok_shop,
    connections_for_shopify_shop,
)
from connector_contracts import ConnectionChanged, ConnectionStatus, Event, new_envelope
from connector_runtime import metrics
from connector_runtime.db import Connection as Db_
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, HTTPException, Request, Response
from shopify import verify_webhook as verify_shopify
from tiktok_shop.webhook_events import InvalidWebhookSignature, parse_webhook

from gateway.api.deps import Pool, Settings
from gateway.core.connecting import disconnected, shop_deauthorized, with_region
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.tiktok_webhooks import dedupe_key
from gateway.core.webhook_routes import (
    SHOPIFY_APP_UNINSTALLED,
    SHOPIFY_TRANSLATORS,
    TIKTOK_DEAUTHORIZATION,
    TIKTOK_TRANSLATORS,
)
from gateway.custom_apps import signed_by_custom_app
from gateway.publishing import publish
from gateway.settings import GatewaySettings
from gateway.store import claim_webhook, forget_refresh_tokens, forget_shop_secret

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
log = structlog.get_logger()

RESPONSES: dict[int | str, dict[str, str]] = {
    200: {"description": "Accepted (or a duplicate of an accepted notification)"},
    400: {"description": "Not a valid webhook of this platform; the detail names the problem"},
    401: {"description": "Signature does not match the raw body"},
    404: {"description": "No connection for this shop"},
    408: {"description": "The body did not arrive in time"},
    413: {"description": "The body is larger than any webhook of this platform"},
    503: {"description": "The database is saturated; retry after `Retry-After` seconds"},
}

# The translators read REST bodies by key; a signed body of another shape fails in them with
# one of these, and is a malformed webhook (400), not a server error.
_SHAPE_ERRORS = (ValueError, TypeError, AttributeError, LookupError, OverflowError)


def _reject(route: str, status: int, detail: str) -> HTTPException:
    metrics.HTTP_REJECTED.labels("gateway", route, str(status)).inc()
    log.warning("webhook.rejected", route=route, status=status, reason=detail)
    return HTTPException(status, detail)


async def _accept(
    db: Db_,
    settings: GatewaySettings,
    platform: str,
    key: str,
    connections: Sequence[ConnectionChanged],
    events: Sequence[Event],
    disconnects: str | None = None,
) -> None:
    """Apply a webhook once, whatever the number of deliveries: publish its events to every
    connection it concerns (a Shopify store may have several), and disconnect what the webhook
    says lost its authorization (`disconnects`: "store", or the id of one TikTok shop)."""
    async with db.transaction():
        if not await claim_webhook(db, platform, key):
            log.info("webhook.duplicate", platform=platform, key=key)
            return
        for connection in connections:
            if disconnects is not None:
                await _disconnect(db, settings, connection, disconnects)
            for event in events:
                regional = with_region(event, connection)
                await write_outbox(
                    db, settings, new_envelope(regional, connection_id=connection.connection_id)
                )
        if not events:
            log.info("webhook.ignored", platform=platform, key=key)
        log.info(
            "webhook.accepted",
            platform=platform,
            key=key,
            events=[e.TYPE for e in events],
            connections=[c.connection_id for c in connections],
        )


async def _disconnect(
    db: Db_, settings: GatewaySettings, connection: ConnectionChanged, what: str
) -> None:
    """The Shopify store uninstalled the app ("store"), or the seller deauthorized one shop:
    that region only is disconnected, unless it was the connection's last one."""
    if what == "store":
        await publish(db, settings, disconnected(connection))
        await forget_refresh_tokens(db, connection.connection_id)
        return
    updated = shop_deauthorized(connection, what)
    await publish(db, settings, updated)
    await forget_shop_secret(db, connection.connection_id, what)
    if updated.status is ConnectionStatus.DISCONNECTED:
        await forget_refresh_tokens(db, connection.connection_id)
    log.info(
        "connection.shop_deauthorized",
        connection_id=connection.connection_id,
        tiktok_shop_id=what,
        status=updated.status.value,
    )


@router.post("/tiktok", status_code=200, response_class=Response, responses=RESPONSES)
async def tiktok_webhook(request: Request, pool: Pool, settings: Settings) -> Response:
    """Receive a TikTok Shop webhook (signature verified on the raw body, reference A8).

    Nothing touches the database before the signature and the payload check out."""
    route = "/webhooks/tiktok"
    body = await request.body()  # already bounded in size and time by the runtime's EdgeGuard
    try:
        webhook = parse_webhook(
            settings.tiktok_app_key,
            settings.tiktok_app_secret.get_secret_value(),
            body,
            request.headers.get("authorization"),
        )
        translate = TIKTOK_TRANSLATORS.get(webhook.type)
        events = translate(webhook) if translate else []
    except InvalidWebhookSignature:
        metrics.HTTP_REJECTED.labels("gateway", route, "401").inc()
        log.warning("webhook.rejected", route=route, status=401, reason="bad signature")
        return Response(status_code=401)  # TikTok expects an empty 401 (reference A8)
    except _SHAPE_ERRORS as exc:
        raise _reject(route, 400, f"invalid TikTok webhook: {exc}") from exc
    async with pool.connection() as db:
        connection = await connection_for_tiktok_shop(db, webhook.shop_id)
        if connection is None:
            raise _reject(route, 404, f"no connection for TikTok shop {webhook.shop_id}")
        await _accept(
            db,
            settings,
            "tiktok",
            dedupe_key(webhook),
            [connection],
            events,
            disconnects=webhook.shop_id if webhook.type == TIKTOK_DEAUTHORIZATION else None,
        )
    return Response(status_code=200)


@router.post("/shopify", status_code=200, response_class=Response, responses=RESPONSES)
async def shopify_webhook(request: Request, pool: Pool, settings: Settings) -> Response:
    """Receive a Shopify webhook (HMAC verified on the raw body, reference B8).

    Nothing touches the database before the HMAC and the payload check out, except the one
    read of a store's custom-app secrets when the connector's own secret did not sign it."""
    route = "/webhooks/shopify"
    body = await request.body()  # already bounded in size and time by the runtime's EdgeGuard
    secret = settings.shopify_client_secret.get_secret_value()
    signature = request.headers.get("x-shopify-hmac-sha256")
    shop_domain = request.headers.get("x-shopify-shop-domain", "")
    if not verify_shopify(body, signature, secret) and not await signed_by_custom_app(
        pool, settings, shop_domain, body, signature
    ):
        raise _reject(route, 401, "X-Shopify-Hmac-Sha256 does not match the body")
    try:
        webhook = ShopifyWebhook(
            topic=request.headers.get("x-shopify-topic", ""),
            shop_domain=request.headers.get("x-shopify-shop-domain", ""),
            webhook_id=request.headers.get("x-shopify-webhook-id", ""),
            api_version=request.headers.get("x-shopify-api-version"),
            triggered_at=request.headers.get("x-shopify-triggered-at"),
            body=_json(body),
        )
        if not (webhook.topic and webhook.shop_domain and webhook.webhook_id):
            raise ValueError("missing X-Shopify-Topic, -Shop-Domain or -Webhook-Id header")
        translate = SHOPIFY_TRANSLATORS.get(webhook.topic)
        events = translate(webhook) if translate else []
    except _SHAPE_ERRORS as exc:
        raise _reject(route, 400, f"invalid Shopify webhook: {exc}") from exc
    async with pool.connection() as db:
        connections = await connections_for_shopify_shop(db, webhook.shop_domain)
        if not connections:
            raise _reject(route, 404, f"no connection for Shopify store {webhook.shop_domain}")
        await _accept(
            db,
            settings,
            "shopify",
            webhook.webhook_id,
            connections,
            events,
            disconnects="store" if webhook.topic == SHOPIFY_APP_UNINSTALLED else None,
        )
    return Response(status_code=200)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("webhook JSON is nested too deeply") from None
