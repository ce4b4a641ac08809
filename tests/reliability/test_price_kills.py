"""SIGKILL price-promotions around the creation of a discount activity, three times (before
TikTok creates it, after TikTok created it but before our commit, after its products joined):
every product ends with exactly one activity, found again by its title instead of duplicated.
Then two replicas under a burst of price changes, one killed mid-burst: one activity per product
with the last deal price. And a kill after TikTok's activity got its products, while the product
leaves the plan: the restarted run, wanting no activity, finds it by title and ends it."""

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.ports import free_port
from connector_devstack.pricing_world import (
    LinkedProduct,
    connected_pricing_merchant,
    publish_pushed,
)
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e
Json = dict[str, Any]
CREATE = {"path_pattern": "/promotion/202309/activities", "method": "POST"}
ADD_PRODUCTS = {"path_pattern": "/promotion/202309/activities/*/products", "method": "PUT"}
MOMENTS = [
    ("before TikTok creates it", CREATE | {"timeout_probability": 1.0}),
    ("after TikTok created it, before our commit", CREATE | {"drop_after_commit_probability": 1.0}),
    ("after its products joined", ADD_PRODUCTS | {"drop_after_commit_probability": 1.0}),
]
# The log of the run shows `price.activity_adopted` for the last two: found by title, not made.


def _linked(
    infra: Infra, sandboxes: Sandboxes, merchant: Merchant, count: int = len(MOMENTS)
) -> list[LinkedProduct]:
    async def run() -> list[LinkedProduct]:
        async with httpx.AsyncClient(timeout=60) as http:
            pricing = await connected_pricing_merchant(http, sandboxes, merchant)
            products = await pricing.link_products(http, count)
        for product in products:
            await publish_pushed(infra, merchant.connection_id, product)
        return products

    return asyncio.run(run())


def _pricing_stack(
    start_service: Callable[..., ServiceProcess], connect_merchant: Callable[..., Merchant]
) -> tuple[ServiceProcess, Merchant, httpx.Client, str]:
    """The gateway and price-promotions, a connected merchant, and its region's pricing URL
    once price-promotions serves it."""
    gateway = start_service("gateway")
    service = start_service("price-promotions", price_poll_seconds="0.2")
    merchant = connect_merchant(gateway)
    http = httpx.Client(timeout=30)
    region = (
        f"{gateway.url}/api/v1/pricing/{merchant.connection_id}/regions/{merchant.tiktok_shop_id}"
    )
    poll(lambda: http.get(region).status_code, lambda s: s == 200, 60)
    return service, merchant, http, region


