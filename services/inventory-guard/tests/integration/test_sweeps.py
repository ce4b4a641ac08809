"""Stock sweeps of regions side by side (ADR 0410): inventory-guard in-process on the real broker
and PostgreSQL, three merchants on the sandboxes. Two regions' sweeps hang on a slow Shopify
store; the third region's dropped webhook is still repaired by its own sweep meanwhile. A
sweep reads a region's Shopify levels in batches, a call per batch (ADR 0420).

With `INVENTORY_SWEEP_CONCURRENCY=1` (or a side pool smaller than the slow sweeps) the fast
region's sweep waits behind a slow one, so its repair lands after theirs and the test fails.
"""

import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from connector_contracts import Envelope, Event, ProductPushed, SkuLink, new_envelope
from connector_devstack.in_process import isolated_settings, send
from connector_devstack.infra import Infra
from connector_devstack.polling import poll_async
from connector_devstack.pricing_world import LinkedProduct, PricingMerchant, new_pricing_merchant
from connector_devstack.sandboxes import Sandboxes
from connector_runtime.service import Runtime, create_service_app
from inventory_guard.app import build_spec
from inventory_guard.settings import InventoryGuardSettings
from inventory_guard.sweeps import ensure_sweeps
from shopify.inventory import levels_batch_size

pytestmark = pytest.mark.integration

Json = dict[str, Any]
# Far longer than a sweep and a push of the fast region take, shorter than the Shopify
# client's 30 s timeout (the slow read must end in a repair, not a retry).
SLOW_READ_SECONDS = 20.0


@dataclass(frozen=True)
class Region:
    """One merchant's one region: a product with one SKU, linked to TikTok."""

    merchant: PricingMerchant
    product: LinkedProduct
    level: Json  # the variant's Shopify inventory level (sandbox control shape)

    @property
    def shop_domain(self) -> str:
        return self.merchant.shop_domain

    def pushed(self) -> ProductPushed:
        """`product.pushed` as catalog-sync would publish it for this region."""
        (sku,) = [
            SkuLink(
                shopify_variant_id=v,
                shopify_inventory_item_id=self.level["inventory_item_gid"],
                tiktok_sku_id=s,
            )
            for v, s in self.product.pairs
        ]
        return ProductPushed(
            shopify_product_id=self.product.shopify_product_id,
            tiktok_product_id=self.product.tiktok_product_id,
            tiktok_status="ACTIVATE",
            created=True,
            tiktok_shop_id=self.merchant.tiktok.shop_id,
            skus=[sku],
        )


@dataclass
class Guard:
    """The running service and the sandboxes' control planes."""

    runtime: Runtime
    http: httpx.AsyncClient
    sandboxes: Sandboxes

    async def send(self, region: Region, event: Event) -> None:
        await self.send_for(region.merchant, event)

    async def send_for(self, merchant: PricingMerchant, event: Event) -> None:
        envelope: Envelope[Any] = new_envelope(event, connection_id=merchant.connection_id)
        await send(self.runtime, envelope)

    async def region(self) -> Region:
        """A new merchant whose region the guard knows, its TikTok stock in step (40)."""
        merchant = await new_pricing_merchant(self.http, self.sandboxes)
        [product] = await merchant.link_products(self.http, 1)
        (level,) = await self._shopify(merchant.shop_domain, "GET", "/inventory")
        region = Region(merchant, product, level)
        await self.set_shopify(region, 40)
        await self.send(region, merchant.connection)
        await self.send(region, region.pushed())
        return region

    async def set_shopify(self, region: Region, available: int) -> None:
        """The merchant sets the stock in Shopify admin; no webhook reaches the guard (none is
        subscribed in-process): only a sweep can bring it."""
        body = {
            "inventory_item_id": region.level["inventory_item_gid"],
            "location_id": region.level["location_gid"],
            "available": available,
        }
        await self._shopify(region.shop_domain, "POST", "/inventory", body)

    async def tiktok_stock(self, region: Region) -> int:
        url = f"{self.sandboxes.tiktok_url}/_sandbox/products/{region.product.tiktok_product_id}"
        (sku,) = (await self.http.get(url)).raise_for_status().json()["skus"]
        return sum(int(i["quantity"]) for i in sku["inventory"])

    async def wait_stock(self, region: Region, quantity: int, within: float = 60) -> int:
        async def fetch() -> int:
            return await self.tiktok_stock(region)

        seen: int = await poll_async(fetch, lambda q: q == quantity, within)
        return seen

    async def slow_down(self, region: Region) -> None:
        """Every Shopify call of the region's store waits `SLOW_READ_SECONDS` (its sweeps only:
        nothing else in the guard calls Shopify)."""
        rule = {"kind": "latency", "shop": region.shop_domain, "delay_seconds": SLOW_READ_SECONDS}
        (
            await self.http.post(f"{self.sandboxes.shopify_url}/_sandbox/faults", json=rule)
        ).raise_for_status()

    async def slow_reads(self, region: Region) -> int:
        """Shopify calls of the region's store delayed so far (each starts one sweep's read)."""
        rules = (await self.http.get(f"{self.sandboxes.shopify_url}/_sandbox/faults")).json()
        return sum(int(r["fired"]) for r in rules if r["shop"] == region.shop_domain)

    async def _shopify(self, domain: str, method: str, path: str, body: Json | None = None) -> Any:
        url = f"{self.sandboxes.shopify_url}/_sandbox/shops/{domain}{path}"
        return (await self.http.request(method, url, json=body)).raise_for_status().json()


