"""A Shopify price change reaches TikTok through the real processes in every pricing mode, the
sync rule "TikTok Shop" leaves TikTok alone, and a discounted order reaches Shopify with
TikTok's discounted total."""

import asyncio
from decimal import Decimal

import pytest
from connector_devstack.pricing_world import publish_pushed

from .conftest import World

pytestmark = pytest.mark.e2e


def test_each_mode_sets_tiktoks_price_from_the_shopify_change(world: World) -> None:
    [product] = world.link()
    world.wait_price(product, "100.00")  # the link syncs it (default: Shopify price)

    world.set_price(product, "80.00", "100.00")
    world.wait_price(product, "80.00")
    assert world.activities() == []

    world.put_pricing(mode="compare_at_price")
    world.set_price(product, "79.00", "99.00")
    world.wait_price(product, "99.00")
    assert world.activities() == []

    saved = world.put_pricing(mode="same_as_shopify")
    assert saved["window"]["state"] == "active"
    assert saved["window"]["days_left"] == 179
    world.set_price(product, "60.00", "90.00")
    world.wait_price(product, "90.00")
    [live] = world.wait(world.activities, lambda a: len(a) == 1)
    assert live["products"][0]["skus"][0]["activity_price_amount"] == "60.00"
    # TikTok holds the activity a moment before our record commits it.
    state = world.wait(lambda: world.state(product), lambda s: bool(s.get("activity")))
    assert state["activity"]["activity_id"] == live["activity_id"]

    # Rules before the mode: 10 % markup rounded to .99 on both prices.
    rule = {"scope": "store", "adjustment": "markup", "amount_type": "percent", "amount": "10",
            "rounding": "0.99"}  # fmt: skip
    world.put_pricing(mode="same_as_shopify", rules=[rule])
    world.set_price(product, "50.00", "90.00")
    world.wait_price(product, "99.99")  # 99.00 -> 99.99
    world.wait(
        world.activities,
        lambda a: (
            len(a) == 1 and a[0]["products"][0]["skus"][0]["activity_price_amount"] == "55.99"
        ),
    )

    # The "Product price" rule is catalog-sync's (one owner): the pricing API points there.
    moved = world.http.put(world.region, json={"mode": "same_as_shopify", "sync_rule": "tiktok"})
    assert moved.status_code == 422
    assert "catalog setting" in moved.text
    # "TikTok Shop" (catalog-sync's next push says so): TikTok keeps its price, our activity goes.
    asyncio.run(publish_pushed(world.infra, world.merchant.connection_id, product, False))
    skipped = world.wait(lambda: world.state(product), lambda s: s["status"] == "skipped")
    world.set_price(product, "40.00", "90.00")
    world.wait(lambda: world.state(product), lambda s: s["synced_at"] != skipped["synced_at"])
    assert world.state(product)["status"] == "skipped"
    assert world.tiktok_price(product) == "99.99"
    assert world.activities() == []


def test_switching_to_one_price_removes_the_activities_and_offers_a_refresh(world: World) -> None:
    products = world.link(2)
    world.put_pricing(mode="same_as_shopify")
    for product in products:
        world.set_price(product, "30.00", "40.00")
    world.wait(world.activities, lambda a: len(a) == 2)
    saved = world.put_pricing(mode="shopify_price")
    assert (saved["activities_cleared"], saved["refresh_offered"]) == (2, True)
    world.wait(world.activities, lambda a: a == [])
    for product in products:
        world.wait_price(product, "30.00")
    task = world.http.post(f"{world.region}/refresh").json()
    done = world.wait(
        lambda: world.http.get(f"{world.api}/pricing/tasks/{task['task_id']}").json(),
        lambda t: t["status"] == "completed",
    )
    assert (done["total"], done["done"], done["failed"]) == (2, 2, 0)
    listed = world.wait(  # the one task list shows it with the same counts (ADR 0900)
        lambda: world.http.get(f"{world.api}/tasks/{task['task_id']}").json(),
        lambda t: t.get("status") == "completed",
    )
    assert (listed["type"], listed["total"], listed["done"], listed["failed"]) == (
        "refresh",
        2,
        2,
        0,
    )
    # Update price of one page of the catalog.
    page = world.http.post(
        f"{world.region}/update-price", json={"scope": "page", "page": 1, "page_size": 1}
    ).json()
    assert page["total"] == 1


def test_a_discounted_order_reaches_shopify_with_tiktoks_total(world: World) -> None:
    [product] = world.link()
    world.put_pricing(mode="same_as_shopify")
    world.set_price(product, "80.00", "100.00")
    world.wait(world.activities, lambda a: len(a) == 1)
    # The activity starts a minute after its creation: move TikTok's clock past its start.
    world.http.post(
        f"{world.tiktok}/shops/{world.merchant.tiktok.shop_id}/clock", json={"advance_seconds": 120}
    ).raise_for_status()
    settings = f"{world.api}/order-settings/{world.merchant.connection_id}"
    world.http.put(settings, json={"use_tiktok_pricing": True}).raise_for_status()
    placed = (
        world.http.post(
            f"{world.tiktok}/shops/{world.merchant.tiktok.shop_id}/orders",
            json={
                "status": "AWAITING_SHIPMENT",
                "lines": [{"sku_id": product.tiktok_sku_id, "quantity": 2}],
                "shipping_fee": "0",
                "tax": "0",
            },
        )
        .raise_for_status()
        .json()
    )
    assert {Decimal(line["seller_discount"]) for line in placed["line_items"]} == {Decimal(20)}
    shopify = f"{world.merchant.sandboxes.shopify_url}/_sandbox/shops/{world.merchant.shop_domain}"

    def created() -> list[dict[str, object]]:
        orders = world.http.get(f"{shopify}/orders").json()
        return [o for o in orders if o["source_identifier"] == placed["id"]]

    [order] = world.wait(created, lambda found: len(found) == 1, timeout=90)
    assert [Decimal(str(li["price"])) for li in order["line_items"]] == [Decimal("80.00")]  # type: ignore[index]
    assert Decimal(str(order["total_price"])) == Decimal("160.00")
