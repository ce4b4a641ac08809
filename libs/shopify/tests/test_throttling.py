"""Cost-aware throttling: the client waits for budget instead of being THROTTLED (B3)."""

from __future__ import annotations

import asyncio

import pytest
from connector_runtime.metrics import THROTTLE_WAITS, THROTTLED_RESPONSES
from connector_runtime.platform_metrics import install_platform_metrics
from shopify import ShopifyClient
from shopify_sandbox import SandboxSettings, create_app
from shopify_sandbox.control_client import SandboxControl
from shopify_sandbox.testing import SandboxShop, provision_shop, serve

PAGE = "query page { products(first: 10) { nodes { id title } } }"  # requested cost 12


@pytest.fixture(autouse=True)
def _prometheus() -> None:
    """The counters below are fed by the observer a service installs at start."""
    install_platform_metrics()


def _metric(counter: object, endpoint: str) -> float:
    return counter.labels(platform="shopify", endpoint=endpoint)._value.get()  # type: ignore[attr-defined]


async def test_client_waits_for_budget_and_is_never_throttled(env: SandboxShop) -> None:
    env.control.seed(env.shop, products=10, variants_per_product=1)
    env.control.set_plan(env.shop, restore_rate=40, bucket_size=40)
    waits_before = _metric(THROTTLE_WAITS, "page")
    async with env.client() as client:
        await client.execute(PAGE, operation="page")  # learns the cost (12) and the bucket
        await asyncio.gather(*(client.execute(PAGE, operation="page") for _ in range(8)))
    log = env.control.requests(env.shop)
    assert len(log) == 9
    assert not any(entry.get("throttled") for entry in log)
    assert _metric(THROTTLE_WAITS, "page") > waits_before


async def test_a_second_process_sharing_the_bucket_gets_throttled_then_recovers(
    env: SandboxShop,
) -> None:
    env.control.seed(env.shop, products=10, variants_per_product=1)
    env.control.set_plan(env.shop, restore_rate=50, bucket_size=50)
    throttled_before = _metric(THROTTLED_RESPONSES, "page")
    # Two clients with separate local models: each believes it has the whole bucket.
    async with env.client() as first, env.client() as second:

        async def burst(client: ShopifyClient) -> None:
            for _ in range(5):
                await client.execute(PAGE, operation="page")

        await asyncio.gather(burst(first), burst(second))
    log = env.control.requests(env.shop)
    assert sum(1 for e in log if not e.get("throttled")) == 10
    assert any(e.get("throttled") for e in log)
    assert _metric(THROTTLED_RESPONSES, "page") > throttled_before


async def test_clients_of_one_shop_in_one_process_share_its_budget(env: SandboxShop) -> None:
    """Per-region clients of one store (inventory-guard's sweeps side by side) stay within
    its one budget: clients built without a registry of their own share the process's."""
    env.control.seed(env.shop, products=10, variants_per_product=1)
    env.control.set_plan(env.shop, restore_rate=50, bucket_size=50)
    async with (
        ShopifyClient(env.shop, env.token, config=env.config) as first,
        ShopifyClient(env.shop, env.token, config=env.config) as second,
    ):

        async def burst(client: ShopifyClient) -> None:
            for _ in range(5):
                await client.execute(PAGE, operation="page")

        await asyncio.gather(burst(first), burst(second))
    log = env.control.requests(env.shop)
    assert len(log) == 10
    assert not any(entry.get("throttled") for entry in log)


async def test_injected_throttle_is_retried_transparently(env: SandboxShop) -> None:
    env.control.add_fault(kind="throttled", operation="shop", shop=env.shop, times=2)
    async with env.client() as client:
        data = await client.execute("{ shop { name } }", operation="shop")
    assert data["shop"]["name"]


async def test_429_with_retry_after_is_honoured() -> None:
    with serve(create_app(SandboxSettings(throttled_http_status=429))) as url:
        control = SandboxControl(url)
        shop = provision_shop(control)
        control.seed(shop.shop, products=10, variants_per_product=1)
        control.set_plan(shop.shop, restore_rate=20, bucket_size=30)
        async with shop.client() as first, shop.client() as second:
            results = await asyncio.gather(
                *(c.execute(PAGE, operation="page") for c in (first, second, first, second))
            )
        log = control.requests(shop.shop)
        control.close()
    assert len(results) == 4
    assert any(entry.get("throttled") for entry in log)
