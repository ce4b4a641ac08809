"""Merchant connections: create one, then authorize the Shopify store and the TikTok shop."""

import re
import secrets
from datetime import UTC, datetime
from typing import Annotated
from uuid import uuid4

import structlog
from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged, ConnectionStatus, ShopStatus, TikTokShopGrant
from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field, SecretStr, StringConstraints, field_validator
from shopify import ShopifyError
from shopify.errors import ShopifyAuthError, ShopifyTransportError
from tiktok_shop import TikTokShopError, authorize_url
from tiktok_shop.auth import TokenSet
from tiktok_shop.models.shops import AuthorizedShop

from gateway.account_store import assign_account
from gateway.api.auditing import audit_request
from gateway.api.deps import Db, DepsDep
from gateway.api.identity import gated_caller, gated_identity
from gateway.connection_removal import remove_connection
from gateway.core.connecting import (
    new_connection,
    other_seller_problem,
    pick_shop,
    problems_of,
    with_shopify_token,
    with_tiktok_shop,
)
from gateway.core.credentials import Role
from gateway.publishing import publish
from gateway.store import (
    list_connections,
    save_oauth_state,
    save_secrets,
    save_shop_secret,
    take_oauth_grant,
    take_oauth_state,
    tiktok_shop_taken,
)
from gateway.webhook_setup import subscribe_shopify_webhooks

router = APIRouter(tags=["connections"])
log = structlog.get_logger()

_SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")


class NewConnection(BaseModel):
    """A connection to create."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    shopify_shop_domain: Annotated[
        str, StringConstraints(pattern=_SHOP_DOMAIN.pattern, to_lower=True)
    ] = Field(description="`<shop>.myshopify.com`")
    tiktok_region: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        description="TikTok Shop market, e.g. `US`, `GB`, `DE`."
    )


class RegionView(BaseModel):
    """One TikTok shop (market) of a connection."""

    region: str = Field(description="TikTok market, e.g. `DE`.")
    tiktok_shop_id: str
    status: ShopStatus
    default: bool = Field(description="The region the connection opens on (the first one).")
    authorization_problem: str | None = None

    @classmethod
    def of(cls, g: TikTokShopGrant, default: bool) -> "RegionView":
        """View of one shop."""
        return cls(
            region=g.region,
            tiktok_shop_id=g.shop_id,
            status=g.status,
            default=default,
            authorization_problem=g.authorization_problem,
        )


class ConnectionView(BaseModel):
    """A merchant connection as the merchant sees it (no secrets)."""

    connection_id: str
    name: str
    status: ConnectionStatus
    shopify_shop_domain: str
    shopify_authorized: bool
    tiktok_region: str = Field(description="The default region's market.")
    tiktok_shop_id: str | None = Field(description="The default region's TikTok shop.")
    tiktok_authorized: bool = Field(description="Whether the default region is authorized.")
    regions: list[RegionView] = Field(description="Every TikTok shop, the default first.")
    authorization_problem: str | None = None

    @classmethod
    def of(cls, c: ConnectionChanged) -> "ConnectionView":
        """View of a connection."""
        live = [g.shop_id for g in c.tiktok_shops if g.status is ShopStatus.AUTHORIZED]
        default = live[0] if live else c.tiktok_shop_id
        return cls(
            connection_id=c.connection_id,
            name=c.name,
            status=c.status,
            shopify_shop_domain=c.shopify_shop_domain,
            shopify_authorized=c.shopify_access_token is not None,
            tiktok_region=c.tiktok_region,
            tiktok_shop_id=c.tiktok_shop_id,
            tiktok_authorized=c.tiktok_access_token is not None,
            regions=[RegionView.of(g, g.shop_id == default) for g in c.tiktok_shops],
            authorization_problem=problems_of(c),
        )


class CreatedConnection(BaseModel):
    """A new connection and where to send the merchant to authorize each platform."""

    connection: ConnectionView
    shopify_authorize_url: str
    tiktok_authorize_url: str


@router.post(
    "/api/v1/connections",
    status_code=status.HTTP_201_CREATED,
    response_model=CreatedConnection,
)
async def create_connection(
    body: NewConnection, request: Request, db: Db, deps: DepsDep
) -> CreatedConnection:
    """Create a connection; authorize Shopify and TikTok Shop at the returned URLs."""
    settings, caller = deps.settings, gated_caller(request)
    c = new_connection(
        f"conn_{uuid4().hex[:12]}", body.name, body.shopify_shop_domain, body.tiktok_region
    ).model_copy(update={"account_id": caller.account_id})  # the services' replicas learn it
    shopify_state, tiktok_state = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    async with db.transaction():
        await publish(db, settings, c)
        await assign_account(db, c.connection_id, caller.account_id)
        await save_oauth_state(db, shopify_state, c.connection_id, "shopify")
        await save_oauth_state(db, tiktok_state, c.connection_id, "tiktok")
    shopify_url = deps.shopify_oauth().authorize_url(
        c.shopify_shop_domain,
        settings.shopify_scopes.split(","),
        f"{settings.public_url}/oauth/shopify/callback",
        shopify_state,
    )
    return CreatedConnection(
        connection=ConnectionView.of(c),
        shopify_authorize_url=shopify_url,
        tiktok_authorize_url=authorize_url(settings.tiktok_app_key, tiktok_state),
    )


class CustomAppToken(BaseModel):
    """A Shopify custom app's credentials, as the FAQ names them: created in the store when
    the merchant generates the custom app (Settings > Apps > Develop apps)."""

    access_token: Annotated[SecretStr, Field(min_length=1, max_length=200)] = Field(
        description="The custom app's Admin API access token (`shpat_...`)."
    )
    api_secret_key: Annotated[SecretStr, Field(min_length=1, max_length=200)] = Field(
        description="The custom app's API secret key: Shopify signs its webhooks with it."
    )

    @field_validator("access_token", "api_secret_key")
    @classmethod
    def _printable(cls, value: SecretStr) -> SecretStr:
        # The token travels in an HTTP header: anything but printable ASCII cannot.
        if not all("!" <= c <= "~" for c in value.get_secret_value()):
            raise ValueError("must be printable ASCII without spaces, as Shopify shows it")
        return value


@router.post(
    "/api/v1/connections/{connection_id}/shopify-token",
    response_model=ConnectionView,
    responses={
        404: {"description": "Unknown connection"},
        422: {"description": "Shopify refused the access token, or has no such store"},
        502: {"description": "Shopify did not answer"},
    },
)
async def connect_shopify_token(
    connection_id: str, body: CustomAppToken, db: Db, deps: DepsDep
) -> ConnectionView:
    """Connect the store with a custom app's access token instead of OAuth (the FAQ): the
    token is tried on the store (subscribing its webhooks), then sealed like an OAuth token; it
    does not expire, so it is never refreshed."""
    c = await load_connection(db, connection_id)
    if c is None:
        raise HTTPException(404, f"no connection {connection_id}")
    shop, token = c.shopify_shop_domain, body.access_token.get_secret_value()
    try:
        await subscribe_shopify_webhooks(deps, shop, token)
    except ShopifyAuthError as exc:
        log.warning("connection.custom_token_refused", connection_id=connection_id, shop=shop)
        raise HTTPException(
            422,
            f"Shopify refused this access token for {shop}: copy the Admin API access token of "
            "a custom app installed in this store.",
        ) from exc
    except ShopifyTransportError as exc:
        raise HTTPException(502, f"Shopify did not answer: {exc}") from exc
    except ShopifyError as exc:  # e.g. no such store: the merchant's input, not an outage
        raise HTTPException(422, f"Shopify refused the custom app for {shop}: {exc}") from exc
    box = deps.settings.secret_box()
    updated = with_shopify_token(c, box.seal(token))
    async with db.transaction():
        await publish(db, deps.settings, updated)
        await save_secrets(
            db,
            c.connection_id,
            shopify_refresh_token=None,
            shopify_access_expires_at=None,
            shopify_refresh_expires_at=None,
            shopify_webhook_secret=box.seal(body.api_secret_key.get_secret_value()),
        )
    log.info("connection.shopify_authorized", connection_id=connection_id, shop=shop, by="token")
    return ConnectionView.of(updated)


@router.get("/api/v1/connections", response_model=list[ConnectionView])
async def get_connections(db: Db, request: Request) -> list[ConnectionView]:
    """List the caller account's connections."""
    return [
        ConnectionView.of(c)
        for c in await list_connections(db, gated_caller(request).connection_ids)
    ]


