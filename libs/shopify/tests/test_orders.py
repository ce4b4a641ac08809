"""orderCreate exactly once (lookup before retry), inventory behaviour, cancel and refunds (B7)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from shopify import AmbiguousWriteError, ShopifyClient, ShopifyUserError
from shopify.inputs import (
    AddressInput,
    AttributeInput,
    LineItemInput,
    MoneyBagInput,
    OrderCreateInput,
    OrderCreateOptions,
    RefundLineInput,
    RefundTransactionInput,
    ShippingLineInput,
    TaxLineInput,
    TransactionInput,
)
from shopify.models import Variant
from shopify_sandbox import SandboxSettings, create_app
from shopify_sandbox.control_client import SandboxControl
from shopify_sandbox.testing import SandboxShop, provision_shop, serve


async def _variant(env: SandboxShop, client: ShopifyClient, stock: int) -> Variant:
    summary = env.control.seed(env.shop, products=1, variants_per_product=1, seed=11)
    product = await client.products.get(summary["product_ids"][0])
    assert product is not None
    variant = product.variants[0]
    assert variant.inventory_item is not None
    for location in env.locations:
        env.control.set_stock(env.shop, variant.inventory_item.id, location, stock)
    return variant


def _order(variant_id: str | None, identifier: str, quantity: int = 1) -> OrderCreateInput:
    line = (
        LineItemInput(variant_id=variant_id, quantity=quantity)
        if variant_id
        else LineItemInput(
            title="Unsynced TikTok item",
            quantity=quantity,
            price_set=MoneyBagInput.of(Decimal("9.99"), "USD"),
        )
    )
    return OrderCreateInput(
        line_items=[line],
        currency="USD",
        email="buyer@example.invalid",
        tags=["TikTok", "TTS-US"],
        source_name="tiktok",
        source_identifier=identifier,
        shipping_address=AddressInput(
            first_name="A", last_name="B", city="Austin", country_code="US"
        ),
        shipping_lines=[
            ShippingLineInput(title="Standard", price_set=MoneyBagInput.of(Decimal("4.00"), "USD"))
        ],
        tax_lines=[
            TaxLineInput(
                title="State tax",
                rate=Decimal("0.08"),
                price_set=MoneyBagInput.of(Decimal("1.20"), "USD"),
                channel_liable=True,
            )
        ],
        transactions=[
            TransactionInput(
                amount_set=MoneyBagInput.of(Decimal("100.00"), "USD"), gateway="TikTok Shop"
            )
        ],
        custom_attributes=[AttributeInput(key="tiktok_order_id", value=identifier)],
    )


async def test_order_is_created_with_every_field(env: SandboxShop, client: ShopifyClient) -> None:
    variant = await _variant(env, client, stock=5)
    identifier = f"tts-{uuid.uuid4().hex}"
    order = await client.orders.create(
        _order(variant.id, identifier, 2),
        OrderCreateOptions(inventory_behaviour="DECREMENT_OBEYING_POLICY"),
    )
    assert order.source_identifier == identifier
    assert order.line_items[0].variant_id == variant.id
    [stored] = env.control.orders(env.shop)
    assert stored["tags"] == "TikTok, TTS-US"
    assert stored["tax_lines"][0]["channel_liable"] is True
    assert stored["transactions"][0]["gateway"] == "TikTok Shop"
    assert stored["inventory_behaviour"] == "DECREMENT_OBEYING_POLICY"
    assert stored["note_attributes"] == [{"name": "tiktok_order_id", "value": identifier}]
    assert stored["financial_status"] == "paid"


async def test_commit_then_drop_creates_exactly_one_order(
    env: SandboxShop, client: ShopifyClient
) -> None:
    variant = await _variant(env, client, stock=5)
    env.control.add_fault(kind="commit_then_drop", operation="orderCreate", shop=env.shop, times=1)
    identifier = f"tts-{uuid.uuid4().hex}"
    order = await client.orders.create(_order(variant.id, identifier))
    assert order.source_identifier == identifier
    assert [o["source_identifier"] for o in env.control.orders(env.shop)] == [identifier]


async def test_ambiguous_create_without_identifier_is_not_retried(
    env: SandboxShop, client: ShopifyClient
) -> None:
    env.control.add_fault(kind="commit_then_drop", operation="orderCreate", shop=env.shop, times=1)
    unidentified = _order(None, "x").model_copy(update={"source_identifier": None})
    with pytest.raises(AmbiguousWriteError):
        await client.orders.create(unidentified)
    assert len(env.control.orders(env.shop)) == 1


async def test_order_lookup_by_identifier(env: SandboxShop, client: ShopifyClient) -> None:
    identifier = f"tts-{uuid.uuid4().hex}"
    assert await client.orders.find_by_source_identifier(identifier) is None
    created = await client.orders.create(_order(None, identifier))
    found = await client.orders.find_by_source_identifier(identifier)
    assert found is not None
    assert found.id == created.id


async def test_out_of_stock_order_obeying_policy_fails_with_a_readable_reason(
    env: SandboxShop, client: ShopifyClient
) -> None:
    variant = await _variant(env, client, stock=1)
    with pytest.raises(ShopifyUserError) as raised:
        await client.orders.create(
            _order(variant.id, "tts-oos", 3),
            OrderCreateOptions(inventory_behaviour="DECREMENT_OBEYING_POLICY"),
        )
    assert raised.value.codes == {"INVENTORY_CLAIM_FAILED"}
    assert "requested 3, available 1" in raised.value.reasons[0]
    assert env.control.orders(env.shop) == []


async def test_ignoring_policy_lets_stock_go_negative(
    env: SandboxShop, client: ShopifyClient
) -> None:
    variant = await _variant(env, client, stock=1)
    await client.orders.create(
        _order(variant.id, "tts-neg", 3),
        OrderCreateOptions(inventory_behaviour="DECREMENT_IGNORING_POLICY"),
    )
    assert variant.inventory_item is not None
    levels = await client.inventory.levels(variant.inventory_item.id)
    assert sorted(lv.available for lv in levels) == [-2, 1]


async def test_cancel_with_restock_returns_the_units(
    env: SandboxShop, client: ShopifyClient
) -> None:
    variant = await _variant(env, client, stock=4)
    order = await client.orders.create(
        _order(variant.id, "tts-cancel", 3),
        OrderCreateOptions(inventory_behaviour="DECREMENT_OBEYING_POLICY"),
    )
    assert variant.inventory_item is not None
    assert sorted(
        lv.available for lv in await client.inventory.levels(variant.inventory_item.id)
    ) == [1, 4]
    await client.orders.cancel(order.id, reason="CUSTOMER", restock=True)
    assert sorted(
        lv.available for lv in await client.inventory.levels(variant.inventory_item.id)
    ) == [4, 4]
    refreshed = await client.orders.get(order.id)
    assert refreshed is not None
    assert refreshed.cancelled_at is not None
    with pytest.raises(ShopifyUserError, match="already been cancelled"):
        await client.orders.cancel(order.id)


async def test_refund_with_the_same_idempotency_key_is_applied_once(
    env: SandboxShop, client: ShopifyClient
) -> None:
    order = await client.orders.create(_order(None, "tts-refund", 2))
    key = str(uuid.uuid4())
    lines = [RefundLineInput(line_item_id=order.line_items[0].id, quantity=1)]
    money = [
        RefundTransactionInput(order_id=order.id, amount=Decimal("9.99"), gateway="TikTok Shop")
    ]
    first = await client.orders.refund(order.id, lines, idempotency_key=key, transactions=money)
    again = await client.orders.refund(order.id, lines, idempotency_key=key, transactions=money)
    assert first.id == again.id
    assert first.total_refunded == Decimal("9.99")
    [stored] = env.control.orders(env.shop)
    assert len(stored["refunds"]) == 1


async def test_lookup_after_ambiguous_create_waits_out_search_index_lag() -> None:
    with serve(create_app(SandboxSettings(order_search_lag_seconds=0.3))) as url:
        control = SandboxControl(url)
        env = provision_shop(control)
        control.add_fault(kind="commit_then_drop", operation="orderCreate", shop=env.shop, times=1)
        async with env.client(order_lookup_interval_seconds=0.2, order_lookup_attempts=5) as client:
            order = await client.orders.create(_order(None, "tts-lagged"))
        stored = control.orders(env.shop)
        control.close()
    assert order.source_identifier == "tts-lagged"
    assert len(stored) == 1


async def test_lookup_first_returns_the_existing_order_without_creating(
    env: SandboxShop, client: ShopifyClient
) -> None:
    first = await client.orders.create(_order(None, "tts-redelivered"))
    again = await client.orders.create(_order(None, "tts-redelivered"), lookup_first=True)
    assert again.id == first.id
    assert len(env.control.orders(env.shop)) == 1
