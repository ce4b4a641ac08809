"""One query answers "is any order stuck, and why?": the API through the gateway, and a gauge;
per region of the connection too (issue 9)."""

from typing import Any

import pytest
from connector_devstack.sandboxes import add_region_sync
from connector_devstack.scraping import metric_value

pytestmark = pytest.mark.e2e


def test_a_failed_order_is_listed_as_stuck_with_its_reason_and_counted(shop) -> None:  # type: ignore[no-untyped-def]
    order_id = shop.place({"variant": 1, "quantity": 6})  # 5 in stock: prevented, not retried
    shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")
    url = f"{shop.api}/orders/stuck"

    def listed(answer: dict[str, Any]) -> bool:
        return any(o["tiktok_order_id"] == order_id for o in answer.get("orders", []))

    stuck = shop.poll(
        lambda: shop.http.get(url, params={"connection_id": shop.merchant.connection_id}).json(),
        listed,
    )
    [order] = [o for o in stuck["orders"] if o["tiktok_order_id"] == order_id]
    assert order["reason"] == "failed"
    assert "requested 6, available 5" in order["last_error"]
    assert order["attempts"] >= 1
    assert stuck["counts"]["failed"] >= 1
    assert set(stuck["counts"]) == {"retrying", "failed", "not_relayed", "waiting"}
    relay = shop.stack.relay.url
    gauge = shop.poll(
        lambda: metric_value(relay, "connector_orders_stuck", reason="failed"),
        lambda v: v >= 1,
    )
    assert gauge >= 1
    missing = shop.http.get(url)
    assert missing.status_code == 422  # the connection is required


def test_a_stuck_order_is_listed_under_its_own_region_only(shop) -> None:  # type: ignore[no-untyped-def]
    gb = add_region_sync(shop.stack.gateway.url, shop.stack.sandboxes, shop.merchant, "GB")
    assert gb.response.status_code == 200, gb.response.text
    url = f"{shop.api}/orders/stuck"
    connection = {"connection_id": shop.merchant.connection_id}

    def stuck(**params: str) -> Any:
        return shop.http.get(url, params={**connection, **params})

    shop.poll(lambda: stuck(region="GB").status_code, lambda s: s == 200)  # GB reached the relay
    us_order = shop.place({"variant": 1, "quantity": 6})  # 5 in stock: prevented
    # GB's shop sells a SKU linked to no Shopify variant: unsynced, not created by default.
    loose = {"sku_id": "1729592969712203311", "price": "5.00", "seller_sku": "LOOSE"}
    gb_order = shop.place(loose, shop_id=gb.shop_id)
    for order_id in (us_order, gb_order):
        shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")

    every = shop.poll(lambda: stuck().json(), lambda a: len(a["orders"]) == 2)
    where = {o["tiktok_order_id"]: (o["tiktok_shop_id"], o["region"]) for o in every["orders"]}
    assert where == {us_order: (shop.merchant.tiktok_shop_id, "US"), gb_order: (gb.shop_id, "GB")}
    assert every["counts"]["failed"] == 2
    assert {r: c["failed"] for r, c in every["counts_by_region"].items()} == {"US": 1, "GB": 1}

    in_gb = stuck(region="gb").json()  # a market, in any case, as the order list takes it
    assert [o["tiktok_order_id"] for o in in_gb["orders"]] == [gb_order]
    assert "unsynced products" in in_gb["orders"][0]["last_error"]
    assert in_gb["counts"]["failed"] == 1
    assert list(in_gb["counts_by_region"]) == ["GB"]
    in_us = stuck(region="US").json()
    assert [o["tiktok_order_id"] for o in in_us["orders"]] == [us_order]
    assert in_us["counts_by_region"]["US"]["failed"] == 1

    unknown = stuck(region="IT")
    assert unknown.status_code == 404
    assert "IT is not a region of" in unknown.json()["detail"]
    relay = shop.stack.relay.url
    gauge = shop.poll(
        lambda: metric_value(relay, "connector_orders_stuck", reason="failed", region="GB"),
        lambda v: v >= 1,
    )
    assert gauge >= 1
