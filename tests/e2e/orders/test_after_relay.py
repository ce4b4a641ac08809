"""After an order is in Shopify: grace period, fulfilment to TikTok, cancels both ways, returns,
the oversold alert, and the two repair paths (reconciliation sweep, "sync missed orders")."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from connector_devstack.sandboxes import connect_merchant_sync

pytestmark = pytest.mark.e2e

UPS = "6617675021119438850"  # the TikTok sandbox's UPS shipping provider id


def relayed(order: dict[str, Any]) -> bool:
    return order.get("relay_state") == "relayed"


def holds(created: dict[str, Any]) -> list[str]:
    return [h["handle"] for fo in created["fulfillment_orders"] for h in fo["holds"]]


def relay_one(shop, quantity: int = 1, **spec: Any) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    order_id = shop.place({"variant": 0, "quantity": quantity}, **spec)
    assert relayed(shop.wait_order(order_id, relayed)), shop.order(order_id)
    created = shop.shopify_order(order_id)
    assert created is not None
    return order_id, created


def test_order_inside_grace_period_is_created_on_hold_and_released_when_it_ends(shop) -> None:  # type: ignore[no-untyped-def]
    order_id, created = relay_one(shop, status="ON_HOLD")
    assert holds(created) == ["tiktok-grace-period"]
    assert shop.order(order_id)["held"] is True
    shop.set_tiktok_status(order_id, "AWAITING_SHIPMENT")
    released = shop.wait_order(order_id, lambda o: not o["held"])
    assert released["held"] is False
    assert holds(shop.shopify_order(order_id)) == []


def test_order_on_hold_is_cancelled_in_shopify_when_the_buyer_cancels(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(restock_cancelled=True).raise_for_status()
    order_id, _ = relay_one(shop, quantity=2, status="ON_HOLD")
    assert shop.available(0) == 3
    shop.buyer_cancels(order_id)  # inside the grace period: no seller approval needed
    cancelled = shop.wait_order(order_id, lambda o: o["relay_state"] == "cancelled")
    assert cancelled["cancel_initiator"] == "BUYER"
    assert shop.shopify_order(order_id)["cancelled_at"] is not None
    assert shop.available(0) == 5  # restocked


def test_on_hold_orders_wait_for_the_grace_period_when_the_setting_is_off(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(sync_on_hold_orders=False).raise_for_status()
    order_id = shop.place({"variant": 0, "quantity": 1}, status="ON_HOLD")
    waiting = shop.wait_order(order_id, lambda o: o["status"] == "ON_HOLD")
    assert waiting["relay_state"] == "none"
    shop.set_tiktok_status(order_id, "AWAITING_SHIPMENT")
    done = shop.wait_order(order_id, relayed)
    assert done["held"] is False
    assert holds(shop.shopify_order(order_id)) == []


def test_shopify_fulfilment_ships_the_tiktok_packages_with_the_mapped_provider(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1}, {"variant": 1, "quantity": 2}, packages=[[0], [1]]
    )
    shop.wait_order(order_id, relayed)
    created = shop.shopify_order(order_id)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1Z999AA10123456784")
    shipped = shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    assert shipped["fulfillment_error"] is None
    tiktok = shop.tiktok_order(order_id)
    assert tiktok["status"] == "IN_TRANSIT"
    assert {line["tracking_number"] for line in tiktok["line_items"]} == {"1Z999AA10123456784"}
    assert {line["shipping_provider_id"] for line in tiktok["line_items"]} == {UPS}
    assert len({line["package_id"] for line in tiktok["line_items"]}) == 2  # split kept
    assert shop.orders(state="fulfilled")["counts"]["fulfilled"] == 1


def test_fulfilment_with_an_unmapped_carrier_is_a_readable_error(shop) -> None:  # type: ignore[no-untyped-def]
    order_id, created = relay_one(shop)
    shop.fulfil(created["admin_graphql_api_id"], "Royal Mail", "RM123")
    failed = shop.wait_order(order_id, lambda o: o["fulfillment_error"] is not None)
    assert "Royal Mail" in failed["fulfillment_error"]
    assert "Map Shopify Shipping Provider" in failed["fulfillment_error"]
    assert shop.tiktok_order(order_id)["status"] == "AWAITING_SHIPMENT"


def test_cancel_in_shopify_cancels_the_tiktok_order(shop) -> None:  # type: ignore[no-untyped-def]
    order_id, created = relay_one(shop)
    shop.cancel_in_shopify(created["admin_graphql_api_id"])
    cancelled = shop.wait_order(order_id, lambda o: o["relay_state"] == "cancelled")
    assert cancelled["cancel_initiator"] == "shopify", cancelled
    assert (
        shop.poll(lambda: shop.tiktok_order(order_id)["status"], lambda s: s == "CANCELLED")
        == "CANCELLED"
    )


def test_tiktok_cancellation_cancels_restocks_and_archives_in_shopify(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(restock_cancelled=True, auto_archive_cancelled=True).raise_for_status()
    order_id, _ = relay_one(shop, quantity=2)
    request = shop.buyer_cancels(order_id)
    assert request["cancel_status"] == "CANCELLATION_REQUEST_PENDING"
    # The seller accepts the buyer's request in Seller Center.
    shop.http.post(
        f"{shop.tiktok}/cancellations/{request['cancel_id']}/status",
        json={"status": "CANCELLATION_REQUEST_SUCCESS"},
    ).raise_for_status()
    shop.wait_order(order_id, lambda o: o["relay_state"] == "cancelled")
    after = shop.shopify_order(order_id)
    assert after["cancelled_at"] is not None
    assert after["closed"] is True
    assert "orderClose" in {op for r in shop.requests() for op in r["operations"]}
    assert shop.available(0) == 5


def test_tiktok_cancellation_without_restock_leaves_stock_committed(shop) -> None:  # type: ignore[no-untyped-def]
    order_id, _ = relay_one(shop, quantity=2)
    shop.set_tiktok_status(order_id, "CANCELLED")
    shop.wait_order(order_id, lambda o: o["relay_state"] == "cancelled")
    assert shop.shopify_order(order_id)["cancelled_at"] is not None
    assert shop.available(0) == 3
    assert "orderClose" not in {op for r in shop.requests() for op in r["operations"]}


def test_out_of_stock_cancellation_by_tiktok_raises_the_oversold_alert(shop) -> None:  # type: ignore[no-untyped-def]
    order_id, _ = relay_one(shop)
    shop.buyer_cancels(order_id, role="SYSTEM", reason="ecom_order_system_cancel_out_of_stock")
    shop.wait_order(order_id, lambda o: o["relay_state"] == "cancelled")
    alerts = shop.poll(
        lambda: shop.http.get(
            f"{shop.api}/order-alerts/oversold",
            params={"connection_id": shop.merchant.connection_id},
        ).json(),
        lambda a: len(a) == 1,
    )
    assert [a["tiktok_order_id"] for a in alerts] == [order_id]
    assert [p["seller_sku"] for p in alerts[0]["products"]] == [shop.variants[0].sku]
    dismissed = shop.http.post(f"{shop.api}/order-alerts/oversold/{order_id}/dismiss")
    assert dismissed.status_code == 204


def test_returned_order_is_restocked_when_enabled(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(restock_returned=True, shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id, created = relay_one(shop, quantity=2)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1Z1")
    shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    shop.set_tiktok_status(order_id, "DELIVERED")
    assert shop.available(0) == 3
    ret = (
        shop.http.post(
            f"{shop.tiktok}/orders/{order_id}/returns", json={"return_type": "RETURN_AND_REFUND"}
        )
        .raise_for_status()
        .json()
    )
    shop.http.post(
        f"{shop.tiktok}/returns/{ret['return_id']}/status",
        json={"status": "RETURN_OR_REFUND_REQUEST_SUCCESS"},
    ).raise_for_status()
    done = shop.wait_order(order_id, lambda o: any(h["kind"] == "returned" for h in o["history"]))
    assert (
        "restocked in Shopify"
        in next(h for h in done["history"] if h["kind"] == "returned")["message"]
    )
    assert shop.available(0) == 5


LOOP_REFUND = """
mutation refundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { message } }
}
"""


def refund_as(shop, token: str, created: dict[str, Any], quantity: int, amount: str) -> None:  # type: ignore[no-untyped-def]
    """Refund units of the order's first line in Shopify as the app holding `token`."""
    body = {
        "query": LOOP_REFUND,
        "variables": {
            "key": uuid.uuid4().hex,
            "input": {
                "orderId": created["admin_graphql_api_id"],
                "refundLineItems": [
                    {
                        "lineItemId": created["line_items"][0]["admin_graphql_api_id"],
                        "quantity": quantity,
                        "restockType": "RETURN",
                        "locationId": shop.location_id,
                    }
                ],
                "transactions": [
                    {
                        "amount": amount,
                        "gateway": "TikTokPAY",
                        "kind": "REFUND",
                        "orderId": created["admin_graphql_api_id"],
                    }
                ],
            },
        },
    }
    answer = shop.http.post(
        f"{shop.stack.sandboxes.shopify_url}/shops/{shop.merchant.shopify_shop_domain}"
        "/admin/api/2026-01/graphql.json",
        json=body,
        headers={"X-Shopify-Access-Token": token},
    ).raise_for_status()
    assert answer.json()["data"]["refundCreate"]["userErrors"] == [], answer.text


