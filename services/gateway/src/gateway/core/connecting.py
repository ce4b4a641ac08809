"""How a connection's state moves as the merchant authorizes the Shopify store and each
TikTok shop (region), and as tokens are refreshed, refused or revoked (ADR 0300)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    Event,
    ShopStatus,
    TikTokShopGrant,
)

_MIRROR = (
    "tiktok_shop_id",
    "tiktok_shop_cipher",
    "tiktok_access_token",
    "tiktok_access_token_expires_at",
)


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


def _live(g: TikTokShopGrant) -> bool:
    return g.status is ShopStatus.AUTHORIZED and g.access_token is not None


def _status(c: ConnectionChanged) -> ConnectionStatus:
    if c.status is ConnectionStatus.DISCONNECTED:
        return c.status
    both = c.shopify_access_token and any(_live(g) for g in c.tiktok_shops)
    return ConnectionStatus.ACTIVE if both else ConnectionStatus.PENDING


def _next(c: ConnectionChanged, **changes: Any) -> ConnectionChanged:
    """The next revision: validated again, so the default shop's mirror follows the shops."""
    data = {**c.model_dump(), **changes, "revision": c.revision + 1}
    if not data["tiktok_shops"]:
        data.update(dict.fromkeys(_MIRROR))
    updated = ConnectionChanged.model_validate(data)
    return updated.model_copy(update={"status": _status(updated)})


def _with_grants(
    c: ConnectionChanged, change: Callable[[TikTokShopGrant], TikTokShopGrant], shop_id: str | None
) -> list[TikTokShopGrant]:
    """The shops with `change` applied to one (`shop_id`; None: the default one)."""
    target = shop_id if shop_id is not None else c.tiktok_shop_id
    return [change(g) if g.shop_id == target else g for g in c.tiktok_shops]


def with_shopify_token(
    c: ConnectionChanged, sealed_token: str, *, refreshed: bool = False
) -> ConnectionChanged:
    """The connection after the Shopify store authorized the app, or its token was refreshed
    (a refresh leaves a standing Shopify problem to the recovery that clears it)."""
    problem = c.authorization_problem if refreshed else None
    return _next(c, shopify_access_token=sealed_token, authorization_problem=problem)


def with_tiktok_shop(
    c: ConnectionChanged,
    *,
    shop_id: str,
    cipher: str,
    sealed_token: str,
    expires_at: datetime,
    region: str | None = None,
    seller_id: str = "",
) -> ConnectionChanged:
    """The connection after the TikTok seller authorized the app for one shop: a new region
    (the first one is the default), or a region authorized again (its problem cleared)."""
    known = next((g for g in c.tiktok_shops if g.shop_id == shop_id), None)
    grant = TikTokShopGrant(
        shop_id=shop_id,
        region=(region or (known.region if known else c.tiktok_region)).upper(),
        cipher=cipher,
        seller_id=seller_id or (known.seller_id if known else ""),
        access_token=sealed_token,
        access_token_expires_at=expires_at,
    )
    if known is None:
        return _next(c, tiktok_shops=[*c.tiktok_shops, grant])
    return _next(c, tiktok_shops=_with_grants(c, lambda _: grant, shop_id))


def without_shop(c: ConnectionChanged, shop_id: str) -> ConnectionChanged:
    """The connection after the merchant removed one region (the next one becomes default)."""
    return _next(c, tiktok_shops=[g for g in c.tiktok_shops if g.shop_id != shop_id])


def disconnected(c: ConnectionChanged) -> ConnectionChanged:
    """The connection after the app was uninstalled or the seller deauthorized it: its tokens
    are worthless now, and published as gone so every replica forgets them."""
    gone = [
        g.model_copy(update={"access_token": None, "status": ShopStatus.DEAUTHORIZED})
        for g in c.tiktok_shops
    ]
    return _next(
        c, status=ConnectionStatus.DISCONNECTED, shopify_access_token=None, tiktok_shops=gone
    )


def shop_deauthorized(c: ConnectionChanged, shop_id: str) -> ConnectionChanged:
    """The connection after the seller deauthorized the app for one shop: that region only is
    disconnected; with no other region left, the whole connection is."""
    others = [g for g in c.tiktok_shops if g.shop_id != shop_id]
    if all(g.status is ShopStatus.DEAUTHORIZED for g in others):
        return disconnected(c)
    problem = (
        "The TikTok seller deauthorized the app for this shop. Authorize it again"
        " (Add Country/Region) to resume syncing this region."
    )
    revoke = {"access_token": None, "status": ShopStatus.DEAUTHORIZED}
    shops = _with_grants(
        c, lambda g: g.model_copy(update={**revoke, "authorization_problem": problem}), shop_id
    )
    # Moved last, so the default region (the first) stays one that syncs.
    return _next(c, tiktok_shops=sorted(shops, key=lambda g: g.shop_id == shop_id))


