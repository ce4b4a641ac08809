"""A buyer corrects the recipient address on TikTok before shipment (webhook 3): the relayed
Shopify order's shipping address follows; a change after fulfilment is shown on the order and in
the alerts instead."""

from typing import Any

NEW_ADDRESS = {
    "address_line1": "2 Corrected Ave",
    "postal_code": "95112",
    "full_address": "2 Corrected Ave, San Jose, CA 95112",
}


def relayed(order: dict[str, Any]) -> bool:
    return order.get("relay_state") == "relayed"


def buyer_changes_address(shop: Any, order_id: str) -> None:
    """The buyer edits the address on TikTok (the sandbox sends webhook 3)."""
    shop.http.post(
        f"{shop.tiktok}/orders/{order_id}/recipient_address", json=NEW_ADDRESS
    ).raise_for_status()


def address_history(order: dict[str, Any]) -> list[str]:
    return [h["message"] for h in order.get("history", []) if h["kind"] == "address"]


def test_an_address_corrected_before_shipment_reaches_the_shopify_order(shop) -> None:  # type: ignore[no-untyped-def]
    """Guide: "How to Sync Orders" (Creating Orders) and "Order Settings: Customer attributes"
    (billing address = shipping address)."""
    shop.put_settings(billing_same_as_shipping=True).raise_for_status()
    order_id = shop.place({"variant": 0, "quantity": 1})
    shop.wait_order(order_id, relayed)
    before = shop.shopify_order(order_id)
    assert before["shipping_address"]["address1"] == "1199 Coleman Ave"

    buyer_changes_address(shop, order_id)
    updated = shop.wait_order(order_id, lambda o: bool(address_history(o)))
    after = shop.shopify_order(order_id)
    assert (after["shipping_address"]["address1"], after["shipping_address"]["zip"]) == (
        "2 Corrected Ave",
        "95112",
    )
    assert after["shipping_address"]["firstName"] == before["shipping_address"]["firstName"]
    assert (
        "Shipping address updated from TikTok Shop: 2 Corrected Ave" in address_history(updated)[0]
    )
    # Shopify lets no app change a billing address: the order says so.
    assert after["billing_address"]["address1"] == "1199 Coleman Ave"
    assert "billing address still shows the old one" in updated["address_notice"]


def test_an_address_changed_after_fulfilment_is_shown_not_applied(shop) -> None:  # type: ignore[no-untyped-def]
    """Guide: "How to Sync Orders" (To Fulfill an order in Shopify) and "Orders"."""
    order_id = shop.place({"variant": 0, "quantity": 1})
    shop.wait_order(order_id, relayed)
    created = shop.shopify_order(order_id)
    # An unmapped carrier: Shopify is fulfilled, TikTok still awaits shipment (address editable).
    shop.fulfil(created["admin_graphql_api_id"], "Pigeon Post", "PP-1")
    shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    assert shop.tiktok_order(order_id)["status"] == "AWAITING_SHIPMENT"

    buyer_changes_address(shop, order_id)
    noticed = shop.wait_order(order_id, lambda o: bool(o.get("address_notice")))
    assert "after the order was fulfilled in Shopify: 2 Corrected Ave" in noticed["address_notice"]
    assert shop.shopify_order(order_id)["shipping_address"]["address1"] == "1199 Coleman Ave"
    alerts = shop.http.get(
        f"{shop.api}/order-alerts/address-changes",
        params={"connection_id": shop.merchant.connection_id},
    ).json()
    assert [a["tiktok_order_id"] for a in alerts] == [order_id]
