"""Inputs of the mutations the connector calls, serialised to the API's camelCase shapes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

InventoryBehaviour = Literal["BYPASS", "DECREMENT_IGNORING_POLICY", "DECREMENT_OBEYING_POLICY"]
CancelReason = Literal["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"]
HoldReason = Literal[
    "AWAITING_PAYMENT",
    "AWAITING_RETURN_ITEMS",
    "HIGH_RISK_OF_FRAUD",
    "INCORRECT_ADDRESS",
    "INVENTORY_OUT_OF_STOCK",
    "ONLINE_STORE_POST_PURCHASE_CROSS_SELL",
    "OTHER",
    "UNKNOWN_DELIVERY_DATE",
]


class ShopifyInput(BaseModel):
    """Base: snake_case in Python, camelCase on the wire, unset fields left out."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    def to_variables(self) -> dict[str, Any]:
        """The JSON value for a GraphQL variable (Decimal as string, no nulls)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class MoneyInput(ShopifyInput):
    """An amount in a currency."""

    amount: Decimal
    currency_code: str


class MoneyBagInput(ShopifyInput):
    """An amount in shop and (optionally) presentment currency."""

    shop_money: MoneyInput
    presentment_money: MoneyInput | None = None

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> MoneyBagInput:
        """The same amount in one currency."""
        return cls(shop_money=MoneyInput(amount=amount, currency_code=currency))


class AddressInput(ShopifyInput):
    """A mailing address."""

    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province_code: str | None = None
    country_code: str | None = None
    zip: str | None = None
    phone: str | None = None


class TaxLineInput(ShopifyInput):
    """A tax line; `channel_liable` marks TikTok as the party remitting it (B7)."""

    title: str
    rate: Decimal
    price_set: MoneyBagInput | None = None
    channel_liable: bool | None = None


class LineItemInput(ShopifyInput):
    """An order line: a variant, or a custom item with title and price."""

    quantity: int
    variant_id: str | None = None
    title: str | None = None
    price_set: MoneyBagInput | None = None
    sku: str | None = None
    requires_shipping: bool | None = None
    taxable: bool | None = None
    tax_lines: list[TaxLineInput] | None = None


class ShippingLineInput(ShopifyInput):
    """A shipping charge."""

    title: str
    price_set: MoneyBagInput
    code: str | None = None
    source: str | None = None
    tax_lines: list[TaxLineInput] | None = None


class TransactionInput(ShopifyInput):
    """A payment recorded on the order; `gateway` is the label merchants see."""

    amount_set: MoneyBagInput
    gateway: str | None = None
    kind: Literal["SALE", "AUTHORIZATION", "CAPTURE"] = "SALE"
    status: Literal["SUCCESS", "PENDING", "FAILURE"] = "SUCCESS"
    test: bool | None = None
    processed_at: datetime | None = None
    authorization_code: str | None = None


class AttributeInput(ShopifyInput):
    """A key/value note attribute."""

    key: str
    value: str


class OrderCreateInput(ShopifyInput):
    """`OrderCreateOrderInput`; set `source_identifier` so a retry can find the order."""

    line_items: list[LineItemInput]
    currency: str | None = None
    email: str | None = None
    phone: str | None = None
    tags: list[str] | None = None
    note: str | None = None
    source_name: str | None = None
    source_identifier: str | None = None
    billing_address: AddressInput | None = None
    shipping_address: AddressInput | None = None
    shipping_lines: list[ShippingLineInput] | None = None
    tax_lines: list[TaxLineInput] | None = None
    transactions: list[TransactionInput] | None = None
    custom_attributes: list[AttributeInput] | None = None
    financial_status: str | None = None
    processed_at: datetime | None = None
    taxes_included: bool | None = None


class OrderCreateOptions(ShopifyInput):
    """`OrderCreateOptionsInput`; note the British `inventoryBehaviour` (B7)."""

    inventory_behaviour: InventoryBehaviour = "BYPASS"
    send_receipt: bool = False
    send_fulfillment_receipt: bool = False


class TrackingInput(ShopifyInput):
    """Tracking of a shipment; use exact carrier names so Shopify builds the URL."""

    company: str | None = None
    number: str | None = None
    url: str | None = None


class FulfillmentLineInput(ShopifyInput):
    """A quantity of one fulfillment order line."""

    id: str
    quantity: int


class QuantitySet(ShopifyInput):
    """An absolute quantity with the value we expect to replace (`None` = don't check)."""

    inventory_item_id: str
    location_id: str
    quantity: int
    change_from: int | None = None


class RefundLineInput(ShopifyInput):
    """A refunded quantity of an order line."""

    line_item_id: str
    quantity: int
    restock_type: Literal["NO_RESTOCK", "CANCEL", "RETURN"] = "NO_RESTOCK"
    location_id: str | None = None


class RefundTransactionInput(ShopifyInput):
    """Money returned with a refund (`OrderTransactionInput`)."""

    order_id: str
    amount: Decimal
    gateway: str
    kind: Literal["REFUND"] = "REFUND"
    parent_id: str | None = None
