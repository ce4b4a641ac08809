"""Fixtures: one sandbox per session on a free port, one fresh shop + app + token per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from shopify import ShopifyClient
from shopify_sandbox import SandboxSettings, create_app
from shopify_sandbox.control_client import SandboxControl
from shopify_sandbox.testing import (
    SandboxShop,
    WebhookReceiver,
    provision_shop,
    serve,
    webhook_receiver,
)


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    settings = SandboxSettings(bulk_delay_seconds=0.05, webhook_retry_scale=0.001)
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def control(sandbox_url: str) -> Iterator[SandboxControl]:
    client = SandboxControl(sandbox_url)
    yield client
    client.close()


# The test app's allowed OAuth redirection URL (the sandbox refuses any other, as Shopify does).
OAUTH_CALLBACK = "https://app.example.invalid/cb"


@pytest.fixture
def env(control: SandboxControl) -> SandboxShop:
    return provision_shop(control, redirect_urls=[OAUTH_CALLBACK])


@pytest.fixture
async def client(env: SandboxShop) -> AsyncIterator[ShopifyClient]:
    async with env.client() as shopify_client:
        yield shopify_client


@pytest.fixture(scope="session")
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as hooks:
        yield hooks
