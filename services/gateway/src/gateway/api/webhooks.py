"""Platform webhooks: verified, deduplicated, translated once into contract events."""

import structlog
from connector_contracts import new_envelope
from connector_runtime import metrics
from connector_runtime.outbox import write_outbox
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import ValidationError
from tiktok_shop.webhook_events import InvalidWebhookSignature, parse_webhook

from gateway.api.deps import Db, Settings
from gateway.core.tiktok_webhooks import ORDER_STATUS_CHANGE, dedupe_key, to_order_status_changed
from gateway.store import claim_webhook, connection_for_tiktok_shop

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
log = structlog.get_logger()

ROUTE = "/webhooks/tiktok"


def _reject(status: int, detail: str) -> HTTPException:
    metrics.HTTP_REJECTED.labels("gateway", ROUTE, str(status)).inc()
    log.warning("webhook.rejected", platform="tiktok", status=status, reason=detail)
    return HTTPException(status, detail)


@router.post(
    "/tiktok",
    status_code=200,
    response_class=Response,
    responses={
        200: {"description": "Accepted (or a duplicate of an accepted notification)"},
        400: {"description": "Body is not a TikTok webhook; the detail names the problem"},
        401: {"description": "Signature (Authorization header) does not match the body"},
        404: {"description": "No connection for this TikTok shop"},
    },
)
async def tiktok_webhook(request: Request, db: Db, settings: Settings) -> Response:
    """Receive a TikTok Shop webhook (signature verified on the raw body, reference A8)."""
    body = await request.body()
    secret = settings.tiktok_app_secret.get_secret_value()
    try:
        webhook = parse_webhook(
            settings.tiktok_app_key, secret, body, request.headers.get("authorization")
        )
        event = to_order_status_changed(webhook) if webhook.type == ORDER_STATUS_CHANGE else None
    except InvalidWebhookSignature:
        metrics.HTTP_REJECTED.labels("gateway", ROUTE, "401").inc()
        log.warning("webhook.rejected", platform="tiktok", status=401, reason="bad signature")
        return Response(status_code=401)  # TikTok expects an empty 401 (reference A8)
    except (ValidationError, ValueError) as exc:
        raise _reject(400, f"invalid TikTok webhook: {exc}") from exc
    if event is None:
        log.info("webhook.ignored", platform="tiktok", type=webhook.type)
        return Response(status_code=200)
    async with db.transaction():
        connection_id = await connection_for_tiktok_shop(db, webhook.shop_id)
        if connection_id is None:
            raise _reject(404, f"no connection for TikTok shop {webhook.shop_id}")
        if await claim_webhook(db, "tiktok", dedupe_key(webhook)):
            envelope = new_envelope(event, connection_id=connection_id)
            await write_outbox(db, settings, envelope)
            log.info(
                "webhook.accepted",
                platform="tiktok",
                order_id=event.tiktok_order_id,
                correlation_id=envelope.correlation_id,
            )
        else:
            log.info("webhook.duplicate", platform="tiktok", key=dedupe_key(webhook))
    return Response(status_code=200)
