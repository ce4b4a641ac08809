"""Version-gated inventory CAS and idempotency, order effects of merchant actions, webhook faults."""

from __future__ import annotations

from shopify_sandbox.testing import RawAdmin, SandboxShop

SET = """mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "k-%s") { userErrors { field message code } }
}"""
CREATE = """mutation($order: OrderCreateOrderInput!) {
  orderCreate(order: $order, options: {inventoryBehaviour: DECREMENT_OBEYING_POLICY}) {
    order { id } userErrors { message code } }
}"""


def _item(env: SandboxShop) -> tuple[str, str]:
    env.control.seed(env.shop, products=1, variants_per_product=1)
    level = env.control.inventory(env.shop)[0]
    return level["inventory_item_gid"], level["location_gid"]


def test_compare_quantity_is_not_in_the_2026_04_schema(sandbox_url: str, env: SandboxShop) -> None:
    item, location = _item(env)
    admin = RawAdmin(sandbox_url, env, version="2026-04")
    quantity = {
        "inventoryItemId": item,
        "locationId": location,
        "quantity": 1,
        "compareQuantity": 0,
    }
    body = admin.post(
        SET % "a",
        {"input": {"name": "available", "reason": "correction", "quantities": [quantity]}},
    ).json()
    assert "compareQuantity" in body["errors"][0]["message"]


def test_2026_04_requires_change_from_quantity_on_every_quantity(
    sandbox_url: str, env: SandboxShop
) -> None:
    item, location = _item(env)
    admin = RawAdmin(sandbox_url, env, version="2026-04")
    quantity = {"inventoryItemId": item, "locationId": location, "quantity": 1}
    data = admin.data(
        SET % "b",
        {"input": {"name": "available", "reason": "correction", "quantities": [quantity]}},
    )
    errors = data["inventorySetQuantities"]["userErrors"]  # type: ignore[index]
    assert errors[0]["field"][-1] == "changeFromQuantity"


def test_2026_04_refund_without_idempotent_directive_fails(
    sandbox_url: str, env: SandboxShop
) -> None:
    admin = RawAdmin(sandbox_url, env, version="2026-04")
    query = 'mutation { refundCreate(input: {orderId: "gid://shopify/Order/1"}) { userErrors { message } } }'
    body = admin.post(query).json()
    assert "@idempotent" in body["errors"][0]["message"]


def test_merchant_cancel_restocks_and_closes_fulfillment_orders(
    admin: RawAdmin, env: SandboxShop
) -> None:
    item, location = _item(env)
    variant = env.control.orders
    product = env.control.seed
    del variant, product
    variant_id = admin.data("{ productVariants(first: 1) { nodes { id } } }")["productVariants"][
        "nodes"
    ][0]["id"]  # type: ignore[index]
    env.control.set_stock(env.shop, item, location, 5)
    created = admin.data(
        CREATE, {"order": {"lineItems": [{"variantId": variant_id, "quantity": 2}]}}
    )
    order_id = created["orderCreate"]["order"]["id"]  # type: ignore[index]
    assert _available(env, item, location) == 3
    cancelled = env.control.cancel_order(env.shop, order_id, restock=True)
    assert cancelled["cancelled_at"] is not None
    assert [fo["status"] for fo in cancelled["fulfillment_orders"]] == ["CANCELLED"]
    assert _available(env, item, location) == 5


def _available(env: SandboxShop, item: str, location: str) -> int:
    return next(
        int(level["available"])
        for level in env.control.inventory(env.shop)
        if level["inventory_item_gid"] == item and level["location_gid"] == location
    )


def test_dropped_webhooks_are_recorded_but_never_sent(admin: RawAdmin, env: SandboxShop) -> None:
    admin.data(
        'mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {uri: "http://127.0.0.1:9/hooks"}) { userErrors { message } } }'
    )
    env.control.set_webhook_faults(env.shop, drop_probability=1.0)
    admin.data(
        'mutation { orderCreate(order: {lineItems: [{title: "x", quantity: 1, priceSet: {shopMoney: {amount: "1.00", currencyCode: USD}}}]}) { userErrors { message } } }'
    )
    [delivery] = env.control.deliveries(env.shop, "orders/create")
    assert delivery["state"] == "dropped"
    assert delivery["attempts"] == []


def test_partial_fulfilment_ships_only_the_given_quantities(
    admin: RawAdmin, env: SandboxShop
) -> None:
    item, location = _item(env)
    variant_id = admin.data("{ productVariants(first: 1) { nodes { id } } }")["productVariants"][
        "nodes"
    ][0]["id"]  # type: ignore[index]
    env.control.set_stock(env.shop, item, location, 5)
    admin.data(
        'mutation { webhookSubscriptionCreate(topic: FULFILLMENTS_CREATE, webhookSubscription: {uri: "http://127.0.0.1:9/hooks"}) { userErrors { message } } }'
    )
    env.control.set_webhook_faults(env.shop, drop_probability=1.0)  # recorded, never sent
    created = admin.data(
        CREATE, {"order": {"lineItems": [{"variantId": variant_id, "quantity": 3}]}}
    )
    order_id = created["orderCreate"]["order"]["id"]  # type: ignore[index]
    [line] = env.control.orders(env.shop)[0]["line_items"]
    partial = env.control.fulfil_order(
        env.shop,
        order_id,
        tracking_number="1Z1",
        line_items=[{"line_item_id": line["admin_graphql_api_id"], "quantity": 2}],
    )
    [fo] = partial["fulfillment_orders"]
    assert (fo["status"], fo["line_items"][0]["remaining"]) == ("IN_PROGRESS", 1)
    [delivery] = env.control.deliveries(env.shop, "fulfillments/create")
    assert [li["quantity"] for li in delivery["payload"]["line_items"]] == [2]
    too_many = env.control._http.post(
        f"/shops/{env.shop}/orders/fulfil",
        json={
            "order_id": order_id,
            "line_items": [{"line_item_id": line["admin_graphql_api_id"], "quantity": 2}],
        },
    )
    assert too_many.status_code == 409
    rest = env.control.fulfil_order(env.shop, order_id, tracking_number="1Z2")
    assert [f["status"] for f in rest["fulfillment_orders"]] == ["CLOSED"]
    assert len(env.control.deliveries(env.shop, "fulfillments/create")) == 2
