"""Where the client gets its access token: a fixed string, or an expiring offline token."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from shopify.errors import ShopifyAuthError
from shopify.oauth import AccessToken, ShopifyOAuth

REFRESH_MARGIN_SECONDS = 120.0


class TokenSource(Protocol):
    """Gives the current access token, and a new one after Shopify rejected it."""

    async def current(self) -> str: ...

    async def rejected(self, token: str) -> str | None: ...


class StaticToken:
    """A non-expiring token (custom apps, tests)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken(***)"

    async def current(self) -> str:
        """The token."""
        return self._token

    async def rejected(self, token: str) -> str | None:
        """A static token can't be renewed."""
        return None


class RefreshingToken:
    """An expiring offline token, refreshed before expiry and once after a 401 (B2)."""

    def __init__(
        self,
        oauth: ShopifyOAuth,
        shop: str,
        token: AccessToken,
        on_refresh: Callable[[AccessToken], Awaitable[None]] | None = None,
    ) -> None:
        self._oauth = oauth
        self._shop = shop
        self._token = token
        self._on_refresh = on_refresh
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"RefreshingToken(shop={self._shop!r})"

    async def current(self) -> str:
        """A token with at least a couple of minutes left."""
        if self._token.expires_within(REFRESH_MARGIN_SECONDS):
            await self._refresh(self._token.access_token)
        return self._token.access_token

    async def rejected(self, token: str) -> str | None:
        """Refresh after a 401 unless another caller already did."""
        await self._refresh(token)
        return self._token.access_token if self._token.access_token != token else None

    async def _refresh(self, stale: str) -> None:
        async with self._lock:
            if self._token.access_token != stale:
                return
            if not self._token.refresh_token:
                raise ShopifyAuthError("access token expired and there is no refresh token")
            self._token = await self._oauth.refresh(self._shop, self._token.refresh_token)
            if self._on_refresh is not None:
                await self._on_refresh(self._token)
