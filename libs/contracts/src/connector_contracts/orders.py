"""Order events: TikTok order facts in, Shopify order facts in, and the relay's outcomes out."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    status: OrderStatus
    is_on_hold_order: bool = Field(
        default=False, description="Inside TikTok's 1-hour cancellation grace period."
    )
    updated_at: AwareDatetime = Field(description="TikTok's update_time of this status.")
    source: str = Field(description="`webhook`, `sweep` or `missed-sync`.")

    def key(self) -> str:
        return self.tiktok_order_id


class OrderPaid(Event):
    """A TikTok order became paid and must be created in Shopify exactly once."""

    TYPE: ClassVar[str] = "order.paid"

    tiktok_order_id: str
    tiktok_shop_id: str
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    status: OrderStatus = Field(description="AWAITING_SHIPMENT, or ON_HOLD when relayed on hold.")
    is_on_hold_order: bool = False
    paid_at: AwareDatetime = Field(description="When the order was seen paid.")
    source: str = Field(
        default="webhook", description="What revealed the payment: `webhook`, `sweep`, ..."
    )

    def key(self) -> str:
        return self.tiktok_order_id


class OrderCancellationChanged(Event):
    """TikTok reported a cancellation request status (webhook type 11), spelled as the API does."""

    TYPE: ClassVar[str] = "order.cancellation.changed"

    tiktok_order_id: str
    tiktok_shop_id: str
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    cancel_id: str = ""
    cancel_status: str = Field(
        description="CANCELLATION_REQUEST_PENDING | _SUCCESS | _CANCEL | _COMPLETE."
    )
    role: str = Field(default="", description="Who asked: BUYER, SELLER or SYSTEM.")
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.tiktok_order_id


class OrderReturnChanged(Event):
    """TikTok reported a return/refund status (webhook type 12)."""

    TYPE: ClassVar[str] = "order.return.changed"

    tiktok_order_id: str
    tiktok_shop_id: str
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    return_id: str
    return_status: str
    return_type: str = Field(default="", description="REFUND, RETURN_AND_REFUND, REPLACEMENT.")
    role: str = ""
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.tiktok_order_id


class PackageOrders(BaseModel):
    """One TikTok package and the orders in it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    package_id: str
    tiktok_order_ids: list[str] = Field(default_factory=list)


class OrderPackagesChanged(Event):
    """TikTok split or combined packages (webhook type 4)."""

    TYPE: ClassVar[str] = "order.packages.changed"

    tiktok_shop_id: str
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    change: str = Field(description="TikTok `sc_type`: SPLIT, COMBINE, CANCEL_SPLIT, ...")
    packages: list[PackageOrders]
    updated_at: AwareDatetime

    def key(self) -> str:
        firsts = [p.tiktok_order_ids[0] for p in self.packages if p.tiktok_order_ids]
        return firsts[0] if firsts else self.tiktok_shop_id


class OrderAddressChanged(Event):
    """The buyer changed the order's recipient address on TikTok (webhook type 3); the new
    address is read from TikTok (Get Order Detail), the webhook carries none."""

    TYPE: ClassVar[str] = "order.address.changed"

    tiktok_order_id: str
    tiktok_shop_id: str
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.tiktok_order_id


class OrderInvoiceChanged(Event):
    """TikTok verified (or refused) the invoice of a Brazil package (webhook type 36)."""

    TYPE: ClassVar[str] = "order.invoice.changed"

    tiktok_shop_id: str
    package_id: str
    tiktok_order_ids: list[str] = Field(min_length=1)
    invoice_status: str = Field(description="TikTok's: SUCCESS, PROCESSING, FAILED, INVALID.")
    invalid_reason: str = Field(
        default="",
        description="UNKNOWN, FAILED, NOT_FOUND, NOT_AUTHORIZED, ACCESS_KEY_DUPLICATE.",
    )
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.tiktok_order_ids[0]


class OrderInvoicesNeeded(Event):
    """order-relay: packages of a Brazil order now need an invoice before they ship (the
    relay recorded them, or TikTok split or combined the order's packages)."""

    TYPE: ClassVar[str] = "order.invoice.needed"

    tiktok_order_id: str
    tiktok_shop_id: str
    region: str | None = Field(default=None, description="TikTok market of that shop.")
    package_ids: list[str] = Field(min_length=1, description="The packages newly needing one.")

    def key(self) -> str:
        return self.tiktok_order_id


