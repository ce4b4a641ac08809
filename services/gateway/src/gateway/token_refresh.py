"""Refreshing platform tokens before they expire, and publishing the connection's new state.

Only the gateway holds refresh tokens, so only it refreshes (rotating refresh tokens must not
be used by two services at once); the other services receive the new access token by event.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from connector_connections.replica import load_connection
from connector_runtime.jobs import PeriodicJob
from shopify import ShopifyError
from tiktok_shop import TikTokShopError

from gateway.core.connecting import with_shopify_token, with_tiktok_token
from gateway.platforms import Deps
from gateway.publishing import publish
from gateway.store import due_for_refresh, save_secrets

log = structlog.get_logger()


async def refresh_tokens(runtime: Any) -> None:
    """Refresh every token expiring within the configured lead time."""
    deps: Deps = runtime.deps
    horizon = deps.now() + timedelta(seconds=deps.settings.token_refresh_ahead_seconds)
    async with deps.pool.acquire() as db:
        due = await due_for_refresh(db, horizon)
    for connection_id, platform in due:
        try:
            await _refresh(deps, connection_id, platform)
        except (TikTokShopError, ShopifyError) as exc:
            log.warning(
                "token.refresh_failed",
                connection_id=connection_id,
                platform=platform,
                error=str(exc),
            )


async def _refresh(deps: Deps, connection_id: str, platform: str) -> None:
    settings = deps.settings
    box = settings.secret_box()
    async with deps.pool.acquire() as db:
        c = await load_connection(db, connection_id)
        secrets = await db.fetchrow(
            "SELECT tiktok_refresh_token, shopify_refresh_token FROM connection_secrets"
            " WHERE connection_id = $1",
            connection_id,
        )
        if c is None or secrets is None:
            return
        if platform == "tiktok":
            async with deps.tiktok_app() as client:
                tokens = await client.oauth.refresh_token(box.open(secrets["tiktok_refresh_token"]))
            updated = with_tiktok_token(
                c,
                box.seal(tokens.access_token.get_secret_value()),
                datetime.fromtimestamp(tokens.access_token_expire_in, UTC),
            )
            async with db.transaction():
                await publish(db, settings, updated)
                await save_secrets(
                    db,
                    connection_id,
                    tiktok_refresh_token=box.seal(tokens.refresh_token.get_secret_value()),
                    tiktok_refresh_expires_at=datetime.fromtimestamp(
                        tokens.refresh_token_expire_in, UTC
                    ),
                )
        else:
            token = await deps.shopify_oauth().refresh(
                c.shopify_shop_domain, box.open(secrets["shopify_refresh_token"])
            )
            async with db.transaction():
                await publish(db, settings, with_shopify_token(c, box.seal(token.access_token)))
                await save_secrets(
                    db,
                    connection_id,
                    shopify_refresh_token=box.seal(token.refresh_token)
                    if token.refresh_token
                    else None,
                    shopify_access_expires_at=token.expires_at,
                )
    log.info("token.refreshed", connection_id=connection_id, platform=platform)


TOKEN_REFRESH = PeriodicJob(
    name="token-refresh",
    interval_seconds=lambda settings: settings.token_refresh_interval_seconds,
    run=refresh_tokens,
)