def test_a_loop_return_is_refunded_on_tiktok_once_tiktok_approved_the_seller(
    shop, loop_app
) -> None:  # type: ignore[no-untyped-def]
    """Guide, Order Settings: "Sync Loop Return Result to TikTok Shop" (the seller must be
    approved by TikTok for the Loop integration)."""
    shop.put_settings(sync_loop_returns=True, shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id, created = relay_one(shop, quantity=3)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1ZLOOP")
    shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    shop.set_tiktok_status(order_id, "DELIVERED")
    control = f"{shop.stack.sandboxes.shopify_url}/_sandbox"
    shop.http.post(f"{control}/apps", json={"client_id": loop_app}).raise_for_status()
    loop = (
        shop.http.post(
            f"{control}/shops/{shop.merchant.shopify_shop_domain}/tokens",
            json={"client_id": loop_app},
        )
        .raise_for_status()
        .json()["access_token"]
    )

    def said(kind: str) -> list[str]:
        return [h["message"] for h in shop.order(order_id)["history"] if h["kind"] == kind]

    # Loop refunds one returned unit at its price: TikTok refuses a refund total above what the
    # unit cost (25005005), and the seeded price is anywhere from 5.00 up.
    unit_price = shop.variants[0].price

    # Not approved by TikTok: TikTok's refusal is on the order, with what to do.
    refund_as(shop, loop, created, 1, unit_price)
    [refused] = shop.poll(lambda: said("loop_refund_failed"), bool)
    assert "25020005" in refused
    assert "approved by TikTok" in refused
    assert shop.tiktok_order(order_id)["returns"] == []

    # Approved: the next Loop return becomes a TikTok refund of that unit.
    shop.http.post(
        f"{shop.tiktok}/shops/{shop.merchant.tiktok_shop_id}/return_api_approval", json={}
    ).raise_for_status()
    refund_as(shop, loop, created, 1, unit_price)
    assert shop.poll(lambda: said("loop_refund"), bool), shop.order(order_id)["history"]
    [tiktok_return] = shop.tiktok_order(order_id)["returns"]
    assert (tiktok_return["role"], tiktok_return["return_type"]) == ("SELLER", "REFUND")
    assert len(tiktok_return["line_item_ids"]) == 1

    # With the setting off, Loop's refunds stay in Shopify.
    shop.put_settings(
        sync_loop_returns=False, shipping_provider_map={"UPS": UPS}
    ).raise_for_status()
    refund_as(shop, loop, created, 1, unit_price)
    notes = shop.poll(lambda: said("refund"), lambda notes: len(notes) == 3)
    assert len(notes) == 3, shop.order(order_id)["history"]
    assert len(shop.tiktok_order(order_id)["returns"]) == 1
    assert len(said("loop_refund_failed")) == 1  # the third refund was not sent to TikTok


def test_missed_webhook_is_repaired_by_the_sweep(shop) -> None:  # type: ignore[no-untyped-def]
    chaos = f"{shop.tiktok}/webhooks/chaos"
    shop.http.put(chaos, json={"drop_probability": 1.0}).raise_for_status()
    try:
        order_id = shop.place({"variant": 0, "quantity": 1})
    finally:
        shop.http.put(chaos, json={"drop_probability": 0.0}).raise_for_status()
    repaired = shop.wait_order(order_id, relayed)
    assert repaired["paid_source"] == "sweep"
    assert shop.shopify_order(order_id) is not None


def test_a_connection_tiktok_no_longer_accepts_does_not_hold_up_the_other_sweeps(shop) -> None:  # type: ignore[no-untyped-def]
    broken = connect_merchant_sync(
        shop.stack.gateway.url,
        shop.stack.sandboxes,
        name="Revoked",
        shopify_shop_domain=f"revoked-{uuid.uuid4().hex[:8]}.myshopify.com",
    )
    chaos = f"{shop.tiktok}/webhooks/chaos"
    shop.http.put(chaos, json={"drop_probability": 1.0}).raise_for_status()
    try:
        # The seller revokes the app and the connector misses the news: its sweeps now fail.
        revoked = shop.http.post(f"{shop.tiktok}/shops/{broken.tiktok_shop_id}/deauthorize")
        revoked.raise_for_status()
        order_id = shop.place({"variant": 0, "quantity": 1})
    finally:
        shop.http.put(chaos, json={"drop_probability": 0.0}).raise_for_status()
    repaired = shop.wait_order(order_id, relayed)
    assert repaired["paid_source"] == "sweep", repaired
    metrics = shop.http.get(f"{shop.stack.relay.url}/metrics").text
    assert 'connector_order_sweep_failures_total{error="CredentialError"}' in metrics


def test_sync_missed_orders_task_reports_progress_and_relays_them(shop) -> None:  # type: ignore[no-untyped-def]
    chaos = f"{shop.tiktok}/webhooks/chaos"
    shop.http.put(chaos, json={"drop_probability": 1.0}).raise_for_status()
    try:
        missed = shop.place({"variant": 0, "quantity": 1})
        unpaid = shop.place({"variant": 1, "quantity": 1}, status="UNPAID")
    finally:
        shop.http.put(chaos, json={"drop_probability": 0.0}).raise_for_status()
    now = datetime.now(UTC)
    started = shop.http.post(
        f"{shop.api}/order-syncs",
        json={
            "connection_id": shop.merchant.connection_id,
            "created_from": (now - timedelta(hours=1)).isoformat(),
            "created_to": (now + timedelta(minutes=1)).isoformat(),
        },
    )
    assert started.status_code == 202, started.text
    task = shop.poll(
        lambda: shop.http.get(f"{shop.api}/order-syncs/{started.json()['task_id']}").json(),
        lambda t: t["status"] == "completed",
    )
    assert task["found"] == 1  # AWAITING_SHIPMENT only: the unpaid order is not found
    assert task["queued"] + task["already_synced"] == 1
    assert relayed(shop.wait_order(missed, relayed))
    assert shop.shopify_order(unpaid) is None


def test_sync_window_is_validated(shop) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    bad = shop.http.post(
        f"{shop.api}/order-syncs",
        json={
            "connection_id": shop.merchant.connection_id,
            "created_from": now.isoformat(),
            "created_to": (now - timedelta(hours=1)).isoformat(),
        },
    )
    assert bad.status_code == 422
    assert "created_to" in bad.text
