"""Fixtures: a sandbox per session on a free port and a fresh shop per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shopify_sandbox import SandboxSettings, create_app
from shopify_sandbox.control_client import SandboxControl
from shopify_sandbox.testing import RawAdmin, SandboxShop, provision_shop, serve


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


@pytest.fixture
def env(control: SandboxControl) -> SandboxShop:
    return provision_shop(control)


@pytest.fixture
def admin(sandbox_url: str, env: SandboxShop) -> Iterator[RawAdmin]:
    client = RawAdmin(sandbox_url, env)
    yield client
    client.close()
