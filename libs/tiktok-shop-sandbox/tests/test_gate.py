"""The sandbox admits only correctly signed, timely, authorized calls (reference A1, A2, A5)."""

import asyncio
import time
from typing import Any

import httpx
from tiktok_shop.signing import request_sign
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle

SEARCH = "/order/202309/orders/search"
SHOPS = "/authorization/202309/shops"


async def send(
    base_url: str,
    shop: ShopHandle,
    path: str,
    *,
    method: str = "POST",
    body: bytes = b"{}",
    sent_body: bytes | None = None,
    secret: str | None = None,
    timestamp: int | None = None,
    cipher: str | None = "shop",
    token: str | None = None,
    extra: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """Sign `body` but send `sent_body` (to tamper), with overridable credentials."""
    query = {"app_key": shop.app_key, "timestamp": str(timestamp or int(time.time()))}
    if cipher:
        query["shop_cipher"] = shop.cipher if cipher == "shop" else cipher
    query |= extra or {}
    signed_body = b"" if method == "GET" else body
    query["sign"] = request_sign(secret or shop.app_secret, path, query, signed_body)
    headers = {"x-tts-access-token": token or shop.access_token, "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url) as http:
        content = None if method == "GET" else (body if sent_body is None else sent_body)
        response = await http.request(method, path, params=query, content=content, headers=headers)
    return response.status_code, response.json()


async def test_correctly_signed_call_succeeds(sandbox_url: str, shop: ShopHandle) -> None:
    status, body = await send(sandbox_url, shop, SEARCH, extra={"page_size": "10"})
    assert (status, body["code"], body["data"]["orders"]) == (200, 0, [])
    assert body["message"] == "Success"
    assert body["request_id"]


async def test_tampered_body_is_rejected_with_invalid_sign(
    sandbox_url: str, shop: ShopHandle
) -> None:
    status, body = await send(
        sandbox_url,
        shop,
        SEARCH,
        body=b'{"order_status":"UNPAID"}',
        sent_body=b'{"order_status":"CANCELLED"}',
        extra={"page_size": "10"},
    )
    assert (status, body["code"], body["data"]) == (401, 106001, None)


async def test_wrong_secret_is_rejected_with_invalid_sign(
    sandbox_url: str, shop: ShopHandle
) -> None:
    status, body = await send(sandbox_url, shop, SEARCH, secret="not-the-secret")
    assert (status, body["code"]) == (401, 106001)


async def test_key_order_of_the_same_json_changes_the_sign(
    sandbox_url: str, shop: ShopHandle
) -> None:
    _status, body = await send(
        sandbox_url,
        shop,
        SEARCH,
        body=b'{"a":1,"b":2}',
        sent_body=b'{"b":2,"a":1}',
        extra={"page_size": "10"},
    )
    assert body["code"] == 106001


async def test_timestamp_older_than_five_minutes_is_rejected(
    sandbox_url: str, shop: ShopHandle
) -> None:
    status, body = await send(sandbox_url, shop, SEARCH, timestamp=int(time.time()) - 301)
    assert (status, body["code"]) == (401, 36009004)


async def test_timestamp_more_than_30s_ahead_is_rejected(
    sandbox_url: str, shop: ShopHandle
) -> None:
    _, body = await send(sandbox_url, shop, SEARCH, timestamp=int(time.time()) + 60)
    assert body["code"] == 36009004


async def test_timestamp_slightly_ahead_is_accepted(sandbox_url: str, shop: ShopHandle) -> None:
    _, body = await send(
        sandbox_url, shop, SEARCH, timestamp=int(time.time()) + 20, extra={"page_size": "1"}
    )
    assert body["code"] == 0


async def test_missing_shop_cipher_is_106013(sandbox_url: str, shop: ShopHandle) -> None:
    status, body = await send(sandbox_url, shop, SEARCH, cipher=None)
    assert (status, body["code"]) == (400, 106013)


async def test_shop_cipher_on_a_shopless_endpoint_is_unexpected(
    sandbox_url: str, shop: ShopHandle
) -> None:
    _, body = await send(sandbox_url, shop, SHOPS, method="GET")
    assert body["code"] == 36009004
    assert "shop_cipher" in body["message"]


async def test_unknown_cipher_is_rejected(sandbox_url: str, shop: ShopHandle) -> None:
    _, body = await send(sandbox_url, shop, SEARCH, cipher="ROW_unknown")
    assert body["code"] == 36009004


async def test_another_sellers_cipher_is_rejected(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    other = await control.create_shop(shop.app_key)
    _, body = await send(sandbox_url, shop, SEARCH, cipher=other["cipher"])
    assert body["code"] == 101000


async def test_invalid_access_token_is_rejected(sandbox_url: str, shop: ShopHandle) -> None:
    status, body = await send(sandbox_url, shop, SEARCH, token="TTP_forged")
    assert (status, body["code"]) == (401, 36009004)


async def test_expired_access_token_is_105002(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    expired = await control.issue_tokens(shop.shop_id, access_ttl_seconds=-1)
    _, body = await send(sandbox_url, shop, SEARCH, token=expired["access_token"])
    assert body["code"] == 105002


async def test_unknown_path_is_36009009(sandbox_url: str, shop: ShopHandle) -> None:
    _, body = await send(sandbox_url, shop, "/order/202101/orders/search")
    assert body["code"] == 36009009


async def test_calls_over_the_qps_limit_get_429(sandbox_url: str, control: SandboxControl) -> None:
    """A burst over the limit: the bucket's second of budget passes, the rest get TikTok's 429.
    Sent at once, not one after another: on a loaded machine sequential calls can be slower
    than the refill and never meet the limit."""
    shop = await control.new_shop()
    await control.set_qps(50.0, {f"GET {SHOPS}": 2.0})
    try:
        codes = await asyncio.gather(
            *(send(sandbox_url, shop, SHOPS, method="GET", cipher=None) for _ in range(12))
        )
    finally:
        await control.set_qps(50.0, {})
    statuses = [(status, body["code"]) for status, body in codes]
    assert statuses.count((200, 0)) >= 2
    assert (429, 36009002) in statuses


async def test_token_endpoints_exchange_auth_code_once_and_refresh(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    code = await control.auth_code(shop.shop_id)
    query = {"app_key": shop.app_key, "app_secret": shop.app_secret}
    async with httpx.AsyncClient(base_url=sandbox_url) as http:
        get = {"auth_code": code, "grant_type": "authorized_code"}
        first = (await http.get("/api/v2/token/get", params=query | get)).json()
        again = (await http.get("/api/v2/token/get", params=query | get)).json()
        refresh = {"refresh_token": first["data"]["refresh_token"], "grant_type": "refresh_token"}
        renewed = (await http.get("/api/v2/token/refresh", params=query | refresh)).json()
    assert first["code"] == 0
    assert first["data"]["access_token_expire_in"] > time.time()
    assert again["code"] != 0
    assert renewed["code"] == 0
    assert renewed["data"]["access_token"] != first["data"]["access_token"]


async def test_json_body_without_json_content_type_is_refused(
    sandbox_url: str, shop: ShopHandle
) -> None:
    query = {"app_key": shop.app_key, "timestamp": str(int(time.time())), "page_size": "10"}
    query["shop_cipher"] = shop.cipher
    query["sign"] = request_sign(shop.app_secret, SEARCH, query, b"{}")
    headers = {"x-tts-access-token": shop.access_token, "content-type": "text/plain"}
    async with httpx.AsyncClient(base_url=sandbox_url) as http:
        response = await http.post(SEARCH, params=query, content=b"{}", headers=headers)
    assert response.json()["code"] == 36009022
