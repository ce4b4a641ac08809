"""Refreshing platform tokens before they expire, and publishing the connection's new state.

Only the gateway holds refresh tokens, so only it refreshes (rotating refresh tokens must not
be used by two services at once); the other services receive the new access token by event.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged
from connector_runtime.jobs import PeriodicJob
from shopify import ShopifyError
from shopify.errors import ShopifyAuthError
from tiktok_shop import TikTokShopError
from tiktok_shop.errors import CredentialError, InvalidSign

from gateway import metrics
from gateway.core.connecting import needs_reauthorization, with_shopify_token, with_tiktok_token
from gateway.platforms import Deps
from gateway.publishing import publish
from gateway.store import due_for_refresh, save_secrets, save_shop_secret

log = structlog.get_logger()


async def refresh_tokens(runtime: Any) -> None:
    """Refresh every token expiring within the configured lead time."""
    deps: Deps = runtime.deps
    horizon = deps.now() + timedelta(seconds=deps.settings.token_refresh_ahead_seconds)
    async with deps.pool.acquire() as db:
        due = await due_for_refresh(db, horizon)
    for connection_id, platform, shop_id in due:
        try:
            if shop_id is None:
                await _refresh_shopify(deps, connection_id)
            else:
                await _refresh_tiktok_shop(deps, connection_id, shop_id)
        except (CredentialError, ShopifyAuthError) as exc:
            if isinstance(exc, InvalidSign):
                raise  # our app secret is wrong: a configuration error, not the merchant's
            metrics.TOKEN_REFRESH_FAILURES.labels(platform, "refused").inc()
            await _mark_refused(deps, connection_id, platform, shop_id, exc)
        except (TikTokShopError, ShopifyError) as exc:
            metrics.TOKEN_REFRESH_FAILURES.labels(platform, "unavailable").inc()
            log.warning(
                "token.refresh_failed",
                connection_id=connection_id,
                platform=platform,
                tiktok_shop_id=shop_id,
                error=str(exc),
            )


_PLATFORM_NAMES = {"tiktok": "TikTok Shop", "shopify": "Shopify"}


async def _mark_refused(
    deps: Deps, connection_id: str, platform: str, shop_id: str | None, error: Exception
) -> None:
    """The platform no longer accepts the refresh token (revoked, e.g. by a refresh whose answer
    was lost): the connection (for TikTok, that shop's region) says so and waits for the
    merchant to authorize again, instead of staying 'active' with dead tokens."""
    name = _PLATFORM_NAMES[platform]
    problem = (
        f"{name} no longer accepts this connection's authorization ({error}). "
        f"Authorize the {name} account again to resume syncing."
    )
    async with deps.pool.acquire() as db, db.transaction():
        c = await load_connection(db, connection_id)
        if c is None or _token_of(c, shop_id) is None:
            return  # already marked: the next refresh that works restores it
        await publish(db, deps.settings, needs_reauthorization(c, platform, problem, shop_id))
    log.error(
        "token.refresh_refused",
        connection_id=connection_id,
        platform=platform,
        tiktok_shop_id=shop_id,
        error=str(error),
    )


def _token_of(c: ConnectionChanged, shop_id: str | None) -> str | None:
    """The sealed access token of the Shopify store (shop None) or of one TikTok shop."""
    if shop_id is None:
        return c.shopify_access_token
    return next((g.access_token for g in c.tiktok_shops if g.shop_id == shop_id), None)


async def _refresh_tiktok_shop(deps: Deps, connection_id: str, shop_id: str) -> None:
    """Refresh one TikTok shop's grant and publish its new token (the other shops keep theirs)."""
    settings = deps.settings
    box = settings.secret_box()
    async with deps.pool.acquire() as db:
        c = await load_connection(db, connection_id)
        sealed = await db.fetchval(
            "SELECT refresh_token FROM shop_secrets"
            " WHERE connection_id = $1 AND tiktok_shop_id = $2",
            connection_id,
            shop_id,
        )
        if c is None or sealed is None:
            return
        async with deps.tiktok_app() as client:
            tokens = await client.oauth.refresh_token(box.open(sealed))
        updated = with_tiktok_token(
            c,
            box.seal(tokens.access_token.get_secret_value()),
            datetime.fromtimestamp(tokens.access_token_expire_in, UTC),
            shop_id=shop_id,
            recovered=_token_of(c, shop_id) is None,
        )
        async with db.transaction():
            await publish(db, settings, updated)
            await save_shop_secret(
                db,
                connection_id,
                shop_id,
                box.seal(tokens.refresh_token.get_secret_value()),
                datetime.fromtimestamp(tokens.refresh_token_expire_in, UTC),
            )
    log.info(
        "token.refreshed", connection_id=connection_id, platform="tiktok", tiktok_shop_id=shop_id
    )


async def _refresh_shopify(deps: Deps, connection_id: str) -> None:
    settings = deps.settings
    box = settings.secret_box()
    async with deps.pool.acquire() as db:
        c = await load_connection(db, connection_id)
        secret = await db.fetchval(
            "SELECT shopify_refresh_token FROM connection_secrets WHERE connection_id = $1",
            connection_id,
        )
        if c is None or secret is None:
            return
        token = await deps.shopify_oauth().refresh(c.shopify_shop_domain, box.open(secret))
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
                shopify_refresh_expires_at=token.refresh_token_expires_at,
            )
    log.info("token.refreshed", connection_id=connection_id, platform="shopify")


TOKEN_REFRESH = PeriodicJob(
    name="token-refresh",
    interval_seconds=lambda settings: settings.token_refresh_interval_seconds,
    run=refresh_tokens,
)
