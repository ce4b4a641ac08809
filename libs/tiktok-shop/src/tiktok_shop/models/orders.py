"""Order, line item, payment and external-reference models (reference A6 Orders)."""

from decimal import Decimal

from pydantic import Field

from tiktok_shop.models.common import TikTokModel

# The webhook spells the cancelled status `CANCEL`; the API spells it `CANCELLED` (reference D1).
ORDER_STATUS_ALIASES = {"CANCEL": "CANCELLED"}


def normalize_order_status(status: str) -> str:
    """Map webhook spellings of an order status onto the API's."""
    return ORDER_STATUS_ALIASES.get(status, status)


class Payment(TikTokModel):
    """Order totals; every amount is a decimal string on the wire."""

    currency: str
    sub_total: Decimal = Decimal(0)
    shipping_fee: Decimal = Decimal(0)
    seller_discount: Decimal = Decimal(0)
    platform_discount: Decimal = Decimal(0)
    total_amount: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    original_total_product_price: Decimal = Decimal(0)
    original_shipping_fee: Decimal = Decimal(0)
    # None when the platform does not say (only then is the charged fee used as is).
    shipping_fee_seller_discount: Decimal | None = None


class LineItem(TikTokModel):
    """One unit of one SKU in an order (one line per unit is the common observation, A6)."""

    id: str
    sku_id: str
    product_id: str = ""
    product_name: str = ""
    sku_name: str = ""
    seller_sku: str = ""
    original_price: Decimal = Decimal(0)
    sale_price: Decimal = Decimal(0)
    seller_discount: Decimal = Decimal(0)
    platform_discount: Decimal = Decimal(0)
    currency: str = ""
    display_status: str = ""
    package_id: str = ""
    package_status: str = ""  # TO_FULFILL, PROCESSING, FULFILLING, COMPLETED, CANCELLED
    tracking_number: str = ""


class District(TikTokModel):
    """One level of a recipient address (country, state, city, ...)."""

    address_level_name: str = ""
    address_name: str = ""
    address_level: str = ""


class RecipientAddress(TikTokModel):
    """The buyer's (masked) shipping address; absent while an order is UNPAID or ON_HOLD."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone_number: str = ""
    full_address: str = ""
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    address_line4: str = ""
    address_detail: str = ""
    post_town: str = ""
    postal_code: str = ""
    region_code: str = ""
    district_info: list[District] = Field(default_factory=list)


class PackageRef(TikTokModel):
    """A package id on an order."""

    id: str


class Order(TikTokModel):
    """An order as returned by Get Order Detail / Get Order List."""

    id: str
    status: str
    create_time: int = 0
    update_time: int = 0
    paid_time: int | None = None
    is_on_hold_order: bool = False
    fulfillment_type: str = ""
    shipping_type: str = ""
    delivery_option_id: str = ""
    delivery_option_name: str = ""
    buyer_email: str = ""
    user_id: str = ""
    warehouse_id: str = ""
    payment: Payment | None = None
    recipient_address: RecipientAddress | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    packages: list[PackageRef] = Field(default_factory=list)
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    # Brazil: UNKNOWN / NEED_INVOICE / NO_NEED / INVOICE_UPLOADED (Upload Invoice before shipping).
    need_upload_invoice: str = ""


class ExternalLineItem(TikTokModel):
    """Maps a TikTok line item to the external system's line item."""

    id: str
    origin_id: str


class ExternalOrder(TikTokModel):
    """An order in another system (e.g. Shopify) linked to a TikTok order."""

    id: str
    platform: str = "SHOPIFY"
    line_items: list[ExternalLineItem] = Field(default_factory=list)


class ExternalOrderLink(TikTokModel):
    """One entry of Add External Order References."""

    id: str
    external_order: ExternalOrder


class PriceDetail(TikTokModel):
    """Result of Get Price Detail."""

    currency: str
    total: Decimal | None = None
    subtotal: Decimal | None = None
    tax_amount: Decimal | None = None