class FulfilledLine(BaseModel):
    """A quantity of one Shopify order line in a fulfilment."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    shopify_line_item_id: str = Field(description="`gid://shopify/LineItem/...`.")
    shopify_variant_id: str | None = None
    sku: str | None = None
    quantity: int = Field(ge=0)


class ShopifyFulfillmentCreated(Event):
    """The merchant fulfilled (some of) an order in Shopify (fulfillments/create or /update)."""

    TYPE: ClassVar[str] = "shopify.fulfillment.created"

    shopify_shop_domain: str
    shopify_order_id: str = Field(description="`gid://shopify/Order/...`.")
    fulfillment_id: str = Field(description="`gid://shopify/Fulfillment/...`.")
    status: str = ""
    tracking_company: str | None = None
    tracking_numbers: list[str] = Field(default_factory=list)
    lines: list[FulfilledLine] = Field(default_factory=list)
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.shopify_order_id


class ShopifyOrderCancelled(Event):
    """The merchant cancelled an order in Shopify (orders/cancelled)."""

    TYPE: ClassVar[str] = "shopify.order.cancelled"

    shopify_shop_domain: str
    shopify_order_id: str
    source_identifier: str | None = Field(
        default=None, description="Our `sourceIdentifier` (the TikTok order id), when set."
    )
    reason: str | None = None
    cancelled_at: AwareDatetime

    def key(self) -> str:
        return self.shopify_order_id


class ShopifyRefundCreated(Event):
    """A refund was created on a Shopify order (refunds/create)."""

    TYPE: ClassVar[str] = "shopify.refund.created"

    shopify_shop_domain: str
    shopify_order_id: str
    refund_id: str
    restocked_quantity: int = Field(default=0, ge=0)
    created_at: AwareDatetime
    lines: list[FulfilledLine] = Field(
        default_factory=list, description="The refunded quantities per Shopify order line."
    )
    amount: Decimal | None = Field(default=None, description="Money refunded, if any.")
    currency: str | None = None
    source_name: str | None = Field(
        default=None,
        description="Shopify's origin of the refund transactions: the API client id of the app"
        " that made it (e.g. a returns app such as Loop), or web / pos.",
    )

    def key(self) -> str:
        return self.shopify_order_id


class RelayedLine(BaseModel):
    """The units of one TikTok SKU in a relayed order, at the price Shopify got."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tiktok_product_id: str = ""
    tiktok_sku_id: str
    seller_sku: str = ""
    product_name: str = ""
    quantity: int = Field(ge=0)
    amount: Decimal = Field(description="Unit price times quantity, in the order's currency.")


class OrderRelayed(Event):
    """A paid TikTok order exists in Shopify (created now, or found from an earlier attempt)."""

    TYPE: ClassVar[str] = "order.relayed"

    tiktok_order_id: str
    shopify_order_id: str
    shopify_order_name: str = ""
    on_hold: bool = Field(default=False, description="Fulfilment held for the grace period.")
    found_existing: bool = Field(
        default=False, description="True when an earlier attempt had created it (deduplicated)."
    )
    total: Decimal | None = None
    currency: str | None = None
    attempt: int = Field(default=1, ge=1)
    tiktok_shop_id: str | None = Field(default=None, description="The shop it was placed in.")
    region: str | None = Field(default=None, description="That shop's market (e.g. `US`).")
    paid_at: AwareDatetime | None = Field(default=None, description="When TikTok says it was paid.")
    buyer_id: str | None = Field(default=None, description="TikTok's buyer `user_id`.")
    buyer_name: str | None = Field(
        default=None, description="The buyer's name as TikTok masks it (e.g. `S***x B***r`)."
    )
    lines: list[RelayedLine] = Field(default_factory=list, description="Units per TikTok SKU.")

    def key(self) -> str:
        return self.tiktok_order_id


class OrderRelayFailed(Event):
    """A paid TikTok order could not be created in Shopify; the reason is for the merchant."""

    TYPE: ClassVar[str] = "order.relay.failed"

    tiktok_order_id: str
    reason: str
    code: str = Field(description="Machine code: unsynced_products, out_of_stock, ...")
    attempt: int = Field(ge=1)
    next_retry_at: AwareDatetime | None = Field(
        default=None, description="When the relay retries; None when it will not."
    )
    tiktok_shop_id: str | None = Field(default=None, description="The shop it was placed in.")
    region: str | None = Field(default=None, description="That shop's market (e.g. `US`).")

    def key(self) -> str:
        return self.tiktok_order_id


class OrderShipped(Event):
    """A Shopify fulfilment shipped TikTok packages with tracking."""

    TYPE: ClassVar[str] = "order.shipped"

    tiktok_order_id: str
    package_ids: list[str]
    tracking_number: str
    shipping_provider_id: str
    complete: bool | None = Field(
        default=None, description="Every line of the order is now shipped (None: not said)."
    )

    def key(self) -> str:
        return self.tiktok_order_id


class OrderCancelled(Event):
    """An order was cancelled on one platform and the cancellation applied on the other."""

    TYPE: ClassVar[str] = "order.cancelled"

    tiktok_order_id: str
    shopify_order_id: str | None = None
    initiator: str = Field(description="`shopify`, or TikTok's BUYER / SELLER / SYSTEM.")
    restocked: bool = False
    archived: bool = False
    cancelled_at: datetime
    region: str | None = Field(default=None, description="The order's market (e.g. `US`).")

    def key(self) -> str:
        return self.tiktok_order_id


class OrderReturned(Event):
    """A TikTok return completed; Shopify was restocked when the setting says so."""

    TYPE: ClassVar[str] = "order.returned"

    tiktok_order_id: str
    return_id: str
    restocked: bool

    def key(self) -> str:
        return self.tiktok_order_id


class OversoldProduct(BaseModel):
    """A product in an order TikTok cancelled for lack of stock."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tiktok_product_id: str
    tiktok_sku_id: str
    seller_sku: str = ""
    product_name: str = ""


class OrderOversold(Event):
    """TikTok cancelled an order because a product was out of stock: take it down or restock."""

    TYPE: ClassVar[str] = "order.oversold"

    tiktok_order_id: str
    products: list[OversoldProduct]

    def key(self) -> str:
        return self.tiktok_order_id


# Order message types beyond the first two, for the registry (one place to add a new one).
ORDER_EVENTS: tuple[type[Event], ...] = (
    OrderCancellationChanged,
    OrderReturnChanged,
    OrderPackagesChanged,
    OrderAddressChanged,
    OrderInvoiceChanged,
    OrderInvoicesNeeded,
    ShopifyFulfillmentCreated,
    ShopifyOrderCancelled,
    ShopifyRefundCreated,
    OrderRelayed,
    OrderRelayFailed,
    OrderShipped,
    OrderCancelled,
    OrderReturned,
    OrderOversold,
)
