"""Paid TikTok orders reach Shopify once, with the order settings applied; unpaid never do."""

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from connector_contracts import InventoryLocationsChanged
from connector_devstack.identity import GatewayIdentity
from connector_devstack.polling import poll
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e


def relayed(order: dict[str, Any]) -> bool:
    return order.get("relay_state") == "relayed"


def test_paid_order_is_created_in_shopify_once_with_defaults(shop) -> None:
    order_id = shop.place(
        {"variant": 0, "quantity": 2, "price": "20.00", "seller_discount": "2.00"},
        {"variant": 1, "quantity": 1, "price": "10.00", "platform_discount": "1.00"},
        shipping_fee="5.00",
        tax="3.30",
    )
    order = shop.wait_order(order_id, relayed)
    assert order["relay_state"] == "relayed", order
    created = shop.shopify_order(order_id)
    assert created is not None
    # TikTok pricing: seller-funded discounts lower the price, platform-funded ones don't.
    prices = sorted((Decimal(li["price"]), li["quantity"]) for li in created["line_items"])
    assert prices == [(Decimal("10.00"), 1), (Decimal("18.00"), 2)]
    assert Decimal(created["total_price"]) == Decimal("18.00") * 2 + 10 + 5 + Decimal("3.30")
    assert [t["gateway"] for t in created["transactions"]] == ["TikTokPAY"]
    assert created["financial_status"] == "paid"
    assert "TikTok Shop US" in created["tags"]
    assert created["email"].endswith("@scs.tiktokw.us")  # TikTok's encrypted relay address
    assert created["billing_address"] is None
    assert created["inventory_behaviour"] == "DECREMENT_OBEYING_POLICY"
    assert [t["channel_liable"] for t in created["tax_lines"]] == [False]
    # The Shopify order id is written back to TikTok as an external reference (by the link
    # worker, after the relay's commit).
    external = poll(lambda: shop.tiktok_order(order_id)["external_orders"], bool)
    assert [e["id"] for e in external] == [
        created["id"] if isinstance(created["id"], str) else str(created["id"])
    ]
    assert shop.available(0) == 3  # 5 - 2
    assert order["shopify_order_id"] == created["admin_graphql_api_id"]


def test_unpaid_order_never_reaches_shopify_until_paid(shop) -> None:
    order_id = shop.place({"variant": 0, "quantity": 1}, status="UNPAID")
    unpaid = shop.wait_order(order_id, lambda o: o["status"] == "UNPAID")
    assert unpaid["relay_state"] == "none"
    assert unpaid["shopify_order_id"] is None
    assert shop.orders(state="unpaid")["counts"]["unpaid"] == 1
    shop.set_tiktok_status(order_id, "CANCELLED")
    cancelled = shop.wait_order(order_id, lambda o: o["status"] == "CANCELLED")
    assert cancelled["relay_state"] == "cancelled"
    assert shop.shopify_order(order_id) is None


def test_order_settings_shape_the_shopify_order(shop) -> None:
    saved = shop.put_settings(
        payment_method="ERP-TIKTOK",
        billing_same_as_shipping=True,
        sync_encrypted_email=False,
        channel_liable_tax=True,
        prevent_negative_inventory=False,
    )
    assert saved.status_code == 200, saved.text
    order_id = shop.place({"variant": 0, "quantity": 1, "price": "12.00"}, tax="1.20")
    assert relayed(shop.wait_order(order_id, relayed))
    created = shop.shopify_order(order_id)
    assert created is not None
    assert [t["gateway"] for t in created["transactions"]] == ["ERP-TIKTOK"]
    assert created["billing_address"] == created["shipping_address"] is not None
    assert created["email"] == f"tiktok-{order_id}@placeholder.invalid"
    assert [t["channel_liable"] for t in created["tax_lines"]] == [True]
    assert created["inventory_behaviour"] == "DECREMENT_IGNORING_POLICY"


