"""Order events: TikTok order status facts and the paid-order command for the relay."""

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from connector_contracts.envelope import Event


class OrderStatus(StrEnum):
    """TikTok order status, normalised (the webhook's `CANCEL` is `CANCELLED` here)."""

    UNPAID = "UNPAID"
    ON_HOLD = "ON_HOLD"
    AWAITING_SHIPMENT = "AWAITING_SHIPMENT"
    PARTIALLY_SHIPPING = "PARTIALLY_SHIPPING"
    AWAITING_COLLECTION = "AWAITING_COLLECTION"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class OrderStatusChanged(Event):
    """TikTok reported a new status for an order (webhook or reconciliation sweep)."""

    TYPE: ClassVar[str] = "order.status.changed"

    tiktok_order_id: str = Field(description="TikTok order id (string: exceeds 2^53).")
    tiktok_shop_id: str = Field(description="TikTok shop id.")
    status: OrderStatus
    is_on_hold_order: bool = Field(
        default=False, description="Inside TikTok's 1-hour cancellation grace period."
    )
    updated_at: AwareDatetime = Field(description="TikTok's update_time of this status.")
    source: str = Field(description="`webhook` or `sweep`.")

    def key(self) -> str:
        return self.tiktok_order_id


class OrderPaid(Event):
    """A TikTok order became paid and must be created in Shopify exactly once."""

    TYPE: ClassVar[str] = "order.paid"

    tiktok_order_id: str
    tiktok_shop_id: str
    status: OrderStatus = Field(description="AWAITING_SHIPMENT, or ON_HOLD when relayed on hold.")
    is_on_hold_order: bool = False
    paid_at: AwareDatetime = Field(description="When the order was seen paid.")

    def key(self) -> str:
        return self.tiktok_order_id
