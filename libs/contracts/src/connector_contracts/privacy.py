"""Shopify's mandatory privacy webhooks as commands to every service that holds merchant data.

Shopify requires them of every app (reference B8): a customer's data report, the redaction of a
customer's data, and the erasure of a shop's data 48 hours after the app was uninstalled.
"""

from typing import ClassVar

from pydantic import Field

from connector_contracts.envelope import Event


class ShopifyCustomerDataRequested(Event):
    """A customer asked the store for their data: report what we hold about their orders."""

    TYPE: ClassVar[str] = "shopify.customer.data_requested"

    shopify_shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    data_request_id: str = Field(description="Shopify's id of the request: the report's id.")
    shopify_customer_id: str = Field(description="Shopify customer id.")
    shopify_order_ids: list[str] = Field(description="Order gids the request covers.")

    def key(self) -> str:
        return self.shopify_shop_domain


class ShopifyCustomerRedactRequested(Event):
    """A customer's data must be erased (Shopify sends it when the store owner asks)."""

    TYPE: ClassVar[str] = "shopify.customer.redact_requested"

    shopify_shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    shopify_customer_id: str = Field(description="Shopify customer id.")
    shopify_order_ids: list[str] = Field(description="Order gids whose customer data to erase.")

    def key(self) -> str:
        return self.shopify_shop_domain


class ShopifyShopRedactRequested(Event):
    """48 hours after the app was uninstalled: erase everything held about the shop."""

    TYPE: ClassVar[str] = "shopify.shop.redact_requested"

    shopify_shop_domain: str = Field(description="`<shop>.myshopify.com`.")

    def key(self) -> str:
        return self.shopify_shop_domain


PRIVACY_EVENTS: tuple[type[Event], ...] = (
    ShopifyCustomerDataRequested,
    ShopifyCustomerRedactRequested,
    ShopifyShopRedactRequested,
)