async def _guard(infra: Infra, sandboxes: Sandboxes, sweep_every: float) -> AsyncIterator[Guard]:
    env = {k.lower(): v for k, v in sandboxes.platform_env().items()}
    env.pop("catalog_image_placeholder", None)
    # The default INVENTORY_SWEEP_CONCURRENCY (4): what a replica runs.
    settings = isolated_settings(
        InventoryGuardSettings, infra, **env, inventory_sweep_interval_seconds=sweep_every
    )
    app = create_service_app(build_spec(settings), settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(timeout=60) as http:
        try:
            yield Guard(app.state.runtime, http, sandboxes)
        finally:
            # The sandboxes serve the whole run: the slow-store rules must not outlive the test.
            await http.delete(f"{sandboxes.shopify_url}/_sandbox/faults")


@pytest.fixture
async def guard(infra: Infra, sandboxes: Sandboxes) -> AsyncIterator[Guard]:
    async for running in _guard(infra, sandboxes, sweep_every=0.5):
        yield running


@pytest.fixture
async def once_guard(infra: Infra, sandboxes: Sandboxes) -> AsyncIterator[Guard]:
    """A guard whose regions are swept once in a test: the next sweep is an hour away."""
    async for running in _guard(infra, sandboxes, sweep_every=3600):
        yield running


async def test_a_slow_region_does_not_hold_back_another_regions_sweep(guard: Guard) -> None:
    slow = [await guard.region(), await guard.region()]
    fast = await guard.region()
    for region in [*slow, fast]:
        assert await guard.wait_stock(region, 40) == 40  # swept once: in step
    for region in slow:
        await guard.slow_down(region)
    for region in slow:  # a sweep of each slow region is now stuck on its Shopify read
        assert await poll_async(lambda r=region: guard.slow_reads(r), lambda n: n >= 1) >= 1

    for region in [*slow, fast]:
        await guard.set_shopify(region, 17)  # every webhook dropped

    assert await guard.wait_stock(fast, 17) == 17
    # Repaired while the slow sweeps were still on their first read: run side by side, and
    # neither slow region got a second sweep beside its first one.
    assert [await guard.tiktok_stock(r) for r in slow] == [40, 40]
    assert [await guard.slow_reads(r) for r in slow] == [1, 1]
    # The slow sweeps read the new figure once Shopify answers, and repair their regions too.
    for region in slow:
        assert await guard.wait_stock(region, 17, within=SLOW_READ_SECONDS * 3) == 17


async def test_a_sweep_reads_the_regions_shopify_levels_in_batches(once_guard: Guard) -> None:
    guard = once_guard
    merchant = await new_pricing_merchant(guard.http, guard.sandboxes)
    # One product, linked in one event: the sweep cannot see the region half linked.
    products = await merchant.link_products(guard.http, 1, variants=192)
    shopify = f"{guard.sandboxes.shopify_url}/_sandbox/shops/{merchant.shop_domain}"
    listed = (await guard.http.get(f"{shopify}/products", params={"limit": 1000})).json()
    item_of = {
        v["admin_graphql_api_id"]: f"gid://shopify/InventoryItem/{v['inventory_item_id']}"
        for p in listed
        for v in p["variants"]
    }
    stock = {
        lv["inventory_item_gid"]: lv["available"]
        for lv in (await guard.http.get(f"{shopify}/inventory")).json()
    }
    await guard.send_for(merchant, merchant.connection)
    for product in products:
        await guard.send_for(merchant, _pushed(merchant, product, item_of))
    skus = sum(len(p.pairs) for p in products)
    await ensure_sweeps(guard.runtime)  # the region's one sweep

    # TikTok holds Shopify's figure of every SKU: the sweep read them all.
    for product in products:
        want = {sku: stock[item_of[variant]] for variant, sku in product.pairs}
        assert await _wait_tiktok(guard, product.tiktok_product_id, want) == want
    # One Shopify call per batch, as many SKUs per call as the cost limit lets through (one
    # location here), not a call per SKU.
    log = (
        await guard.http.get(
            f"{guard.sandboxes.shopify_url}/_sandbox/requests",
            params={"shop": merchant.shop_domain},
        )
    ).json()
    calls = [r["operations"] for r in log]
    assert skus > levels_batch_size(1)
    assert calls == [["inventoryLevelsBatch", "nodes"]] * math.ceil(skus / levels_batch_size(1))


def _pushed(merchant: PricingMerchant, product: LinkedProduct, item_of: Json) -> ProductPushed:
    return ProductPushed(
        shopify_product_id=product.shopify_product_id,
        tiktok_product_id=product.tiktok_product_id,
        tiktok_status="ACTIVATE",
        created=True,
        tiktok_shop_id=merchant.tiktok.shop_id,
        skus=[
            SkuLink(
                shopify_variant_id=variant,
                shopify_inventory_item_id=item_of[variant],
                tiktok_sku_id=sku,
            )
            for variant, sku in product.pairs
        ],
    )


async def _wait_tiktok(guard: Guard, product_id: str, want: dict[str, int]) -> dict[str, int]:
    url = f"{guard.sandboxes.tiktok_url}/_sandbox/products/{product_id}"

    async def fetch() -> dict[str, int]:
        skus = (await guard.http.get(url)).raise_for_status().json()["skus"]
        return {str(s["id"]): sum(int(i["quantity"]) for i in s["inventory"]) for s in skus}

    seen: dict[str, int] = await poll_async(fetch, lambda s: s == want, 60)
    return seen