def needs_reauthorization(
    c: ConnectionChanged, platform: str, problem: str, shop_id: str | None = None
) -> ConnectionChanged:
    """The connection after a platform refused to refresh an authorization: that token is
    worthless, so it is dropped and the reason shown (for TikTok, on that shop only)."""
    if platform != "tiktok":
        return _next(c, shopify_access_token=None, authorization_problem=problem)
    refused = {
        "access_token": None,
        "status": ShopStatus.NEEDS_REAUTHORIZATION,
        "authorization_problem": problem,
    }
    return _next(c, tiktok_shops=_with_grants(c, lambda g: g.model_copy(update=refused), shop_id))


def resealed(c: ConnectionChanged, reseal: Callable[[str], str]) -> ConnectionChanged:
    """The connection with its tokens sealed again (with the first key, after a rotation)."""
    shops = [
        g.model_copy(update={"access_token": reseal(g.access_token)}) if g.access_token else g
        for g in c.tiktok_shops
    ]
    shopify = reseal(c.shopify_access_token) if c.shopify_access_token else None
    return _next(c, shopify_access_token=shopify, tiktok_shops=shops)


def pick_shop(shops: list[tuple[str, str, str]], region: str) -> tuple[str, str] | None:
    """Among authorized `(shop_id, cipher, region)`, the one for the connection's region."""
    matching = [s for s in shops if s[2].upper() == region.upper()]
    chosen = matching or (shops if len(shops) == 1 else [])
    return (chosen[0][0], chosen[0][1]) if chosen else None


def other_seller_problem(c: ConnectionChanged, seller_id: str, region: str) -> str | None:
    """Why a shop of another TikTok seller cannot join this connection, if it is one: every
    region of a connection belongs to the seller of its first shop, as TikTok groups EU shops
    (Global Products belong to one seller); another seller needs a connection of its own."""
    sellers = {g.seller_id for g in c.tiktok_shops if g.seller_id}
    if not sellers or seller_id in sellers:
        return None
    return (
        f"The {region} shop belongs to another TikTok seller than this connection's shops."
        " All countries/regions of one connection must belong to the same TikTok seller ID;"
        " create a separate connection for the other seller."
    )


def problems_of(c: ConnectionChanged) -> str | None:
    """Every standing authorization problem of a connection, for the merchant, or None."""
    problems = [c.authorization_problem] + [
        f"{g.region}: {g.authorization_problem}"
        if len(c.tiktok_shops) > 1
        else g.authorization_problem
        for g in c.tiktok_shops
        if g.authorization_problem
    ]
    found = [p for p in problems if p]
    return " ".join(found) if found else None


def with_tiktok_token(
    c: ConnectionChanged,
    sealed_token: str,
    expires_at: datetime,
    *,
    shop_id: str | None = None,
    recovered: bool = False,
) -> ConnectionChanged:
    """The connection after one shop's TikTok access token was refreshed (`recovered`: after a
    refusal had marked it, whose problem then no longer stands). A shop the seller
    deauthorized stays so: only authorizing it again brings it back."""

    def refreshed(g: TikTokShopGrant) -> TikTokShopGrant:
        if g.status is ShopStatus.DEAUTHORIZED:
            return g
        update: dict[str, Any] = {
            "access_token": sealed_token,
            "access_token_expires_at": expires_at,
        }
        if recovered:
            update |= {"status": ShopStatus.AUTHORIZED, "authorization_problem": None}
        return g.model_copy(update=update)

    return _next(c, tiktok_shops=_with_grants(c, refreshed, shop_id))


def with_region(event: Event, c: ConnectionChanged) -> Event:
    """An event about one of the connection's shops with that shop's market filled in (events
    about per-region resources carry `tiktok_shop_id` and `region`, ADR 0023)."""
    shop_id = getattr(event, "tiktok_shop_id", None)
    if not shop_id or "region" not in type(event).model_fields or getattr(event, "region", None):
        return event
    region = next((g.region for g in c.tiktok_shops if g.shop_id == shop_id), None)
    return event.model_copy(update={"region": region}) if region else event
