"""OAuth for TikTok Shop sellers: authorize link, token get/refresh, and a self-refreshing token.

Token endpoints are unsigned GETs on the auth host with the secret in the query (reference A4),
so nothing here logs URLs, and tokens are `SecretStr` to keep them out of reprs and logs.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import httpx
import structlog
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from tiktok_shop.calls import Credentials, parse_envelope, send_request

DEFAULT_AUTH_BASE_URL = "https://auth.tiktok-shops.com"
REFRESH_MARGIN_SECONDS = 3600

log = structlog.get_logger()


class TokenSet(BaseModel):
    """Tokens for one seller authorization; `*_expire_in` are absolute Unix seconds (A4)."""

    model_config = ConfigDict(extra="allow")

    access_token: SecretStr
    access_token_expire_in: int
    refresh_token: SecretStr
    refresh_token_expire_in: int
    open_id: str = ""
    seller_name: str = ""
    seller_base_region: str = ""
    user_type: int = 0
    granted_scopes: list[str] = Field(default_factory=list)

    def access_expires_within(self, seconds: float, now: float | None = None) -> bool:
        """Tell whether the access token expires within `seconds` from now."""
        return self.access_token_expire_in - (now or time.time()) <= seconds


def authorize_url(app_key: str, state: str, *, service_id: str | None = None) -> str:
    """Return the seller authorization link: the current service link, or the legacy app_key one."""
    if service_id:
        query = urlencode({"service_id": service_id, "state": state})
        return f"https://services.tiktokshop.com/open/authorize?{query}"
    query = urlencode({"app_key": app_key, "state": state})
    return f"{DEFAULT_AUTH_BASE_URL}/oauth/authorize?{query}"


class OAuthClient:
    """Exchanges auth codes and refresh tokens for a `TokenSet`."""

    def __init__(self, http: httpx.AsyncClient, credentials: Credentials, auth_base_url: str):
        self._http = http
        self._credentials = credentials
        self._base = auth_base_url.rstrip("/")

    async def get_token(self, auth_code: str) -> TokenSet:
        """Exchange a one-time auth code (valid 30 min) for tokens."""
        return await self._token_call(
            "/api/v2/token/get", {"auth_code": auth_code, "grant_type": "authorized_code"}
        )

    async def refresh_token(self, refresh_token: SecretStr | str) -> TokenSet:
        """Exchange a refresh token for a fresh token set."""
        value = (
            refresh_token.get_secret_value()
            if isinstance(refresh_token, SecretStr)
            else refresh_token
        )
        return await self._token_call(
            "/api/v2/token/refresh", {"refresh_token": value, "grant_type": "refresh_token"}
        )

    async def _token_call(self, path: str, params: dict[str, str]) -> TokenSet:
        query = {
            "app_key": self._credentials.app_key,
            "app_secret": self._credentials.app_secret,
        } | params
        name = "oauth." + path.rsplit("/", 1)[-1]
        request = self._http.build_request("GET", f"{self._base}{path}", params=query)
        response = await send_request(self._http, request, name)
        return TokenSet.model_validate(parse_envelope(response, name))


class RefreshingToken:
    """An access-token provider that refreshes the token shortly before it expires."""

    def __init__(
        self,
        oauth: OAuthClient,
        tokens: TokenSet,
        *,
        refresh_margin: float = REFRESH_MARGIN_SECONDS,
        on_refresh: Callable[[TokenSet], Awaitable[None]] | None = None,
    ) -> None:
        self._oauth = oauth
        self._tokens = tokens
        self._margin = refresh_margin
        self._on_refresh = on_refresh
        self._lock = asyncio.Lock()

    @property
    def tokens(self) -> TokenSet:
        """The current token set (after any refresh)."""
        return self._tokens

    async def __call__(self) -> str:
        """Return a valid access token, refreshing it first if it is about to expire."""
        if self._tokens.access_expires_within(self._margin):
            async with self._lock:
                # Another caller may have refreshed while we waited for the lock.
                if self._tokens.access_expires_within(self._margin):
                    await self._refresh()
        return self._tokens.access_token.get_secret_value()

    async def _refresh(self) -> None:
        self._tokens = await self._oauth.refresh_token(self._tokens.refresh_token)
        log.info("tiktok.token_refreshed", expires_at=self._tokens.access_token_expire_in)
        if self._on_refresh is not None:
            await self._on_refresh(self._tokens)
