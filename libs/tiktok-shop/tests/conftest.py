"""Fixtures: the sandbox served over real HTTP on a free port, a fresh app and shop per test."""

from collections.abc import AsyncIterator, Iterator

import pytest
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import SandboxServer
from tiktok_shop_sandbox.settings import SandboxSettings


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    with SandboxServer(SandboxSettings(audit_delay_seconds=0.2)) as url:
        yield url


@pytest.fixture
async def control(sandbox_url: str) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(sandbox_url) as ctl:
        yield ctl


@pytest.fixture
async def shop(control: SandboxControl) -> ShopHandle:
    return await control.new_shop()
