"""OAuth code grant: authorize URL, callback HMAC, code exchange, token refresh (B2)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx

from shopify.config import ShopifyConfig
from shopify.errors import ShopifyAuthError, ShopifyTransportError

_SHOP_DOMAIN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$")
MAX_CALLBACK_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class AccessToken:
    """An Admin API token; expiring offline tokens carry `expires_at` and a `refresh_token`."""

    access_token: str
    scope: str
    expires_at: datetime | None = None
    refresh_token: str | None = None
    refresh_token_expires_at: datetime | None = None

    def __repr__(self) -> str:
        # Tokens never reach logs or tracebacks.
        return f"AccessToken(scope={self.scope!r}, expires_at={self.expires_at!r})"

    def expires_within(self, seconds: float, now: datetime | None = None) -> bool:
        """True when the token is expiring and has less than `seconds` left."""
        if self.expires_at is None:
            return False
        return self.expires_at - (now or datetime.now(UTC)) < timedelta(seconds=seconds)


def is_shop_domain(shop: str) -> bool:
    """True for a `name.myshopify.com` hostname (the only shop form we accept, B2)."""
    return bool(_SHOP_DOMAIN.match(shop))


def callback_hmac(params: Mapping[str, str], secret: str) -> str:
    """Hex HMAC of the OAuth query string as SH-PY computes it (vectors S1, S3)."""
    pairs = sorted(_encoded_pair(k, v) for k, v in params.items() if k not in ("hmac", "signature"))
    return hmac.new(secret.encode(), "&".join(pairs).encode(), hashlib.sha256).hexdigest()


def _encoded_pair(key: str, value: str) -> str:
    # Delimiters are escaped so a value can't smuggle another parameter (SH-PY, B2).
    k = key.replace("%", "%25").replace("=", "%3D")
    v = value.replace("%", "%25")
    return f"{k}={v}".replace("&", "%26")


def validate_callback(
    params: Mapping[str, str],
    secret: str,
    *,
    expected_state: str | None = None,
    now: float | None = None,
) -> str:
    """Check an install/callback query (HMAC, age, shop, state); return the shop domain."""
    given = params.get("hmac", "")
    if not hmac.compare_digest(callback_hmac(params, secret).encode(), given.encode()):
        raise ShopifyAuthError("OAuth callback HMAC does not match")
    try:
        timestamp = int(params.get("timestamp", ""))
    except ValueError as exc:
        raise ShopifyAuthError("OAuth callback has no valid timestamp") from exc
    if (now if now is not None else time.time()) - timestamp > MAX_CALLBACK_AGE_SECONDS:
        raise ShopifyAuthError("OAuth callback is older than one day")
    shop = params.get("shop", "")
    if not is_shop_domain(shop):
        raise ShopifyAuthError("OAuth callback shop is not a *.myshopify.com domain")
    if expected_state is not None and not hmac.compare_digest(
        params.get("state", "").encode(), expected_state.encode()
    ):
        raise ShopifyAuthError("OAuth callback state does not match")
    return shop


class ShopifyOAuth:
    """The app side of Shopify's authorization-code grant for one app (client id + secret)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        config: ShopifyConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id = client_id
        self._secret = client_secret
        self._config = config or ShopifyConfig()
        self._transport = transport

    def authorize_url(
        self,
        shop: str,
        scopes: Iterable[str],
        redirect_uri: str,
        state: str,
        *,
        online: bool = False,
    ) -> str:
        """Where to send the merchant to approve the app on `shop`."""
        _require_shop(shop)
        query = {
            "client_id": self.client_id,
            "scope": ",".join(scopes),
            "redirect_uri": redirect_uri,
            "state": state,
        }
        extra = "&grant_options[]=per-user" if online else ""
        return f"{self._config.shop_base_url(shop)}/admin/oauth/authorize?{urlencode(query)}{extra}"

    def validate_callback(
        self, params: Mapping[str, str], *, expected_state: str | None = None
    ) -> str:
        """Validate a callback query with this app's secret; return the shop domain."""
        return validate_callback(params, self._secret, expected_state=expected_state)

    async def exchange_code(self, shop: str, code: str, *, expiring: bool = True) -> AccessToken:
        """Swap the callback `code` for an offline token (expiring with a refresh token)."""
        return await self._token_request(shop, {"code": code, "expiring": "1" if expiring else "0"})

    async def refresh(self, shop: str, refresh_token: str) -> AccessToken:
        """Rotate an expiring offline token (request shape UNCONFIRMED in B2)."""
        return await self._token_request(
            shop, {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    async def _token_request(self, shop: str, fields: dict[str, str]) -> AccessToken:
        _require_shop(shop)
        form = {"client_id": self.client_id, "client_secret": self._secret, **fields}
        url = f"{self._config.shop_base_url(shop)}/admin/oauth/access_token"
        async with httpx.AsyncClient(
            transport=self._transport, timeout=self._config.timeout_seconds
        ) as http:
            try:
                response = await http.post(url, data=form)
            except httpx.HTTPError as exc:
                raise ShopifyTransportError(f"token request failed: {type(exc).__name__}") from exc
        if response.status_code in (400, 401, 403):
            raise ShopifyAuthError(f"token request rejected with HTTP {response.status_code}")
        if response.status_code >= 300:
            raise ShopifyTransportError(f"token request failed with HTTP {response.status_code}")
        return _to_token(response.json())


def _require_shop(shop: str) -> None:
    if not is_shop_domain(shop):
        raise ShopifyAuthError("shop must be a *.myshopify.com domain")


def _to_token(body: Mapping[str, object]) -> AccessToken:
    now = datetime.now(UTC)

    def after(key: str) -> datetime | None:
        value = body.get(key)
        return now + timedelta(seconds=int(str(value))) if value is not None else None

    return AccessToken(
        access_token=str(body["access_token"]),
        scope=str(body.get("scope", "")),
        expires_at=after("expires_in"),
        refresh_token=str(body["refresh_token"]) if body.get("refresh_token") else None,
        refresh_token_expires_at=after("refresh_token_expires_in"),
    )