@router.get(
    "/api/v1/connections/{connection_id}",
    response_model=ConnectionView,
    responses={404: {"description": "Unknown connection"}},
)
async def get_connection(connection_id: str, db: Db) -> ConnectionView:
    """One connection."""
    c = await load_connection(db, connection_id)
    if c is None:
        raise HTTPException(404, f"no connection {connection_id}")
    return ConnectionView.of(c)


@router.delete(
    "/api/v1/connections/{connection_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={403: {"description": "Only an owner"}, 404: {"description": "Unknown connection"}},
)
async def delete_connection(connection_id: str, request: Request, db: Db, deps: DepsDep) -> None:
    """Disconnect and remove a connection (owners only): every service stops syncing it, its
    tokens are forgotten, and its Shopify store is free for a new connection."""
    if gated_caller(request).role != Role.OWNER:
        raise HTTPException(403, "only an owner of the account can delete a connection")
    c = await load_connection(db, connection_id)
    if c is None:
        raise HTTPException(404, f"no connection {connection_id}")
    async with db.transaction():
        await remove_connection(db, deps.settings, c, "deleted")
        identity = gated_identity(request)
        if identity is not None:  # none in the single-account development mode
            await audit_request(db, identity, request, "connection.deleted", connection_id)


@router.get(
    "/oauth/shopify/callback",
    response_model=ConnectionView,
    responses={400: {"description": "Bad HMAC, state or shop; the detail says which"}},
)
async def shopify_callback(request: Request, db: Db, deps: DepsDep) -> ConnectionView:
    """Shopify redirects here after the merchant installs the app: store the token."""
    settings = deps.settings
    params = dict(request.query_params)
    oauth = deps.shopify_oauth()
    try:
        shop = oauth.validate_callback(params)
    except ShopifyError as exc:
        raise HTTPException(400, f"Shopify callback rejected: {exc}") from exc
    if not params.get("code"):
        # Checked before the state is used up, so the merchant can still retry the install.
        raise HTTPException(400, "Shopify callback without an authorization `code`")
    connection_id = await take_oauth_state(db, params.get("state", ""), "shopify")
    c = await load_connection(db, connection_id) if connection_id else None
    if c is None or c.shopify_shop_domain != shop:
        raise HTTPException(400, "unknown or expired OAuth state for this shop")
    try:
        token = await oauth.exchange_code(shop, params["code"])
        await subscribe_shopify_webhooks(deps, shop, token.access_token)
    except ShopifyError as exc:
        raise HTTPException(502, f"Shopify refused the authorization: {exc}") from exc
    updated = with_shopify_token(c, settings.secret_box().seal(token.access_token))
    async with db.transaction():
        await publish(db, settings, updated)
        await save_secrets(
            db,
            c.connection_id,
            shopify_refresh_token=(
                settings.secret_box().seal(token.refresh_token) if token.refresh_token else None
            ),
            shopify_access_expires_at=token.expires_at,
            shopify_refresh_expires_at=token.refresh_token_expires_at,
        )
    log.info("connection.shopify_authorized", connection_id=c.connection_id, shop=shop)
    return ConnectionView.of(updated)


