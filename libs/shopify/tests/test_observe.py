"""The client reports its calls to the installed observer, with no metrics library of ours."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from shopify.observe import call_observer, install_call_observer
from shopify_sandbox.testing import SandboxShop


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


async def test_each_exchange_and_each_throttle_is_reported(
    env: SandboxShop, recorder: Recorder
) -> None:
    env.control.add_fault(kind="throttled", operation="shop", shop=env.shop, times=1)
    async with env.client() as client:
        await client.execute("{ shop { name } }", operation="shop")
    assert recorder.calls == [("shopify", "shop", "throttled"), ("shopify", "shop", "ok")]
    assert recorder.throttled == [("shopify", "shop")]
