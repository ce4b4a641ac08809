"""Two-price mode against the TikTok sandbox: the activity, a price change mid-activity, the
180-day renewal chain on the sandbox clock, the expiry webhook, adoption after a crash, and a
switch to one price clearing every activity."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from connector_contracts import ShopifyProductChanged, TikTokActivityChanged
from connector_devstack.polling import poll_async
from connector_devstack.pricing_world import LinkedProduct
from connector_runtime.deps import utc_now
from price_promotions.core.activities import title_of
from tiktok_shop.models.promotions import ActivityInput

from .conftest import Pricing

pytestmark = pytest.mark.integration


async def _two_price_product(pricing: Pricing, sale: str, compare_at: str) -> LinkedProduct:
    [product] = await pricing.merchant.link_products(pricing.http, 1)
    await pricing.put_pricing(mode="same_as_shopify")
    await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, sale, compare_at)
    await pricing.send(product.pushed())
    return product


def _deal(activity: dict[str, Any]) -> str:
    [entry] = activity["products"]
    return str(entry["skus"][0]["activity_price_amount"])


async def test_a_discount_shows_the_compare_at_price_struck_through(pricing: Pricing) -> None:
    product = await _two_price_product(pricing, "80.00", "100.00")
    state = await pricing.wait_state(product, lambda s: s["activity"] is not None)
    [live] = await pricing.live_activities()
    assert await pricing.tiktok_price(product) == "100.00"
    assert _deal(live) == "80.00"
    assert state["status"] == "synced"
    assert state["skus"][product.tiktok_sku_id]["deal_price"] == "80.00"
    assert live["activity_id"] == state["activity"]["activity_id"]

    # A price change mid-activity updates the same activity.
    await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, "70.00", "100.00")
    await pricing.send(
        ShopifyProductChanged(
            shop_domain=pricing.merchant.shop_domain,
            shopify_product_id=product.shopify_product_id,
            action="update",
        )
    )
    await pricing.wait_state(
        product, lambda s: s["activity"]["deals"] == {product.tiktok_sku_id: "70.00"}
    )
    [live] = await pricing.live_activities()
    assert _deal(live) == "70.00"
    assert live["activity_id"] == state["activity"]["activity_id"]

    # Outside the band (sale 96 of 100 = 4 %): the sale price, no activity.
    await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, "96.00", "100.00")
    await pricing.send(product.pushed())
    state = await pricing.wait_state(product, lambda s: s["activity"] is None)
    assert await pricing.live_activities() == []
    assert await pricing.tiktok_price(product) == "96.00"
    assert "band" in state["skus"][product.tiktok_sku_id]["no_deal"]


async def test_activities_renew_back_to_back_until_180_days_with_no_gap_or_overlap(
    pricing: Pricing,
) -> None:
    product = await _two_price_product(pricing, "50.00", "100.00")
    state = await pricing.wait_state(product, lambda s: s["activity"] is not None)
    generations = [state["activity"]["generation"]]
    for _ in range(3):
        # Half a day before the current one ends: the renewal (a day ahead) has queued the
        # next one, and the current one still runs with the deal.
        end = datetime.fromisoformat(state["activity"]["end"])
        await pricing.advance(end - timedelta(hours=12) - pricing.clock.now())
        previous = generations[-1]
        state = await pricing.wait_state(
            product,
            lambda s, previous=previous: (
                s["activity"] is not None and s["activity"]["generation"] > previous
            ),
        )
        generations.append(state["activity"]["generation"])
        live = await pricing.live_activities()
        assert [a["status"] for a in live].count("ONGOING") == 1, live  # never without a deal
        assert len(live) == 2, live  # the running one and, queued behind it, the next
        assert all(_deal(a) == "50.00" for a in live)
    # The fourth runs to the window's end: nothing is queued behind it, it simply expires.
    await pricing.advance(timedelta(days=50))
    # 45-day activities back to back cover the 180 days in four (three renewals).
    assert generations == [1, 2, 3, 4]
    assert await pricing.live_activities() == []
    chain = sorted(await pricing.activities(), key=lambda a: a["begin_time"])
    assert len(chain) == 4
    assert all(a["status"] == "EXPIRED" for a in chain)  # none was ended early
    for before, after in itertools.pairwise(chain):
        assert after["begin_time"] == before["end_time"]  # no second without, none with two
    # No more strike-through: the product sells at its sale price, never at the compare-at one.
    state = await pricing.wait_state(
        product, lambda s: s["skus"][product.tiktok_sku_id]["list_price"] == "50.00"
    )
    assert await pricing.tiktok_price(product) == "50.00"
    assert "window has ended" in state["skus"][product.tiktok_sku_id]["no_deal"]
    window = (await pricing.api.get(pricing.region_url)).json()["window"]
    assert window["state"] == "ended"


async def test_an_activity_ended_on_tiktok_is_replaced(pricing: Pricing) -> None:
    product = await _two_price_product(pricing, "60.00", "100.00")
    state = await pricing.wait_state(product, lambda s: s["activity"] is not None)
    first = state["activity"]["activity_id"]
    async with pricing.merchant.tiktok_client() as tiktok:
        await tiktok.promotions.deactivate(first)  # the seller ends it in Seller Center
    await pricing.send(
        TikTokActivityChanged(
            tiktok_shop_id=pricing.merchant.tiktok.shop_id,
            activity_id=first,
            status="DEACTIVATED",
            updated_at=utc_now(),
        )
    )
    state = await pricing.wait_state(
        product, lambda s: s["activity"] and s["activity"]["activity_id"] != first
    )
    assert state["activity"]["generation"] == 2
    assert len(await pricing.live_activities()) == 1


async def test_an_activity_tiktok_created_before_a_crash_is_adopted(pricing: Pricing) -> None:
    [product] = await pricing.merchant.link_products(pricing.http, 1)
    # TikTok created generation 1, then the replica died before committing it.
    begin = int((pricing.clock.now() + timedelta(minutes=2)).timestamp())
    async with pricing.merchant.tiktok_client() as tiktok:
        orphan = await tiktok.promotions.create(
            ActivityInput(
                title=title_of(product.tiktok_product_id, 1),
                activity_type="FIXED_PRICE",
                product_level="VARIATION",
                begin_time=begin,
                end_time=begin + 86400 * 30,
            )
        )
    await pricing.put_pricing(mode="same_as_shopify")
    await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, "75.00", "100.00")
    await pricing.send(product.pushed())
    state = await pricing.wait_state(product, lambda s: s["activity"] is not None)
    assert state["activity"]["activity_id"] == orphan.activity_id
    assert [a["activity_id"] for a in await pricing.activities()] == [orphan.activity_id]


async def test_switching_to_one_price_clears_every_activity(pricing: Pricing) -> None:
    products = await pricing.merchant.link_products(pricing.http, 3)
    await pricing.put_pricing(mode="same_as_shopify")
    for product in products:
        await pricing.merchant.set_price(pricing.http, product.shopify_variant_id, "40.00", "50.00")
        await pricing.send(product.pushed())
    for product in products:
        await pricing.wait_state(product, lambda s: s["activity"] is not None)
    assert len(await pricing.live_activities()) == 3
    saved = await pricing.put_pricing(mode="compare_at_price")
    assert (saved["activities_cleared"], saved["refresh_offered"]) == (3, True)
    for product in products:
        await pricing.wait_state(product, lambda s: s["activity"] is None)
        assert await pricing.tiktok_price(product) == "50.00"
    assert await pricing.live_activities() == []
    task = (await pricing.api.post(f"{pricing.region_url}/refresh")).json()
    assert task["total"] == 3

    async def progress() -> dict[str, object]:
        return (await pricing.api.get(f"/api/v1/pricing/tasks/{task['task_id']}")).json()  # type: ignore[no-any-return]

    done = await poll_async(progress, lambda t: t["status"] == "completed", 30)
    assert (done["done"], done["failed"]) == (3, 0)
    assert Decimal(saved["exchange_rate"]) == 1


async def test_bad_pricing_input_gets_a_clear_4xx(pricing: Pricing) -> None:
    bad_rule = {"rules": [{"scope": "tag", "amount": "5"}]}  # a tag rule without its tag
    refused = await pricing.api.put(pricing.region_url, json=bad_rule)
    unknown = await pricing.api.get(pricing.region_url.replace("/regions/", "/regions/999"))
    bad_scope = await pricing.api.post(f"{pricing.region_url}/update-price", json={"scope": "some"})
    assert refused.status_code == 422
    assert "names one" in refused.text
    assert unknown.status_code == 404
    assert "not a region" in unknown.json()["detail"]
    assert bad_scope.status_code == 422
    assert (await pricing.api.get(pricing.region_url)).json()["rules"] == []


def _sku_deals(activity: dict[str, Any]) -> dict[str, str]:
    [entry] = activity["products"]
    return {str(s["id"]): str(s["activity_price_amount"]) for s in entry["skus"]}


async def test_each_sku_gets_its_own_deal_and_leaves_the_activity_when_it_has_none(
    pricing: Pricing,
) -> None:
    [product] = await pricing.merchant.link_products(pricing.http, 1, variants=2)
    (a_variant, a_sku), (b_variant, b_sku) = product.pairs
    await pricing.put_pricing(mode="same_as_shopify")
    await pricing.merchant.set_price(pricing.http, a_variant, "70.00", "100.00")  # 30 % off
    await pricing.merchant.set_price(pricing.http, b_variant, "98.00", "100.00")  # 2 %: no deal
    await pricing.send(product.pushed())
    await pricing.wait_state(product, lambda s: s["activity"] is not None)
    [live] = await pricing.live_activities()
    assert _sku_deals(live) == {a_sku: "70.00"}
    assert await pricing.tiktok_prices(product) == {a_sku: "100.00", b_sku: "98.00"}

    await pricing.merchant.set_price(pricing.http, b_variant, "60.00", "100.00")
    await pricing.send(product.pushed())
    await pricing.wait_state(product, lambda s: len(s["activity"]["deals"]) == 2)
    [live] = await pricing.live_activities()
    assert _sku_deals(live) == {a_sku: "70.00", b_sku: "60.00"}

    await pricing.merchant.set_price(pricing.http, a_variant, "70.00", None)  # compare-at gone
    await pricing.send(product.pushed())
    await pricing.wait_state(product, lambda s: s["activity"]["deals"] == {b_sku: "60.00"})
    [same] = await pricing.live_activities()
    assert same["activity_id"] == live["activity_id"]
    assert _sku_deals(same) == {b_sku: "60.00"}
    assert await pricing.tiktok_prices(product) == {a_sku: "70.00", b_sku: "100.00"}
