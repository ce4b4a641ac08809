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


def with_shopify_token(c: ConnectionChanged, sealed_token: str) -> ConnectionChanged:
    """The connection after the Shopify store authorized the app."""
    return _next(c, shopify_access_token=sealed_token)


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
    )


def disconnected(c: ConnectionChanged) -> ConnectionChanged:
    """The connection after the app was uninstalled or the seller deauthorized it: its tokens
    are worthless now, and published as gone so every replica forgets them."""
    return _next(
        c, status=ConnectionStatus.DISCONNECTED, shopify_access_token=None, tiktok_access_token=None
    )


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
    c: ConnectionChanged, sealed_token: str, expires_at: datetime
) -> ConnectionChanged:
    """The connection after its TikTok access token was refreshed."""
    return _next(c, tiktok_access_token=sealed_token, tiktok_access_token_expires_at=expires_at)
