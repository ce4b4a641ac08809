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
from shopify.errors import ShopifyAuthError
from tiktok_shop import TikTokShopError
from tiktok_shop.errors import CredentialError, InvalidSign

from gateway import metrics
from gateway.core.connecting import needs_reauthorization, with_shopify_token, with_tiktok_token
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
        except (CredentialError, ShopifyAuthError) as exc:
            if isinstance(exc, InvalidSign):
                raise  # our app secret is wrong: a configuration error, not the merchant's
            metrics.TOKEN_REFRESH_FAILURES.labels(platform, "refused").inc()
            await _mark_refused(deps, connection_id, platform, exc)
        except (TikTokShopError, ShopifyError) as exc:
            metrics.TOKEN_REFRESH_FAILURES.labels(platform, "unavailable").inc()
            log.warning(
                "token.refresh_failed",
                connection_id=connection_id,
                platform=platform,
                error=str(exc),
            )


_PLATFORM_NAMES = {"tiktok": "TikTok Shop", "shopify": "Shopify"}


async def _mark_refused(deps: Deps, connection_id: str, platform: str, error: Exception) -> None:
    """The platform no longer accepts the refresh token (revoked, e.g. by a refresh whose answer
    was lost): the connection says so and waits for the merchant to authorize again, instead
    of staying 'active' with dead tokens."""
    name = _PLATFORM_NAMES[platform]
    problem = (
        f"{name} no longer accepts this connection's authorization ({error}). "
        f"Authorize the {name} account again to resume syncing."
    )
    async with deps.pool.acquire() as db, db.transaction():
        c = await load_connection(db, connection_id)
        if c is None or getattr(c, f"{platform}_access_token") is None:
            return  # already marked: the next refresh that works restores it
        await publish(db, deps.settings, needs_reauthorization(c, platform, problem))
    log.error(
        "token.refresh_refused", connection_id=connection_id, platform=platform, error=str(error)
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
                recovered=c.tiktok_access_token is None,
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
                updated = with_shopify_token(
                    c, box.seal(token.access_token), refreshed=c.shopify_access_token is not None
                )
                await publish(db, settings, updated)
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