def test_tiktok_shipping_options_map_to_shopify_shipping_methods(shop) -> None:
    """Guide, Order Settings: "Map TikTok Shop Shipping Option to Shopify"."""
    bad = shop.put_settings(shipping_option_map={" ": "UPS Ground", "Express": ""})
    assert bad.status_code == 422
    assert {tuple(e["loc"])[-1] for e in bad.json()["detail"]} == {"shipping_option_map"}
    saved = shop.put_settings(shipping_option_map={"Express": "UPS Next Day Air"})
    assert saved.json()["shipping_option_map"] == {"Express": "UPS Next Day Air"}
    express = shop.place({"variant": 0, "quantity": 1}, delivery_option_name="Express")
    standard = shop.place({"variant": 1, "quantity": 1})  # "Standard Shipping", unmapped
    shop.wait_order(express, relayed)
    shop.wait_order(standard, relayed)
    lines = {
        order_id: [
            (s["title"], s["code"]) for s in (shop.shopify_order(order_id) or {})["shipping_lines"]
        ]
        for order_id in (express, standard)
    }
    assert lines == {
        express: [("UPS Next Day Air", "UPS Next Day Air")],
        standard: [("TikTok Shop shipping", "Standard Shipping")],
    }


def test_shopify_pricing_uses_the_variant_price(shop) -> None:
    shop.put_settings(use_tiktok_pricing=False).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1, "price": "99.00", "seller_discount": "9.00"}
    )
    assert relayed(shop.wait_order(order_id, relayed))
    created = shop.shopify_order(order_id)
    assert created is not None
    assert Decimal(created["line_items"][0]["price"]) == Decimal(shop.variants[0].price)


def test_prevent_negative_inventory_fails_an_out_of_stock_order_with_a_reason(shop) -> None:
    order_id = shop.place({"variant": 1, "quantity": 6})  # 5 in stock
    failed = shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")
    assert failed["failure_code"] == "out_of_stock"
    assert "requested 6, available 5" in failed["failure_reason"]
    assert shop.shopify_order(order_id) is None
    assert shop.orders(state="unsynced")["counts"]["unsynced"] == 1


def test_without_prevent_negative_inventory_stock_goes_negative(shop) -> None:
    shop.put_settings(prevent_negative_inventory=False).raise_for_status()
    order_id = shop.place({"variant": 1, "quantity": 6})
    assert relayed(shop.wait_order(order_id, relayed))
    assert shop.available(1) == -1


@pytest.fixture(scope="module")
def guard(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """inventory-guard, the inventory location's owner (ADR 0360)."""
    return start_module_service("inventory-guard")


def test_the_inventory_location_set_in_the_guard_is_checked_before_creating(
    shop, guard: ServiceProcess
) -> None:
    cid, shop_id = shop.merchant.connection_id, shop.merchant.tiktok_shop_id
    # Straight to the guard (started after this module's gateway, which cannot route to it),
    # signed as the gateway signs a merchant's request.
    url = f"{guard.url}/api/v1/inventory/{cid}/settings/{shop_id}"
    signed = GatewayIdentity([cid])
    body = {"location_ids": [shop.location_id]}
    # 404 until the guard's replica knows the connection.
    saved = shop.poll(
        lambda: httpx.put(url, json=body, timeout=30, auth=signed), lambda r: r.is_success, 60
    )
    assert saved.status_code == 200, saved.text
    assert shop.poll(lambda: asyncio.run(relay_card(shop)), bool, 60) == [shop.location_id]
    shop.set_stock(0, 1)
    order_id = shop.place({"variant": 0, "quantity": 2})
    failed = shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")
    assert failed["failure_code"] == "out_of_stock"
    assert "inventory location" in failed["failure_reason"]
    assert not [r for r in shop.requests() if "orderCreate" in r["operations"]]


async def relay_card(shop: Any) -> list[str] | None:
    """The locations order-relay's replica of the guard's card holds for the shop's region."""
    conn = await asyncpg.connect(shop.stack.infra.database_url)
    try:
        raw = await conn.fetchval(
            "SELECT card::text FROM order_relay.inventory_locations WHERE connection_id = $1",
            shop.merchant.connection_id,
        )
    finally:
        await conn.close()
    if raw is None:
        return None
    card = InventoryLocationsChanged.model_validate_json(raw)
    return card.locations_of(shop.merchant.tiktok_shop_id) or None


def test_order_with_unsynced_products_is_not_created_by_default(shop) -> None:
    order_id = shop.place({"sku_id": "1729592969712207099", "price": "5.00", "seller_sku": "LOOSE"})
    failed = shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")
    assert failed["failure_code"] == "unsynced_products"
    assert "contains unsynced products" in failed["failure_reason"]
    assert shop.shopify_order(order_id) is None


def test_order_with_unsynced_products_gets_virtual_lines_when_enabled(shop) -> None:
    shop.put_settings(sync_unsynced_products=True).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1},
        {"sku_id": "1729592969712207099", "price": "5.00", "seller_sku": "LOOSE"},
    )
    assert relayed(shop.wait_order(order_id, relayed))
    created = shop.shopify_order(order_id)
    assert created is not None
    virtual = [li for li in created["line_items"] if li["variant_id"] is None]
    assert [(li["sku"], Decimal(li["price"])) for li in virtual] == [("LOOSE", Decimal("5.00"))]


