"""price-promotions in-process on the real broker and PostgreSQL, against both sandboxes, with
a clock that follows the merchant's TikTok promotion clock (so 45 and 180 days take seconds)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from connector_contracts import Envelope, Event, new_envelope
from connector_devstack.identity import GatewayIdentity
from connector_devstack.in_process import isolated_settings, send
from connector_devstack.infra import Infra
from connector_devstack.polling import poll_async
from connector_devstack.pricing_world import LinkedProduct, PricingMerchant, new_pricing_merchant
from connector_devstack.sandboxes import Sandboxes
from connector_runtime.deps import utc_now
from connector_runtime.service import Runtime, create_service_app
from price_promotions.app import build_spec
from price_promotions.platform import Deps
from price_promotions.settings import PricePromotionsSettings
from tiktok_shop_sandbox.promotion_control import PromotionControl

Json = dict[str, Any]
FAST = {"price_sweep_seconds": 0.5, "price_poll_seconds": 0.2, "price_sync_concurrency": 4}


@dataclass
class Clock:
    """The service's clock: the wall clock plus how far the test moved TikTok's."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return utc_now() + self.offset


@dataclass
class Pricing:
    """The running service, its API, and one merchant."""

    runtime: Runtime
    api: httpx.AsyncClient
    http: httpx.AsyncClient
    merchant: PricingMerchant
    promotions: PromotionControl
    clock: Clock

    @property
    def region_url(self) -> str:
        c = self.merchant.connection
        return f"/api/v1/pricing/{c.connection_id}/regions/{c.tiktok_shop_id}"

    async def send(self, event: Event) -> None:
        envelope: Envelope[Any] = new_envelope(
            event, connection_id=self.merchant.connection.connection_id
        )
        await send(self.runtime, envelope)

    async def put_pricing(self, **body: Any) -> Json:
        response = await self.api.put(self.region_url, json=body)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def state(self, product: LinkedProduct) -> Json:
        number = product.shopify_product_id.rsplit("/", 1)[-1]
        response = await self.api.get(f"{self.region_url}/products/{number}")
        return response.json() if response.status_code == 200 else {}

    async def wait_state(self, product: LinkedProduct, done: Any, within: float = 30) -> Json:
        async def fetch() -> Json:
            return await self.state(product)

        result: Json = await poll_async(fetch, lambda s: bool(s) and done(s), within)
        return result

    async def activities(self) -> list[Json]:
        return await self.promotions.activities(self.merchant.tiktok.shop_id)

    async def live_activities(self) -> list[Json]:
        return [a for a in await self.activities() if a["status"] in {"ONGOING", "NOT_START"}]

    async def advance(self, delta: timedelta) -> None:
        """Move TikTok's promotion clock and the service's together."""
        await self.promotions.advance(self.merchant.tiktok.shop_id, int(delta.total_seconds()))
        self.clock.offset += delta

    async def tiktok_price(self, product: LinkedProduct) -> str:
        return (await self.tiktok_prices(product))[product.tiktok_sku_id]

    async def tiktok_prices(self, product: LinkedProduct) -> dict[str, str]:
        """TikTok SKU id -> the price TikTok shows before discounts."""
        url = f"{self.merchant.sandboxes.tiktok_url}/_sandbox/products/{product.tiktok_product_id}"
        body = (await self.http.get(url)).raise_for_status().json()
        return {str(s["id"]): str(s["price"]["sale_price"]) for s in body["skus"]}


@pytest.fixture
async def pricing(infra: Infra, sandboxes: Sandboxes) -> AsyncIterator[Pricing]:
    env = {k.lower(): v for k, v in sandboxes.platform_env().items()}
    env.pop("catalog_image_placeholder", None)
    settings = isolated_settings(PricePromotionsSettings, infra, **env, **FAST)
    clock = Clock()
    deps = Deps.of(settings)
    deps.now = clock.now
    app = create_service_app(build_spec(settings, deps), settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pp") as api,
        httpx.AsyncClient(timeout=30) as http,
        PromotionControl(sandboxes.tiktok_url) as promotions,
    ):
        merchant = await new_pricing_merchant(http, sandboxes)
        api.auth = GatewayIdentity([merchant.connection.connection_id])
        world = Pricing(app.state.runtime, api, http, merchant, promotions, clock)
        await world.send(merchant.connection)

        async def status() -> int:
            return (await api.get(world.region_url)).status_code

        await poll_async(status, lambda s: s == 200, 30)
        yield world
