"""`Sandbox`: the world plus the services acting on it (quota, faults, webhooks, timers)."""

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tiktok_shop_sandbox.faults import Faults
from tiktok_shop_sandbox.quota import Quota
from tiktok_shop_sandbox.settings import SandboxSettings
from tiktok_shop_sandbox.state import Shop
from tiktok_shop_sandbox.webhooks import WebhookDispatcher
from tiktok_shop_sandbox.world import World


@dataclass
class Sandbox:
    """Everything a route handler may touch."""

    settings: SandboxSettings
    world: World
    quota: Quota
    faults: Faults
    webhooks: WebhookDispatcher
    rng: random.Random
    _timers: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def build(cls, settings: SandboxSettings) -> "Sandbox":
        """Wire a sandbox from settings."""
        rng = random.Random(settings.seed)
        world = World()
        webhooks = WebhookDispatcher(
            list(settings.webhook_retry_delays), settings.webhook_timeout_seconds, rng, world.ids
        )
        quota = Quota(settings.default_qps, settings.qps_per_api)
        return cls(settings, world, quota, Faults(rng), webhooks, rng)

    def notify(self, shop: Shop, type_: int, data: dict[str, Any]) -> None:
        """Send a webhook about this shop to whoever subscribed."""
        app = self.world.apps.get(shop.app_key)
        if app is not None:
            self.webhooks.emit(app, shop, type_, data)

    def later(self, delay: float, action: Callable[[], None]) -> None:
        """Run `action` after `delay` seconds in the background (e.g. product audit)."""

        async def run() -> None:
            await asyncio.sleep(delay)
            action()

        task = asyncio.get_running_loop().create_task(run())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def aclose(self) -> None:
        """Stop timers and webhook deliveries."""
        for task in list(self._timers):
            task.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        await self.webhooks.aclose()