def test_fbt_orders_follow_the_setting(shop) -> None:
    skipped_id = shop.place({"variant": 0, "quantity": 1}, fbt=True)
    skipped = shop.wait_order(skipped_id, lambda o: o["relay_state"] == "skipped")
    assert skipped["failure_code"] == "fbt_not_synced"
    shop.put_settings(sync_fbt_orders=True).raise_for_status()
    synced_id = shop.place({"variant": 0, "quantity": 1}, fbt=True)
    assert relayed(shop.wait_order(synced_id, relayed))
    created = shop.shopify_order(synced_id)
    assert created is not None
    assert "TikTok FBT" in created["tags"]
    assert shop.shopify_order(skipped_id) is None


def test_failed_relay_retries_three_times_then_stays_unsynced_with_its_log(shop) -> None:
    shop.put_settings(retry_orders=True).raise_for_status()
    order_id = shop.place({"sku_id": "1729592969712207000", "price": "5.00"})
    final = shop.wait_order(
        order_id, lambda o: o["relay_attempts"] == 4 and o["next_retry_at"] is None, timeout=60
    )
    assert final["relay_state"] == "failed"
    assert final["relay_attempts"] == 4
    kinds = [h["kind"] for h in final["history"]]
    assert kinds.count("retry") == 3, final["history"]
    assert kinds.count("failed") == 4


def test_retry_succeeds_once_the_cause_is_fixed(shop) -> None:
    shop.put_settings(retry_orders=True).raise_for_status()
    order_id = shop.place({"variant": 1, "quantity": 7})
    shop.wait_order(order_id, lambda o: o["relay_state"] == "failed")
    shop.set_stock(1, 50)
    done = shop.wait_order(order_id, relayed)
    assert done["relay_attempts"] >= 2
    assert shop.shopify_order(order_id) is not None


def test_settings_are_validated_naming_the_field(shop) -> None:
    bad = shop.put_settings(payment_method="", shipping_provider_map={"UPS": "not-a-number"})
    assert bad.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in bad.json()["detail"]}
    assert {"payment_method", "shipping_provider_map"} <= fields
    unknown = shop.put_settings(retry_every_minute=True)
    assert unknown.status_code == 422
    assert "retry_every_minute" in unknown.text
    assert (
        shop.http.get(f"{shop.api}/order-settings/{shop.merchant.connection_id}").json()[
            "payment_method"
        ]
        == "TikTokPAY"
    )


def test_orders_list_filters_and_counts(shop) -> None:
    paid = shop.place({"variant": 0, "quantity": 1})
    unsynced = shop.place({"sku_id": "1729592969712201111", "price": "5.00"})
    shop.wait_order(paid, relayed)
    shop.wait_order(unsynced, lambda o: o["relay_state"] == "failed")
    page = shop.poll(
        shop.orders, lambda p: p["counts"]["unfulfilled"] == 1 and p["counts"]["unsynced"] == 1
    )
    assert page["counts"]["total"] == 2
    assert [o["tiktok_order_id"] for o in shop.orders(state="unsynced")["orders"]] == [unsynced]
    assert [o["tiktok_order_id"] for o in shop.orders(tiktok_order_id=paid)["orders"]] == [paid]
    assert shop.orders(state="bogus").get("detail")
