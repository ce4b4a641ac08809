"""One query answers "is any order stuck, and why?": the API through the gateway, and a gauge."""

from typing import Any

import pytest
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