@router.get(
    "/oauth/tiktok/callback",
    response_model=ConnectionView,
    responses={
        400: {"description": "Denied, bad state or no shop in the region"},
        409: {"description": "The shop is another connection's, or another seller's"},
    },
)
async def tiktok_callback(
    db: Db, deps: DepsDep, code: str = "", state: str = "", error: str | None = None
) -> ConnectionView:
    """TikTok Shop redirects here after the seller authorizes the app: store the shop (the
    connection's first region, or one added with "Add Country/Region")."""
    if error or not code or code == "null":
        raise HTTPException(
            400, f"TikTok Shop authorization was not granted ({error or 'no code'})"
        )
    grant = await take_oauth_grant(db, state, "tiktok")
    c = await load_connection(db, grant[0]) if grant else None
    if grant is None or c is None:
        raise HTTPException(400, "unknown or expired OAuth state")
    adding = grant[1]
    tokens, shops = await _tiktok_grant(deps, code)
    shop_id, cipher, shop_region = _choose_shop(shops, adding or c.tiktok_region, adding)
    problem = other_seller_problem(c, tokens.open_id, shop_region)
    if problem is not None:
        log.warning("connection.region_refused", connection_id=c.connection_id, reason=problem)
        raise HTTPException(409, problem)
    box = deps.settings.secret_box()
    updated = with_tiktok_shop(
        c,
        shop_id=shop_id,
        cipher=cipher,
        sealed_token=box.seal(tokens.access_token.get_secret_value()),
        expires_at=datetime.fromtimestamp(tokens.access_token_expire_in, UTC),
        region=shop_region,
        seller_id=tokens.open_id,
    )
    async with db.transaction():
        other = await tiktok_shop_taken(db, shop_id, c.connection_id)
        if other is not None:
            raise HTTPException(409, f"TikTok shop {shop_id} is already connected ({other})")
        await publish(db, deps.settings, updated)
        await save_shop_secret(
            db,
            c.connection_id,
            shop_id,
            box.seal(tokens.refresh_token.get_secret_value()),
            datetime.fromtimestamp(tokens.refresh_token_expire_in, UTC),
        )
    log.info(
        "connection.tiktok_authorized",
        connection_id=c.connection_id,
        shop_id=shop_id,
        region=shop_region,
    )
    return ConnectionView.of(updated)


def _choose_shop(
    shops: list[AuthorizedShop], region: str, adding: str | None
) -> tuple[str, str, str]:
    """`(shop_id, cipher, region)` of the shop authorized for the region: the connection's
    first one (the only shop granted will do), or exactly the market being added."""
    candidates = [(s.id, s.cipher, s.region.upper()) for s in shops]
    if adding is None:
        picked = pick_shop(candidates, region)
        found = next((s for s in candidates if picked and s[0] == picked[0]), None)
    else:
        found = next((s for s in candidates if s[2] == adding), None)
    if found is None:
        raise HTTPException(400, f"the TikTok seller has no authorized shop in {region}")
    return found


async def _tiktok_grant(deps: DepsDep, code: str) -> tuple[TokenSet, list[AuthorizedShop]]:
    """The tokens of an authorization code and the shops they were granted for."""
    try:
        async with deps.tiktok_app() as anonymous:
            tokens = await anonymous.oauth.get_token(code)
        async with deps.tiktok_app(tokens.access_token.get_secret_value()) as seller:
            return tokens, await seller.authorized_shops()
    except TikTokShopError as exc:
        raise HTTPException(502, f"TikTok Shop refused the authorization: {exc}") from exc
