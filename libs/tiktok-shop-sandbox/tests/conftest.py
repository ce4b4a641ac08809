"""Fixtures: one in-process sandbox per session on a free port; a fresh app and shop per test."""

from collections.abc import AsyncIterator, Iterator

import pytest
from tiktok_shop import TikTokShopClient
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import SandboxServer, WebhookReceiver, client_for
from tiktok_shop_sandbox.settings import SandboxSettings

FAST = SandboxSettings(
    audit_delay_seconds=0.2,
    image_optimize_seconds=0.2,
    webhook_retry_delays=[0.1, 0.1, 0.1, 0.1],
    webhook_timeout_seconds=2.0,
)


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    with SandboxServer(FAST) as url:
        yield url


@pytest.fixture
async def control(sandbox_url: str) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(sandbox_url) as ctl:
        yield ctl


@pytest.fixture
def receiver() -> Iterator[tuple[WebhookReceiver, str]]:
    hooks = WebhookReceiver()
    with hooks.serve() as url:
        yield hooks, f"{url}/webhooks"


@pytest.fixture
async def shop(control: SandboxControl, receiver: tuple[WebhookReceiver, str]) -> ShopHandle:
    return await control.new_shop(receiver[1])


@pytest.fixture
async def client(sandbox_url: str, shop: ShopHandle) -> AsyncIterator[TikTokShopClient]:
    async with client_for(sandbox_url, shop) as tts:
        yield tts