def test_sigkill_around_activity_creation_leaves_one_activity_per_product(
    infra: Infra,
    sandboxes: Sandboxes,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    service, merchant, http, region = _pricing_stack(start_service, connect_merchant)
    products = _linked(infra, sandboxes, merchant)
    http.put(region, json={"mode": "same_as_shopify"}).raise_for_status()
    tiktok = f"{sandboxes.tiktok_url}/_sandbox"
    shopify = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    try:
        for product, (moment, rule) in zip(products, MOMENTS, strict=True):
            http.put(f"{tiktok}/faults", json=[rule | {"times": 1, "hang_seconds": 60}])
            body = {
                "variant_id": product.shopify_variant_id,
                "price": "50.00",
                "compare_at_price": "100.00",
            }
            http.post(f"{shopify}/prices", json=body).raise_for_status()
            fired = poll(
                lambda: http.get(f"{tiktok}/faults").json()[0]["fired"], lambda n: n == 1, 60
            )
            assert fired == 1, moment
            service.kill()
            http.delete(f"{tiktok}/faults").raise_for_status()
            service.start(timeout=120)
            number = product.shopify_product_id.rsplit("/", 1)[-1]
            state = poll(
                lambda number=number: http.get(f"{region}/products/{number}").json(),
                lambda s: bool(s.get("activity")),
                60,
            )
            assert state["activity"], moment
    finally:
        http.delete(f"{tiktok}/faults")
    activities: list[Json] = http.get(f"{tiktok}/shops/{merchant.tiktok_shop_id}/activities").json()
    per_product = Counter(p["id"] for a in activities for p in a["products"])
    assert per_product == {p.tiktok_product_id: 1 for p in products}
    assert len(activities) == len(products)  # no empty duplicate left behind either
    assert service.starts == 1 + len(MOMENTS)
    http.close()


def test_an_activity_a_killed_run_left_is_ended_when_the_product_leaves_the_plan(
    infra: Infra,
    sandboxes: Sandboxes,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    service, merchant, http, region = _pricing_stack(start_service, connect_merchant)
    [product] = _linked(infra, sandboxes, merchant, count=1)
    http.put(region, json={"mode": "same_as_shopify"}).raise_for_status()
    tiktok = f"{sandboxes.tiktok_url}/_sandbox"
    shopify = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    prices = {"variant_id": product.shopify_variant_id, "price": "50.00"}
    rule = ADD_PRODUCTS | {"drop_after_commit_probability": 1.0, "times": 1, "hang_seconds": 60}
    try:
        http.put(f"{tiktok}/faults", json=[rule])
        http.post(f"{shopify}/prices", json=prices | {"compare_at_price": "100.00"})
        poll(lambda: http.get(f"{tiktok}/faults").json()[0]["fired"], lambda n: n == 1, 60)
        service.kill()  # TikTok's activity holds the product; our record never saw it
    finally:
        http.delete(f"{tiktok}/faults")
    http.post(f"{shopify}/prices", json=prices | {"compare_at_price": None}).raise_for_status()
    service.start(timeout=120)
    shop_activities = f"{tiktok}/shops/{merchant.tiktok_shop_id}/activities"
    [orphan] = http.get(shop_activities).json()
    assert [p["id"] for p in orphan["products"]] == [product.tiktok_product_id]
    statuses = poll(
        lambda: [a["status"] for a in http.get(shop_activities).json()],
        lambda found: found == ["DEACTIVATED"],
        60,
    )
    assert statuses == ["DEACTIVATED"]
    number = product.shopify_product_id.rsplit("/", 1)[-1]
    state = http.get(f"{region}/products/{number}").json()
    assert state["activity"] is None
    ended = [
        line
        for line in http.get(f"{service.url}/metrics").text.splitlines()
        if line.startswith("connector_price_orphan_activities_ended_total ")
    ]
    assert ended == ["connector_price_orphan_activities_ended_total 1.0"]
    http.close()


def test_two_replicas_and_a_kill_under_a_burst_leave_one_right_activity_per_product(
    infra: Infra,
    sandboxes: Sandboxes,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
    tmp_path: Path,
) -> None:
    gateway = start_service("gateway")
    first = start_service("price-promotions", price_poll_seconds="0.2")
    second = ServiceProcess(first.definition, first.env, free_port(), log_file=tmp_path / "pp2.log")
    second.start(timeout=120)
    try:
        merchant = connect_merchant(gateway)
        http = httpx.Client(timeout=30)
        region = f"{gateway.url}/api/v1/pricing/{merchant.connection_id}/regions/{merchant.tiktok_shop_id}"
        poll(lambda: http.get(region).status_code, lambda s: s == 200, 60)
        products = _linked(infra, sandboxes, merchant, count=12)
        http.put(region, json={"mode": "same_as_shopify"}).raise_for_status()
        shopify = f"{sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
        for round_, sale in enumerate(("60.00", "55.00")):
            for product in products:
                body = {
                    "variant_id": product.shopify_variant_id,
                    "price": sale,
                    "compare_at_price": "100.00",
                }
                http.post(f"{shopify}/prices", json=body).raise_for_status()
            if round_ == 0:
                first.kill()  # mid-burst: its claimed syncs go to the other replica
                first.start(timeout=120)
        tiktok = f"{sandboxes.tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}/activities"

        def deals() -> dict[str, list[str]]:
            found: dict[str, list[str]] = {}
            for activity in http.get(tiktok).json():
                if activity["status"] in {"ONGOING", "NOT_START"}:
                    for entry in activity["products"]:
                        found.setdefault(entry["id"], []).append(
                            entry["skus"][0]["activity_price_amount"]
                        )
            return found

        wanted = {p.tiktok_product_id: ["55.00"] for p in products}
        assert poll(deals, lambda d: d == wanted, 120) == wanted
        every = http.get(tiktok).json()
        assert Counter(p["id"] for a in every for p in a["products"]) == Counter(
            dict.fromkeys(wanted, 1)
        )
        http.close()
    finally:
        second.stop()
