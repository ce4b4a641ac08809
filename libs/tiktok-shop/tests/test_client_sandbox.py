"""The client against the sandbox over real HTTP: rejected credentials, OAuth, faults, QPS."""

import asyncio
import time
import types

import httpx
import pytest
import tiktok_shop.calls
from tiktok_shop import (
    CredentialError,
    InvalidSign,
    MissingShopCipher,
    OAuthClient,
    RateLimited,
    RefreshingToken,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    TikTokShopClient,
    TokenExpired,
)
from tiktok_shop.calls import Credentials
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product

CREATE_PATH = "/product/202309/products"


class TamperingTransport(httpx.AsyncBaseTransport):
    """Changes the body after the client signed it, like a proxy rewriting JSON."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = request.content.replace(b'"UNPAID"', b'"COMPLETED"')
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"content-length"]
        tampered = httpx.Request(request.method, request.url, headers=headers, content=body)
        return await self._inner.handle_async_request(tampered)


async def test_tampered_body_is_rejected_as_invalid_sign(
    sandbox_url: str, shop: ShopHandle
) -> None:
    async with client_for(sandbox_url, shop, transport=TamperingTransport()) as client:
        with pytest.raises(InvalidSign) as error:
            await client.orders.search({"order_status": "UNPAID"})
    assert (error.value.code, error.value.http_status) == (106001, 401)


async def test_wrong_secret_is_rejected_as_invalid_sign(sandbox_url: str, shop: ShopHandle) -> None:
    wrong = ShopHandle(**(vars(shop) | {"app_secret": "not-the-secret"}))
    async with client_for(sandbox_url, wrong) as client:
        with pytest.raises(InvalidSign):
            await client.logistics.warehouses()


async def test_stale_timestamp_is_rejected(
    sandbox_url: str, shop: ShopHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the client's clock is wrong; the sandbox in this process keeps the real one.
    skewed = types.SimpleNamespace(time=lambda: time.time() - 400, perf_counter=time.perf_counter)
    monkeypatch.setattr(tiktok_shop.calls, "time", skewed)
    async with client_for(sandbox_url, shop) as client:
        with pytest.raises(CredentialError) as error:
            await client.logistics.warehouses()
    assert error.value.code == 36009004


async def test_missing_shop_cipher_is_rejected(sandbox_url: str, shop: ShopHandle) -> None:
    async with client_for(sandbox_url, shop) as client:
        with pytest.raises(MissingShopCipher) as error:
            await client.with_shop("").orders.search()
    assert error.value.code == 106013


async def test_expired_access_token_raises_token_expired(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    expired = await control.issue_tokens(shop.shop_id, access_ttl_seconds=-1)
    async with client_for(sandbox_url, shop) as client:
        with pytest.raises(TokenExpired):
            await client.with_shop(shop.cipher, expired["access_token"]).logistics.warehouses()


async def test_auth_code_exchange_then_authorized_shops(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    code = await control.auth_code(shop.shop_id)
    async with TikTokShopClient(
        app_key=shop.app_key,
        app_secret=shop.app_secret,
        base_url=sandbox_url,
        auth_base_url=sandbox_url,
    ) as bare:
        tokens = await bare.oauth.get_token(code)
        client = bare.with_shop("", tokens.access_token.get_secret_value())
        shops = await client.authorized_shops()
    assert [(s.id, s.cipher) for s in shops] == [(shop.shop_id, shop.cipher)]


async def test_refreshing_token_renews_before_expiry_and_keeps_calls_working(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    short = await control.issue_tokens(shop.shop_id, access_ttl_seconds=30)
    async with httpx.AsyncClient() as http:
        oauth = OAuthClient(http, Credentials(shop.app_key, shop.app_secret), sandbox_url)
        tokens = await oauth.refresh_token(short["refresh_token"])
        near_expiry = tokens.model_copy(update={"access_token_expire_in": int(time.time()) + 10})
        provider = RefreshingToken(oauth, near_expiry, refresh_margin=60)
        async with client_for(sandbox_url, shop) as base:
            client = base.with_shop(shop.cipher, provider)
            warehouses = await client.logistics.warehouses()
    assert warehouses
    assert provider.tokens.access_token != tokens.access_token


async def test_rate_limited_calls_are_retried_transparently(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    await control.set_faults(
        [{"path_pattern": "/logistics/*", "rate_limit_probability": 1.0, "times": 2}]
    )
    try:
        async with client_for(sandbox_url, shop) as client:
            warehouses = await client.logistics.warehouses()
    finally:
        await control.clear_faults()
    assert warehouses


async def test_server_error_on_create_surfaces_without_a_retry(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    async with client_for(sandbox_url, shop) as client:
        image = (await client.catalog.upload_image(sample_png())).uri
        await control.set_faults(
            [{"path_pattern": CREATE_PATH, "server_error_probability": 1.0, "times": 1}]
        )
        try:
            with pytest.raises(ServerError):
                await client.products.create(sample_product(image, shop.warehouse_id, "SE-1"))
            created = await client.products.create(sample_product(image, shop.warehouse_id, "SE-1"))
        finally:
            await control.clear_faults()
    assert created.product_id


async def test_dropped_response_after_commit_is_safe_to_retry_with_an_idempotency_key(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    no_retry = RetryPolicy(max_attempts=1)
    async with client_for(sandbox_url, shop, timeout=0.5, retry=no_retry) as client:
        image = (await client.catalog.upload_image(sample_png())).uri
        product = sample_product(image, shop.warehouse_id, "DROP-1").model_copy(
            update={"idempotency_key": "drop-1"}
        )
        await control.set_faults(
            [
                {
                    "path_pattern": CREATE_PATH,
                    "drop_after_commit_probability": 1.0,
                    "hang_seconds": 1.0,
                    "times": 1,
                }
            ]
        )
        try:
            with pytest.raises(RequestTimeout):
                await client.products.create(product)
        finally:
            await control.clear_faults()
        again = await client.products.create(product)
    products = (await control.shop(shop.shop_id))["products"]
    assert [p["id"] for p in products] == [again.product_id]


async def test_client_pacing_stays_under_the_sandbox_qps(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    await control.set_qps(50.0, {"GET /logistics/202309/warehouses": 10.0})
    try:
        no_retry = RetryPolicy(max_attempts=1)
        async with client_for(sandbox_url, shop, qps=10.0, retry=no_retry) as client:
            started = time.monotonic()
            for _ in range(25):
                await client.logistics.warehouses()
            elapsed = time.monotonic() - started
    finally:
        await control.set_qps(50.0, {})
    # No call drew a 429 (no retries); past the half-second burst (5 calls) each waited a token.
    assert elapsed >= (25 - 5) / 10 - 0.05


async def test_unpaced_client_gets_rate_limited(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    await control.set_qps(50.0, {"GET /logistics/202309/warehouses": 2.0})
    try:
        no_retry = RetryPolicy(max_attempts=1)
        async with client_for(sandbox_url, shop, qps=1000.0, retry=no_retry) as client:
            with pytest.raises(RateLimited) as error:
                await asyncio.gather(*(client.logistics.warehouses() for _ in range(10)))
    finally:
        await control.set_qps(50.0, {})
    assert (error.value.code, error.value.http_status) == (36009002, 429)
