"""Shopify's REST-shaped webhook bodies (reference B8) as bounded models.

A signed body of another shape (an id of a kilobyte, a list of a million lines, a number where
text belongs) is a 400 naming the field, never a crash further in. Numeric ids are kept as exact
strings; unknown fields are ignored because Shopify adds fields to these bodies.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(max_length=255)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000)]
Lines = Field(default=None, max_length=1000)


class RestBody(BaseModel):
    """A REST body object."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)

    id: Text | None = None
    admin_graphql_api_id: Text | None = None

    def gid(self, kind: str) -> str:
        """This object's GraphQL id (REST bodies carry the number, and sometimes the gid)."""
        if not (self.admin_graphql_api_id or self.id):
            raise ValueError(f"missing {kind} id (admin_graphql_api_id or id)")
        return gid(kind, self.admin_graphql_api_id or self.id)


class ProductBody(RestBody):
    """products/create, products/update, products/delete."""

    updated_at: datetime | None = None


class BulkOperationBody(RestBody):
    """bulk_operations/finish (its field list is UNCONFIRMED, B4; enums in lower case)."""

    status: Text | None = None
    error_code: Text | None = None
    completed_at: datetime | None = None
    type: Text | None = None


class InventoryLevelBody(BaseModel):
    """inventory_levels/update (its admin_graphql_api_id is the level's, not the item's)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)

    inventory_item_id: Text
    location_id: Text
    available: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] | None = None
    updated_at: datetime | None = None


class OrderCancelBody(RestBody):
    """orders/cancelled."""

    source_identifier: Text | None = None
    cancel_reason: Text | None = None
    cancelled_at: datetime | None = None


class FulfillmentLine(RestBody):
    """One line of a fulfilment."""

    variant_id: Text | None = None
    sku: Text | None = None
    quantity: Quantity | None = None


class FulfillmentBody(RestBody):
    """fulfillments/create and fulfillments/update."""

    order_id: Text | None = None
    status: Text | None = None
    tracking_company: Text | None = None
    tracking_number: Text | None = None
    tracking_numbers: list[Text | None] | None = Lines
    line_items: list[FulfillmentLine] | None = Lines
    updated_at: datetime | None = None


class RefundLine(BaseModel):
    """One refunded line."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)

    line_item_id: Text | None = None
    quantity: Quantity | None = None
    restock_type: Text | None = None


class RefundTransaction(BaseModel):
    """A money movement of a refund; `source_name` says which app (API client id) made it."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)

    kind: Text | None = None
    status: Text | None = None
    amount: Decimal | None = Field(default=None, ge=0, le=1_000_000_000)
    currency: Text | None = None
    source_name: Text | None = None


class RefundBody(RestBody):
    """refunds/create."""

    order_id: Text | None = None
    refund_line_items: list[RefundLine] | None = Lines
    transactions: list[RefundTransaction] | None = Lines
    created_at: datetime | None = None


def gid(kind: str, value: str | None) -> str:
    """A GraphQL id of `kind` from a REST id or a gid (ValueError when there is none)."""
    if not value:
        raise ValueError(f"missing {kind} id")
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"


def instant(value: datetime | None, fallback: datetime | None) -> datetime | None:
    """The body's time (UTC when it carries no offset), else the delivery's."""
    if value is not None:
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return fallback


def aware(value: datetime | None, fallback: datetime | None) -> datetime:
    """The body's time, else the delivery's, else now (for facts that must carry one)."""
    return instant(value, fallback) or datetime.now(UTC)
