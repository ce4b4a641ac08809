"""An activity TikTok created for a sync that died before recording it: when the product is to
hold no activity any more, its next sync finds it by title and ends it (ADR 0520)."""

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from connector_devstack.polling import poll_async
from connector_devstack.topics import read_to_end
from price_promotions import metrics
from price_promotions.core.activities import title_of
from tiktok_shop_sandbox.control_client import SandboxControl

from .conftest import Pricing

pytestmark = pytest.mark.integration

# Adding the products answers 500: TikTok has created the activity, the run fails after it and
# rolls our record back, as a replica dying between TikTok's create and our commit would.
PRODUCTS_FAIL = {
    "path_pattern": "/promotion/202309/activities/*/products",
    "method": "PUT",
    "server_error_probability": 1.0,
}


@pytest.fixture
async def tiktok_control(pricing: Pricing) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(pricing.merchant.sandboxes.tiktok_url) as control:
        try:
            yield control
        finally:
            await control.clear_faults()


async def synced_reasons(pricing: Pricing) -> list[str]:
    """The reasons of the price syncs that said they ended an interrupted sync's activity."""
    settings = pricing.runtime.settings
    records = await read_to_end(
        settings.kafka_bootstrap_servers, settings.topic("product.price.synced")
    )
    reasons = [json.loads(r.value)["payload"].get("reason") or "" for r in records]
    return [r for r in reasons if "interrupted sync" in r]


async def test_an_activity_an_interrupted_sync_left_is_ended_when_the_region_goes_to_one_price(
    pricing: Pricing, tiktok_control: SandboxControl
) -> None:
    [product] = await pricing.merchant.link_products(pricing.http, 1)
    await pricing.put_pricing(mode="same_as_shopify")
    await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, "75.00", "100.00")
    await tiktok_control.set_faults([PRODUCTS_FAIL])
    await pricing.send(product.pushed())
    title = title_of(product.tiktok_product_id, 1)

    async def ours() -> list[dict[str, Any]]:
        return [a for a in await pricing.activities() if a["title"] == title]

    [orphan] = await poll_async(ours, lambda found: len(found) == 1, 30)
    await poll_async(tiktok_control.faults, lambda rules: rules[0]["fired"] > 0, 30)
    assert (await pricing.state(product)).get("activity") is None  # our record never saw it
    before = metrics.ORPHANS_ENDED._value.get()

    saved = await pricing.put_pricing(mode="shopify_price")
    await tiktok_control.clear_faults()
    assert saved["activities_cleared"] == 1  # the note outlived the rolled-back run

    async def status() -> str:
        return str(next(a for a in await pricing.activities() if a["title"] == title)["status"])

    assert await poll_async(status, lambda s: s == "DEACTIVATED", 30) == "DEACTIVATED"
    state = await pricing.wait_state(product, lambda s: s["status"] == "synced")
    assert state["activity"] is None
    # Two syncs race here (the failed push's retry and the mode change): whichever runs first
    # ends the orphan and says so; the product's state keeps only the last sync's reason, so
    # the merchant's record of it is that sync's product.price.synced.
    reasons = await poll_async(lambda: synced_reasons(pricing), lambda found: bool(found), 30)
    [said] = reasons
    assert orphan["activity_id"] in said
    assert await pricing.live_activities() == []
    assert await pricing.tiktok_price(product) == "75.00"
    assert metrics.ORPHANS_ENDED._value.get() == before + 1
