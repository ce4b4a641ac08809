"""Client mechanics against httpx.MockTransport: signing, parameters, errors, retries, pacing."""

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl

import httpx
import pytest
from connector_runtime.metrics import THROTTLE_WAITS
from connector_runtime.platform_metrics import install_platform_metrics
from tiktok_shop import (
    BusinessError,
    CredentialError,
    InvalidSign,
    MissingShopCipher,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerError,
    TikTokShopClient,
    TokenExpired,
)
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.products import (
    IdRef,
    Price,
    ProductInput,
    SizeChart,
    SkuInput,
    WarehouseStock,
    Weight,
)
from tiktok_shop.observe import call_observer, install_call_observer
from tiktok_shop.signing import request_sign

Handler = Callable[[httpx.Request], httpx.Response]
SECRET = "s3cret"


def envelope(
    data: object = None, code: int = 0, status: int = 200, **headers: str
) -> httpx.Response:
    body = {
        "code": code,
        "message": "Success" if code == 0 else "nope",
        "request_id": "r1",
        "data": data,
    }
    return httpx.Response(status, json=body, headers=headers)


def make_client(handler: Handler, **kwargs: object) -> TikTokShopClient:
    kwargs.setdefault("retry", RetryPolicy(max_attempts=4, backoff_base=0.001, backoff_max=0.01))
    return TikTokShopClient(
        app_key="key1",
        app_secret=SECRET,
        access_token="tok",
        shop_cipher="ROW_cipher",
        base_url="https://tts.test",
        transport=httpx.MockTransport(handler),
        **kwargs,  # type: ignore[arg-type]
    )


def product() -> ProductInput:
    return ProductInput(
        title="Glass Jar",
        description="<p>jar</p>",
        category_id="600010",
        main_images=[ImageRef(uri="img")],
        package_weight=Weight(value=Decimal("1.5")),
        skus=[
            SkuInput(
                price=Price(amount=Decimal("9.90"), currency="USD"),
                inventory=[WarehouseStock(quantity=3)],
            )
        ],
    )


async def test_sign_covers_the_exact_bytes_sent_and_token_stays_in_the_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return envelope({"product_id": "1729592969712207008"})

    async with make_client(handler) as client:
        await client.products.create(product())
    request = seen[0]
    query = dict(parse_qsl(request.url.query.decode()))
    expected = request_sign(SECRET, request.url.path, query, request.content)
    assert query["sign"] == expected
    assert query["shop_cipher"] == "ROW_cipher"
    assert len(query["timestamp"]) == 10
    assert "access_token" not in query
    assert request.headers["x-tts-access-token"] == "tok"
    assert json.loads(request.content)["skus"][0]["price"] == {"amount": "9.90", "currency": "USD"}


async def test_shop_cipher_is_left_off_shopless_endpoints() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return envelope({"shops": [], "id": "7082427311584347905"})

    async with make_client(handler) as client:
        await client.authorized_shops()
        await client.catalog.create_brand("Teas")
    assert all("shop_cipher" not in r.url.params for r in seen)


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        (36009002, 429, RateLimited),
        (36009003, 500, ServerError),
        (36009004, 401, CredentialError),
        (105002, 401, TokenExpired),
        (105005, 200, CredentialError),
        (106001, 401, InvalidSign),
        (106013, 400, MissingShopCipher),
        (12052023, 200, BusinessError),
    ],
)
async def test_platform_codes_map_to_typed_errors(
    code: int, status: int, error: type[Exception]
) -> None:
    async with make_client(
        lambda _: envelope(None, code, status), retry=RetryPolicy(max_attempts=1)
    ) as client:
        with pytest.raises(error) as raised:
            await client.orders.get(["1"])
    assert getattr(raised.value, "code", None) == code


async def test_rate_limited_calls_are_retried_after_retry_after() -> None:
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return envelope(None, 36009002, 429, **{"Retry-After": "0.2"})
        return envelope({"product_id": "1"})

    async with make_client(handler) as client:
        result = await client.products.create(product())
    assert result.product_id == "1"
    assert stamps[1] - stamps[0] >= 0.2


async def test_a_failed_create_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return envelope(None, 36009003, 500)

    async with make_client(handler) as client:
        with pytest.raises(ServerError):
            await client.products.create(product())
    assert len(calls) == 1


async def test_a_timed_out_create_is_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    async with make_client(handler) as client:
        with pytest.raises(RequestTimeout):
            await client.products.create(product())
    assert len(calls) == 1


async def test_a_create_with_an_idempotency_key_is_retried_after_a_5xx() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return envelope(None, 36009003, 503) if len(calls) < 3 else envelope({"product_id": "7"})

    async with make_client(handler) as client:
        result = await client.products.create(
            product().model_copy(update={"idempotency_key": "k1"})
        )
    assert (result.product_id, len(calls)) == ("7", 3)


async def test_reads_are_retried_on_server_errors_and_connection_failures() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(502, text="bad gateway")
        return envelope({"orders": [{"id": "1", "status": "UNPAID"}]})

    async with make_client(handler) as client:
        orders = await client.orders.get(["1"])
    assert [o.id for o in orders] == ["1"]
    assert len(calls) == 3


async def test_business_errors_are_never_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return envelope(None, 21008111)

    async with make_client(handler) as client:
        with pytest.raises(BusinessError):
            await client.orders.get(["1"])
    assert len(calls) == 1


