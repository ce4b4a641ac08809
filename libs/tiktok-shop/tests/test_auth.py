"""OAuth: authorize link, token exchange, refresh before expiry (reference A4)."""

import asyncio
import time

import httpx
from tiktok_shop import OAuthClient, RefreshingToken, TokenSet, authorize_url
from tiktok_shop.calls import Credentials


def token_data(access: str, expires_in: float) -> dict[str, object]:
    return {
        "access_token": access,
        "access_token_expire_in": int(time.time() + expires_in),
        "refresh_token": f"r-{access}",
        "refresh_token_expire_in": int(time.time() + 86400),
        "open_id": "o",
        "granted_scopes": ["seller.order.info"],
    }


def oauth(handler: object) -> OAuthClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return OAuthClient(http, Credentials("key1", "sec1"), "https://auth.test")


def test_authorize_url_uses_the_service_link_when_given() -> None:
    assert authorize_url("k", "st8", service_id="77").startswith(
        "https://services.tiktokshop.com/open/authorize?service_id=77&state=st8"
    )
    assert (
        authorize_url("k", "st8")
        == "https://auth.tiktok-shops.com/oauth/authorize?app_key=k&state=st8"
    )


async def test_get_token_sends_code_and_grant_type_and_hides_tokens_in_repr() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"code": 0, "message": "Success", "data": token_data("a1", 3600)}
        )

    tokens = await oauth(handler).get_token("code-1")
    params = seen[0].url.params
    assert (seen[0].url.path, params["auth_code"], params["grant_type"]) == (
        "/api/v2/token/get",
        "code-1",
        "authorized_code",
    )
    assert tokens.access_token.get_secret_value() == "a1"
    assert "a1" not in repr(tokens)


async def test_token_close_to_expiry_is_refreshed_once_for_concurrent_callers() -> None:
    refreshes: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        refreshes.append(request.url.params["refresh_token"])
        await asyncio.sleep(0.05)
        return httpx.Response(
            200, json={"code": 0, "message": "Success", "data": token_data("a2", 7 * 86400)}
        )

    stored: list[TokenSet] = []

    async def remember(tokens: TokenSet) -> None:
        stored.append(tokens)

    provider = RefreshingToken(
        oauth(handler), TokenSet.model_validate(token_data("a1", 60)), on_refresh=remember
    )
    got = await asyncio.gather(*(provider() for _ in range(5)))
    assert got == ["a2"] * 5
    assert refreshes == ["r-a1"]
    assert [t.access_token.get_secret_value() for t in stored] == ["a2"]


async def test_fresh_token_is_not_refreshed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no refresh expected")

    provider = RefreshingToken(oauth(handler), TokenSet.model_validate(token_data("a1", 86400)))
    assert await provider() == "a1"
