"""Holds, fulfilment with tracking, and the signed webhooks it emits (B7, B8)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from shopify import ShopifyClient, ShopifyUserError, verify_webhook
from shopify.inputs import LineItemInput, MoneyBagInput, OrderCreateInput, TrackingInput
from shopify.models import Order
from shopify_sandbox.testing import SandboxShop, WebhookReceiver, eventually


async def _order(client: ShopifyClient, identifier: str) -> Order:
    line = LineItemInput(
        title="Custom", quantity=2, price_set=MoneyBagInput.of(Decimal("5.00"), "USD")
    )
    return await client.orders.create(
        OrderCreateInput(line_items=[line], source_identifier=identifier)
    )


async def test_held_order_cannot_ship_until_released(
    env: SandboxShop, client: ShopifyClient
) -> None:
    order = await _order(client, "tts-hold")
    [fo] = await client.fulfillments.fulfillment_orders(order.id)
    hold = await client.fulfillments.hold(
        fo.id, "OTHER", reason_notes="TikTok cancellation grace period", handle="grace"
    )
    [held] = await client.fulfillments.fulfillment_orders(order.id)
    assert held.status == "ON_HOLD"
    assert [h.id for h in held.fulfillment_holds] == [hold.id]
    with pytest.raises(ShopifyUserError, match="unfulfillable status"):
        await client.fulfillments.create({fo.id: None})
    released = await client.fulfillments.release_hold(fo.id)
    assert released.status == "OPEN"
    fulfillment = await client.fulfillments.create(
        {fo.id: None}, tracking=TrackingInput(company="UPS", number="1Z999")
    )
    assert [(t.company, t.number) for t in fulfillment.tracking_info] == [("UPS", "1Z999")]
    shipped = await client.orders.get(order.id)
    assert shipped is not None
    assert shipped.display_fulfillment_status == "FULFILLED"


async def test_webhooks_are_signed_with_the_app_secret(
    env: SandboxShop, client: ShopifyClient, receiver: WebhookReceiver
) -> None:
    for topic in ("orders/create", "fulfillments/create"):
        await client.webhooks.create(topic, receiver.url)
    order = await _order(client, "tts-hooks")
    env.control.fulfil_order(env.shop, order.id, tracking_number="1ZABC")

    await eventually(lambda: bool(receiver.topic("fulfillments/create", env.shop)))
    [hook] = receiver.topic("fulfillments/create", env.shop)
    assert verify_webhook(hook.body, hook.headers["x-shopify-hmac-sha256"], env.client_secret)
    assert hook.json()["tracking_number"] == "1ZABC"
    assert hook.headers["x-shopify-api-version"] == env.config.api_version
    assert hook.headers["x-shopify-webhook-id"]
    tampered = hook.body.replace(b"1ZABC", b"1ZXYZ")
    assert not verify_webhook(tampered, hook.headers["x-shopify-hmac-sha256"], env.client_secret)
    assert not verify_webhook(hook.body, hook.headers["x-shopify-hmac-sha256"], "wrong-secret")
    await eventually(lambda: bool(receiver.topic("orders/create", env.shop)))
    created = json.loads(receiver.topic("orders/create", env.shop)[0].body)
    assert created["source_identifier"] == "tts-hooks"


async def test_duplicated_webhooks_keep_their_webhook_id(
    env: SandboxShop, client: ShopifyClient, receiver: WebhookReceiver
) -> None:
    await client.webhooks.create("orders/create", receiver.url)
    env.control.set_webhook_faults(env.shop, duplicate_probability=1.0)
    await _order(client, "tts-dup")
    await eventually(lambda: len(receiver.topic("orders/create", env.shop)) == 2)
    ids = {r.headers["x-shopify-webhook-id"] for r in receiver.topic("orders/create", env.shop)}
    assert len(ids) == 1


async def test_subscriptions_are_listed_and_deleted(
    env: SandboxShop, client: ShopifyClient
) -> None:
    created = await client.webhooks.create("products/update", "https://example.invalid/hooks")
    assert created.topic == "PRODUCTS_UPDATE"
    assert [s.id for s in await client.webhooks.all()] == [created.id]
    with pytest.raises(ShopifyUserError, match="already been taken"):
        await client.webhooks.create("PRODUCTS_UPDATE", "https://example.invalid/hooks")
    await client.webhooks.delete(created.id)
    assert await client.webhooks.all() == []
