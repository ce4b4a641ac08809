"""Cancellation and return models (reference A6 Cancellations and returns)."""

from decimal import Decimal

from pydantic import Field

from tiktok_shop.models.common import TikTokModel

# The webhook spells one status differently from the search filter (reference D1).
CANCEL_STATUS_ALIASES = {"CANCELLATION_REQUEST_CANCELLED": "CANCELLATION_REQUEST_CANCEL"}


def normalize_cancel_status(status: str) -> str:
    """Map webhook spellings of a cancellation status onto the API's."""
    return CANCEL_STATUS_ALIASES.get(status, status)


class RefundAmount(TikTokModel):
    """Refund totals (decimal strings on the wire)."""

    currency: str
    refund_total: Decimal | None = None
    refund_subtotal: Decimal | None = None
    refund_shipping_fee: Decimal | None = None
    refund_tax: Decimal | None = None


class CancelLineItem(TikTokModel):
    """A line item being cancelled."""

    order_line_item_id: str
    sku_id: str = ""
    seller_sku: str = ""


class Cancellation(TikTokModel):
    """A cancellation request, as returned by Search Cancellations."""

    cancel_id: str
    order_id: str
    cancel_type: str = ""
    cancel_status: str = ""
    role: str = ""
    cancel_reason: str = ""
    create_time: int = 0
    update_time: int = 0
    refund_amount: RefundAmount | None = None
    cancel_line_items: list[CancelLineItem] = Field(default_factory=list)


class CancelOrderResult(TikTokModel):
    """Result of a seller-initiated Cancel Order."""

    cancel_id: str
    cancel_status: str = ""


class ReturnLineItem(TikTokModel):
    """A line item being returned or refunded."""

    order_line_item_id: str
    return_line_item_id: str = ""
    sku_id: str = ""
    seller_sku: str = ""


class Return(TikTokModel):
    """A return/refund request, as returned by Search Returns."""

    return_id: str
    order_id: str
    return_type: str = ""
    return_status: str = ""
    role: str = ""
    return_reason: str = ""
    create_time: int = 0
    update_time: int = 0
    refund_amount: RefundAmount | None = None
    return_line_items: list[ReturnLineItem] = Field(default_factory=list)


class SellerReturn(TikTokModel):
    """Create Return: a return the seller made on the buyer's behalf (approved sellers)."""

    return_type: str = "REFUND"  # REFUND or RETURN_AND_REFUND
    return_reason: str
    order_line_item_ids: list[str] = Field(default_factory=list)
    refund_total: str | None = None  # a decimal string, at most the refundable amount
    currency: str | None = None


class CreatedReturn(TikTokModel):
    """Create Return's answer."""

    return_id: str
    return_status: str = ""