async def test_retries_stop_after_max_attempts() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return envelope(None, 36009002, 429, **{"Retry-After": "0"})

    async with make_client(
        handler, retry=RetryPolicy(max_attempts=3, backoff_base=0.001)
    ) as client:
        with pytest.raises(RateLimited):
            await client.orders.get(["1"])
    assert len(calls) == 3


async def test_calls_beyond_the_qps_wait_for_budget_and_are_counted() -> None:
    install_platform_metrics()  # as a service does at start: the counter below is fed by it
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        return envelope({"orders": []})

    waits = THROTTLE_WAITS.labels(platform="tiktok", endpoint="orders.detail")
    before = waits._value.get()
    async with make_client(handler, qps=20.0) as client:
        # The bucket holds half a second of budget (10 calls); the next 5 wait a token each.
        for _ in range(15):
            await client.orders.get(["1"])
    assert stamps[-1] - stamps[10] >= 4 / 20 - 0.01
    assert waits._value.get() - before >= 4


async def test_calls_within_the_bucket_go_at_once() -> None:
    install_platform_metrics()
    waits = THROTTLE_WAITS.labels(platform="tiktok", endpoint="orders.detail")
    before = waits._value.get()
    async with make_client(lambda _: envelope({"orders": []}), qps=20.0) as client:
        await asyncio.gather(*(client.orders.get(["1"]) for _ in range(10)))
    assert waits._value.get() - before == 0


async def test_per_endpoint_qps_does_not_slow_other_endpoints() -> None:
    async with make_client(
        lambda _: envelope({"warehouses": []}), qps_per_endpoint={"orders.detail": 1.0}
    ) as client:
        started = time.monotonic()
        for _ in range(5):
            await client.logistics.warehouses()
    assert time.monotonic() - started < 0.5


async def test_with_shop_sends_the_other_cipher() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["shop_cipher"])
        return envelope({"warehouses": []})

    async with make_client(handler) as client:
        await client.with_shop("ROW_other").logistics.warehouses()
        await client.logistics.warehouses()
    assert seen == ["ROW_other", "ROW_cipher"]


async def test_client_without_cipher_sends_none_and_gets_missing_cipher() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "shop_cipher" not in request.url.params:
            return envelope(None, 106013, 400)
        return envelope({})

    async with make_client(handler) as client:
        shopless = client.with_shop("")
        with pytest.raises(MissingShopCipher):
            await shopless.orders.get(["1"])


async def test_size_chart_search_sends_filters_without_shop_cipher() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        chart = {"template_id": "7362027385890244398", "template_name": "size chart"}
        return envelope({"size_chart": [chart], "next_page_token": "", "total_count": 1})

    async with make_client(handler) as client:
        page = await client.catalog.size_charts(keyword="dress", locales=["en-US", "es-ES"])
    assert [t.template_id for t in page.items] == ["7362027385890244398"]
    request = seen[0]
    query = dict(parse_qsl(request.url.query.decode()))
    assert request.url.path == "/product/202407/sizecharts/search"
    assert "shop_cipher" not in query
    assert (query["page_size"], query["locales"]) == ("100", "en-US,es-ES")
    assert json.loads(request.content) == {"keyword": "dress"}


async def test_more_than_fifty_size_chart_ids_are_refused_before_calling() -> None:
    async with make_client(lambda _: envelope({})) as client:
        with pytest.raises(ValueError, match="at most 50"):
            await client.catalog.size_charts(ids=[str(i) for i in range(51)])


def test_product_body_carries_video_and_size_chart_template() -> None:
    body = product().model_copy(
        update={"video": IdRef(id="v09e"), "size_chart": SizeChart(template=IdRef(id="736"))}
    )
    sent = body.to_body()
    assert sent["video"] == {"id": "v09e"}
    assert sent["size_chart"] == {"template": {"id": "736"}}


@dataclass
class Recorder:
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    waits: list[tuple[str, str]] = field(default_factory=list)
    throttled: list[tuple[str, str]] = field(default_factory=list)

    def external_call(self, platform: str, endpoint: str, status: str, seconds: float) -> None:
        assert seconds >= 0
        self.calls.append((platform, endpoint, status))

    def throttle_wait(self, platform: str, endpoint: str, seconds: float) -> None:
        self.waits.append((platform, endpoint))

    def throttled_response(self, platform: str, endpoint: str) -> None:
        self.throttled.append((platform, endpoint))


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    before = call_observer()
    recorder = Recorder()
    install_call_observer(recorder)
    yield recorder
    install_call_observer(before)


async def test_each_exchange_throttle_and_wait_reaches_the_observer(recorder: Recorder) -> None:
    answers = iter([envelope(code=36009002, status=429, **{"retry-after": "0"}), envelope({})])
    async with make_client(lambda _: next(answers), qps_per_endpoint={"orders.detail": 5.0}) as c:
        await c.orders.get(["1"])
    assert recorder.calls == [
        ("tiktok", "orders.detail", "429"),
        ("tiktok", "orders.detail", "200"),
    ]
    assert recorder.throttled == [("tiktok", "orders.detail")]
    assert recorder.waits == [("tiktok", "orders.detail")]  # the retry waits for its 5-QPS slot
