"""The OAuth code grant end to end against the sandbox, with expiring tokens (B2)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from shopify import (
    AccessToken,
    RefreshingToken,
    ShopifyAuthError,
    ShopifyClient,
    ShopifyError,
    ShopifyOAuth,
    ThrottleRegistry,
)
from shopify_sandbox.testing import SandboxShop


async def _install(env: SandboxShop, oauth: ShopifyOAuth) -> dict[str, str]:
    url = oauth.authorize_url(
        env.shop, ["read_products"], "https://app.example.invalid/cb", "nonce-1"
    )
    async with httpx.AsyncClient() as http:
        redirect = await http.get(url)
    assert redirect.status_code == 302
    return dict(parse_qsl(urlsplit(redirect.headers["location"]).query))


async def test_install_callback_validates_and_code_exchanges_for_a_working_token(
    env: SandboxShop,
) -> None:
    oauth = ShopifyOAuth(env.client_id, env.client_secret, env.config)
    params = await _install(env, oauth)
    assert oauth.validate_callback(params, expected_state="nonce-1") == env.shop
    token = await oauth.exchange_code(env.shop, params["code"], expiring=True)
    assert token.expires_at is not None
    assert token.refresh_token
    async with ShopifyClient(
        env.shop, token.access_token, config=env.config, throttle=ThrottleRegistry()
    ) as client:
        assert await client.execute("{ shop { name } }", operation="shop")
    with pytest.raises(ShopifyAuthError):
        await oauth.exchange_code(env.shop, params["code"])  # codes are single use


async def test_callback_signed_with_another_secret_is_rejected(env: SandboxShop) -> None:
    params = await _install(env, ShopifyOAuth(env.client_id, env.client_secret, env.config))
    with pytest.raises(ShopifyAuthError, match="HMAC"):
        ShopifyOAuth(env.client_id, "not-the-secret", env.config).validate_callback(params)


async def test_token_revoked_by_another_replica_is_refreshed_once(env: SandboxShop) -> None:
    oauth = ShopifyOAuth(env.client_id, env.client_secret, env.config)
    params = await _install(env, oauth)
    token = await oauth.exchange_code(env.shop, params["code"], expiring=True)
    assert token.refresh_token is not None
    # Another replica rotates first: our access token is revoked, our refresh token still valid.
    await oauth.refresh(env.shop, token.refresh_token)
    refreshed: list[AccessToken] = []

    async def remember(new: AccessToken) -> None:
        refreshed.append(new)

    source = RefreshingToken(oauth, env.shop, token, on_refresh=remember)
    async with ShopifyClient(
        env.shop, source, config=env.config, throttle=ThrottleRegistry()
    ) as client:
        assert await client.execute("{ shop { name } }", operation="shop")
    assert len(refreshed) == 1
    assert refreshed[0].access_token != token.access_token


async def test_a_refresh_whose_answer_is_lost_rotated_and_the_previous_refresh_token_still_works(
    env: SandboxShop,
) -> None:
    oauth = ShopifyOAuth(env.client_id, env.client_secret, env.config)
    token = await oauth.exchange_code(env.shop, (await _install(env, oauth))["code"], expiring=True)
    assert token.refresh_token is not None
    env.control.add_fault(kind="commit_then_drop", shop=env.shop, operation="accessToken", times=1)
    try:
        with pytest.raises(ShopifyError):  # the sandbox rotated, then answered 504
            await oauth.refresh(env.shop, token.refresh_token)
    finally:
        env.control.clear_faults()
    async with ShopifyClient(
        env.shop, token.access_token, config=env.config, throttle=ThrottleRegistry()
    ) as client:
        with pytest.raises(ShopifyAuthError):  # it did rotate: the old access token is revoked
            await client.execute("{ shop { name } }", operation="shop")
    # Its successor was never used, so the previous refresh token is still valid (B2, 2026-08-28).
    again = await oauth.refresh(env.shop, token.refresh_token)
    async with ShopifyClient(
        env.shop, again.access_token, config=env.config, throttle=ThrottleRegistry()
    ) as client:
        assert await client.execute("{ shop { name } }", operation="shop")
