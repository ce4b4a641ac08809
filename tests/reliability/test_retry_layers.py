"""One retry layer per concern (ADR 0011): how many HTTP calls one message costs a failing platform.

A handler making one platform call runs on the real broker and PostgreSQL while the sandbox fails
every call. The client retries (its own layer); the consumer must then park the message at once,
not re-run the handler: the sandbox receives exactly the client's attempts, the documented bound.
The consumer allows 3 in-process attempts here, so in-process retries of platform errors coming
back would triple the count.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime

import pytest
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import Envelope, OrderPaid, OrderStatus, new_envelope
from connector_devstack.infra import Infra
from connector_devstack.topics import produce
from connector_runtime import metrics
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects
from connector_runtime.service import Runtime, ServiceSpec
from connector_runtime.settings import ServiceSettings
from shopify import ShopifyConfig
from shopify_sandbox import SandboxSettings as ShopifySandboxSettings
from shopify_sandbox import create_app
from shopify_sandbox.control_client import SandboxControl as ShopifyControl
from shopify_sandbox.testing import provision_shop, serve
from tiktok_shop import RetryPolicy
from tiktok_shop_sandbox.control_client import SandboxControl as TikTokControl
from tiktok_shop_sandbox.harness import SandboxServer, client_for

pytestmark = pytest.mark.integration

# ADR 0011: HTTP calls per message and delivery = client attempts x platform calls per handler.
SHOPIFY_CALLS_BEFORE_PARKING = 6  # ShopifyConfig.max_attempts x 1 call
TIKTOK_CALLS_BEFORE_PARKING = 5  # RetryPolicy.max_attempts x 1 call
HANDLER_MAX_ATTEMPTS = 3

PlatformCall = Callable[[], Awaitable[object]]
Calls = Callable[[], Awaitable[int]]


@pytest.fixture(scope="module")
def shopify_url() -> Iterator[str]:
    with serve(create_app(ShopifySandboxSettings())) as url:
        yield url


@pytest.fixture(scope="module")
def tiktok_url() -> Iterator[str]:
    with SandboxServer() as url:
        yield url


@pytest.fixture
async def failing_shopify(shopify_url: str) -> AsyncIterator[tuple[PlatformCall, Calls]]:
    """One Shopify read whose every HTTP call answers 503, and the count of those calls."""
    control = ShopifyControl(shopify_url)
    shop = provision_shop(control)
    control.add_fault(kind="http_error", status=503, shop=shop.shop)

    async def fired() -> int:
        return sum(r["fired"] for r in control.faults() if r["shop"] == shop.shop)

    async with shop.client(max_backoff_seconds=0.01) as client:
        # The production attempts (ShopifyConfig's default); only the backoff is shortened.
        assert client.config.max_attempts == ShopifyConfig().max_attempts
        yield (lambda: client.variants.prices(["gid://shopify/ProductVariant/1"])), fired
    control.close()


@pytest.fixture
async def failing_tiktok(tiktok_url: str) -> AsyncIterator[tuple[PlatformCall, Calls]]:
    """One TikTok Shop read whose every HTTP call answers 500, and the count of those calls."""
    async with TikTokControl(tiktok_url) as control:
        shop = await control.new_shop()
        await control.set_faults([{"path_pattern": "/order/*", "server_error_probability": 1.0}])

        async def fired() -> int:
            return sum(r["fired"] for r in await control.faults())

        # The production attempts (RetryPolicy's default); only the backoff is shortened.
        retry = RetryPolicy(backoff_base=0.001, backoff_max=0.01)
        assert retry.max_attempts == RetryPolicy().max_attempts
        async with client_for(tiktok_url, shop, retry=retry) as client:
            yield (lambda: client.orders.get(["576461413038785752"])), fired
        await control.clear_faults()


async def run_until_parked(infra: Infra, platform_call: PlatformCall) -> None:
    """Run a service whose one handler makes `platform_call`, until its message is parked."""
    router = EventRouter()

    @router.on(OrderPaid)
    async def on_order_paid(envelope: Envelope[OrderPaid], fx: Effects) -> None:
        """Make one platform call."""
        await platform_call()

    env = infra.service_env()
    settings = ServiceSettings(
        service_name=f"retry-{uuid.uuid4().hex[:6]}",
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        database_url=env["DATABASE_URL"],
        topic_prefix=f"{infra.prefix}{uuid.uuid4().hex[:4]}.",
        handler_max_attempts=HANDLER_MAX_ATTEMPTS,
        handler_retry_max_seconds=0.05,
        parked_retry_min_seconds=3600,  # no redelivery while the test counts
        kafka_session_timeout_ms=int(env.get("KAFKA_SESSION_TIMEOUT_MS", "10000")),
        kafka_heartbeat_interval_ms=int(env.get("KAFKA_HEARTBEAT_INTERVAL_MS", "3000")),
    )
    spec = ServiceSpec(
        name=settings.service_name, events=router, transient_errors=PLATFORM_UNAVAILABLE
    )
    runtime = Runtime(spec, settings)
    topic = settings.topic(OrderPaid.topic())
    parked = metrics.MESSAGES_PARKED.labels(settings.service_name, topic, "outage")
    await runtime.start()
    try:
        envelope = paid()
        body = envelope.model_dump_json().encode()
        await produce(
            settings.kafka_bootstrap_servers, topic, body, key=envelope.payload.key().encode()
        )
        for _ in range(600):  # give up after about a minute
            if parked._value.get() >= 1:
                break
            await asyncio.sleep(0.1)
    finally:
        await runtime.stop()
    assert parked._value.get() == 1


def paid() -> Envelope[OrderPaid]:
    return new_envelope(
        OrderPaid(
            tiktok_order_id="576461413038785752",
            tiktok_shop_id="1",
            status=OrderStatus.AWAITING_SHIPMENT,
            paid_at=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        connection_id="c",
    )


async def test_a_shopify_outage_costs_one_message_the_client_attempts_then_it_is_parked(
    infra: Infra, failing_shopify: tuple[PlatformCall, Calls]
) -> None:
    call, calls = failing_shopify
    await run_until_parked(infra, call)
    assert await calls() == SHOPIFY_CALLS_BEFORE_PARKING


async def test_a_tiktok_outage_costs_one_message_the_client_attempts_then_it_is_parked(
    infra: Infra, failing_tiktok: tuple[PlatformCall, Calls]
) -> None:
    call, calls = failing_tiktok
    await run_until_parked(infra, call)
    assert await calls() == TIKTOK_CALLS_BEFORE_PARKING
