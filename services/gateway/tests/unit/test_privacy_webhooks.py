"""Shopify's privacy webhooks become commands with order gids, and never carry contact data."""

import pytest
from connector_contracts import (
    ShopifyCustomerDataRequested,
    ShopifyCustomerRedactRequested,
    ShopifyShopRedactRequested,
)
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.webhook_routes import SHOPIFY_TRANSLATORS
from pydantic import ValidationError

CUSTOMER = {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"}


def translate(topic: str, body: dict[str, object]) -> object:
    webhook = ShopifyWebhook(
        topic=topic, shop_domain="demo.myshopify.com", webhook_id="w", body=body
    )
    [event] = SHOPIFY_TRANSLATORS[topic](webhook)
    return event


def test_a_data_request_names_the_orders_as_gids() -> None:
    event = translate(
        "customers/data_request",
        {"customer": CUSTOMER, "orders_requested": [299938, 280263], "data_request": {"id": 9999}},
    )
    assert event == ShopifyCustomerDataRequested(
        shopify_shop_domain="demo.myshopify.com",
        data_request_id="9999",
        shopify_customer_id="191167",
        shopify_order_ids=["gid://shopify/Order/299938", "gid://shopify/Order/280263"],
    )
    assert "john@example.com" not in event.model_dump_json()


def test_a_customer_redaction_names_the_orders_to_redact() -> None:
    event = translate("customers/redact", {"customer": CUSTOMER, "orders_to_redact": [1]})
    assert isinstance(event, ShopifyCustomerRedactRequested)
    assert event.shopify_order_ids == ["gid://shopify/Order/1"]


def test_shop_redact_names_the_shop() -> None:
    event = translate("shop/redact", {"shop_id": 954889, "shop_domain": "demo.myshopify.com"})
    assert event == ShopifyShopRedactRequested(shopify_shop_domain="demo.myshopify.com")


@pytest.mark.parametrize(
    "body",
    [
        {"customer": {"id": "x"}, "orders_requested": [], "data_request": {"id": 1}},
        {"customer": CUSTOMER, "orders_requested": 5, "data_request": {"id": 1}},
        {"customer": CUSTOMER, "orders_requested": [10**20], "data_request": {"id": 1}},
        {"customer": CUSTOMER, "orders_requested": []},
    ],
)
def test_a_malformed_data_request_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        translate("customers/data_request", body)
