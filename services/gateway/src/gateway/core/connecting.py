"""How a connection's state moves as the merchant authorizes each platform."""

from collections.abc import Callable
from datetime import datetime

from connector_contracts import ConnectionChanged, ConnectionStatus


def new_connection(
    connection_id: str, name: str, shopify_shop_domain: str, tiktok_region: str
) -> ConnectionChanged:
    """A connection nobody has authorized yet."""
    return ConnectionChanged(
        connection_id=connection_id,
        revision=1,
        name=name,
        status=ConnectionStatus.PENDING,
        shopify_shop_domain=shopify_shop_domain,
        tiktok_region=tiktok_region,
    )


def _status(c: ConnectionChanged) -> ConnectionStatus:
    if c.status is ConnectionStatus.DISCONNECTED:
        return c.status
    both = c.shopify_access_token and c.tiktok_access_token and c.tiktok_shop_cipher
    return ConnectionStatus.ACTIVE if both else ConnectionStatus.PENDING


def _next(c: ConnectionChanged, **changes: object) -> ConnectionChanged:
    updated = c.model_copy(update={**changes, "revision": c.revision + 1})
    return updated.model_copy(update={"status": _status(updated)})


def with_shopify_token(
    c: ConnectionChanged, sealed_token: str, *, refreshed: bool = False
) -> ConnectionChanged:
    """The connection after the Shopify store authorized the app, or its token was refreshed
    (a refresh leaves another platform's authorization problem standing)."""
    problem = c.authorization_problem if refreshed else None
    return _next(c, shopify_access_token=sealed_token, authorization_problem=problem)


def with_tiktok_shop(
    c: ConnectionChanged, *, shop_id: str, cipher: str, sealed_token: str, expires_at: datetime
) -> ConnectionChanged:
    """The connection after the TikTok seller authorized the app for one shop."""
    return _next(
        c,
        tiktok_shop_id=shop_id,
        tiktok_shop_cipher=cipher,
        tiktok_access_token=sealed_token,
        tiktok_access_token_expires_at=expires_at,
        authorization_problem=None,
    )


def disconnected(c: ConnectionChanged) -> ConnectionChanged:
    """The connection after the app was uninstalled or the seller deauthorized it: its tokens
    are worthless now, and published as gone so every replica forgets them."""
    return _next(
        c, status=ConnectionStatus.DISCONNECTED, shopify_access_token=None, tiktok_access_token=None
    )


def needs_reauthorization(c: ConnectionChanged, platform: str, problem: str) -> ConnectionChanged:
    """The connection after a platform refused to refresh its authorization: that platform's
    token is worthless, so it is dropped (the connection is pending) and the reason shown."""
    token = "tiktok_access_token" if platform == "tiktok" else "shopify_access_token"
    return _next(c, **{token: None}, authorization_problem=problem)


def resealed(c: ConnectionChanged, reseal: Callable[[str], str]) -> ConnectionChanged:
    """The connection with its tokens sealed again (with the first key, after a rotation)."""
    return _next(
        c,
        shopify_access_token=reseal(c.shopify_access_token) if c.shopify_access_token else None,
        tiktok_access_token=reseal(c.tiktok_access_token) if c.tiktok_access_token else None,
    )


def pick_shop(shops: list[tuple[str, str, str]], region: str) -> tuple[str, str] | None:
    """Among authorized `(shop_id, cipher, region)`, the one for the connection's region."""
    matching = [s for s in shops if s[2].upper() == region.upper()]
    chosen = matching or (shops if len(shops) == 1 else [])
    return (chosen[0][0], chosen[0][1]) if chosen else None


def with_tiktok_token(
    c: ConnectionChanged, sealed_token: str, expires_at: datetime, *, recovered: bool = False
) -> ConnectionChanged:
    """The connection after its TikTok access token was refreshed (`recovered`: after a refusal
    had marked it, whose problem then no longer stands)."""
    problem = None if recovered else c.authorization_problem
    return _next(
        c,
        tiktok_access_token=sealed_token,
        tiktok_access_token_expires_at=expires_at,
        authorization_problem=problem,
    )
