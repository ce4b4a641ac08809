"""Shopify's mandatory privacy webhooks (reference B8) as commands to every service.

The bodies are parsed by models with bounds: a malformed one is a 400 Shopify can see. The
customer's email and phone in the bodies are not forwarded: ids are enough to find the orders.
"""

from collections.abc import Sequence
from typing import Annotated

from connector_contracts import (
    Event,
    ShopifyCustomerDataRequested,
    ShopifyCustomerRedactRequested,
    ShopifyShopRedactRequested,
)
from pydantic import BaseModel, ConfigDict, Field

from gateway.core.shopify_webhooks import ShopifyWebhook

CUSTOMERS_DATA_REQUEST = "customers/data_request"
CUSTOMERS_REDACT = "customers/redact"
SHOP_REDACT = "shop/redact"

RestId = Annotated[int, Field(ge=1, lt=2**63)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Customer(_Body):
    id: RestId


class _DataRequest(_Body):
    id: RestId


class DataRequestBody(_Body):
    """`customers/data_request`."""

    customer: _Customer
    orders_requested: list[RestId] = Field(default_factory=list, max_length=10_000)
    data_request: _DataRequest


class CustomerRedactBody(_Body):
    """`customers/redact`."""

    customer: _Customer
    orders_to_redact: list[RestId] = Field(default_factory=list, max_length=10_000)


def _order_gids(ids: list[int]) -> list[str]:
    return [f"gid://shopify/Order/{i}" for i in ids]


def to_data_requested(webhook: ShopifyWebhook) -> Sequence[Event]:
    """customers/data_request."""
    body = DataRequestBody.model_validate(webhook.body)
    return [
        ShopifyCustomerDataRequested(
            shopify_shop_domain=webhook.shop_domain,
            data_request_id=str(body.data_request.id),
            shopify_customer_id=str(body.customer.id),
            shopify_order_ids=_order_gids(body.orders_requested),
        )
    ]


def to_customer_redact(webhook: ShopifyWebhook) -> Sequence[Event]:
    """customers/redact."""
    body = CustomerRedactBody.model_validate(webhook.body)
    return [
        ShopifyCustomerRedactRequested(
            shopify_shop_domain=webhook.shop_domain,
            shopify_customer_id=str(body.customer.id),
            shopify_order_ids=_order_gids(body.orders_to_redact),
        )
    ]


def to_shop_redact(webhook: ShopifyWebhook) -> Sequence[Event]:
    """shop/redact: Shopify sends it 48 hours after the app was uninstalled."""
    return [ShopifyShopRedactRequested(shopify_shop_domain=webhook.shop_domain)]


TRANSLATORS = {
    CUSTOMERS_DATA_REQUEST: to_data_requested,
    CUSTOMERS_REDACT: to_customer_redact,
    SHOP_REDACT: to_shop_redact,
}
