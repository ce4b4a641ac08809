"""In-memory records of everything the simulated platform knows, for the life of the process."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class App:
    """A partner app: its key/secret and its app-wide (Partner Center) webhook URL."""

    key: str
    secret: str
    webhook_url: str | None = None


@dataclass
class Warehouse:
    """A shop warehouse."""

    id: str
    name: str
    type: str = "SALES_WAREHOUSE"
    is_default: bool = False


@dataclass
class ShippingTemplate:
    """A shipping template the seller set up in Seller Center for one shop (Get Available
    Shipping Template lists a shop's own; another shop's id is unknown there)."""

    id: str
    name: str
    is_default: bool = False
    party: int = 2  # 1: shipping by platform, 2: shipping by seller
    unreachable_reason: str | None = None  # set: TikTok lists it but it cannot be used

    @property
    def available(self) -> bool:
        """TikTok's `template_is_available`."""
        return self.unreachable_reason is None


@dataclass
class Shop:
    """A seller's shop authorized to one app; `cipher` identifies it on API calls."""

    id: str
    app_key: str
    seller_id: str
    cipher: str
    region: str
    name: str
    code: str
    currency: str
    warehouses: list[Warehouse] = field(default_factory=list)
    shipping_templates: list[ShippingTemplate] = field(default_factory=list)
    # Event API subscriptions: event_type -> (address, create_time, update_time).
    webhooks: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    authorized: bool = True


@dataclass
class Token:
    """An access or refresh token of one seller for one app, for the shops the seller chose
    on the authorize page (`shop_ids`; None: every shop of the seller, a control-plane grant).
    Each authorization is a grant of its own: refreshing one leaves the others working."""

    value: str
    app_key: str
    seller_id: str
    expires_at: int
    kind: str  # "access" | "refresh"
    revoked: bool = False
    shop_ids: frozenset[str] | None = None


@dataclass
class AuthCode:
    """A one-time auth code from the authorize redirect (valid 30 min, reference A4)."""

    code: str
    app_key: str
    seller_id: str
    expires_at: int
    used: bool = False
    shop_ids: frozenset[str] | None = None


@dataclass
class Sku:
    """A product SKU: price and stock per warehouse."""

    id: str
    seller_sku: str
    price: Decimal
    currency: str
    inventory: dict[str, int]
    external_sku_id: str = ""
    sales_attributes: list[JsonDict] = field(default_factory=list)
    list_price: Decimal | None = None


@dataclass
class Product:
    """A product as the platform stores it (body as submitted, plus its state)."""

    id: str
    shop_id: str
    body: JsonDict
    skus: list[Sku]
    status: str
    audit_status: str
    create_time: int
    update_time: int
    fail_reasons: list[str] = field(default_factory=list)
    idempotency_key: str | None = None
    audit_generation: int = 0


@dataclass
class StoredFile:
    """A file from Upload Product File: a PDF certificate or a product video."""

    id: str
    name: str
    format: str
    size: int
    width: int = 0
    height: int = 0

    @property
    def is_video(self) -> bool:
        """Videos can be a product's `video`; PDFs only certifications."""
        return self.format != "PDF"


@dataclass
class SizeChartTemplate:
    """A size chart template the seller made in Seller Center (shared by the seller's shops)."""

    id: str
    seller_id: str
    name: str
    image_uri: str
    locale: str = "en-US"


@dataclass
class LineItem:
    """One unit of one SKU in an order."""

    id: str
    sku_id: str
    product_id: str
    product_name: str
    sku_name: str
    seller_sku: str
    original_price: Decimal
    sale_price: Decimal
    seller_discount: Decimal
    platform_discount: Decimal
    package_id: str = ""
    display_status: str = "AWAITING_SHIPMENT"
    cancelled: bool = False


@dataclass
class Package:
    """A package of some line items of an order."""

    id: str
    order_id: str
    line_item_ids: list[str]
    status: str = "PROCESSING"
    tracking_number: str = ""
    shipping_provider_id: str = ""
    handover_method: str = ""
    tracking_updates: int = 0
    update_time: int = 0


@dataclass
class Order:
    """An order, with its money, buyer, lines, packages and external references."""

    id: str
    shop_id: str
    status: str
    currency: str
    line_items: list[LineItem]
    packages: list[Package]
    shipping_fee: Decimal
    shipping_seller_discount: Decimal
    shipping_platform_discount: Decimal
    tax: Decimal
    buyer_email: str
    user_id: str
    recipient: JsonDict
    create_time: int
    update_time: int
    paid_time: int | None
    warehouse_id: str
    is_on_hold: bool = False
    fulfillment_type: str = "FULFILLMENT_BY_SELLER"
    shipping_type: str = "SELLER"
    delivery_option_id: str = ""
    delivery_option_name: str = ""
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    # platform -> external order {id, platform, line_items[]}
    external_orders: dict[str, JsonDict] = field(default_factory=dict)


@dataclass
class Cancellation:
    """A cancellation request on an order (buyer, seller or system)."""

    id: str
    order_id: str
    shop_id: str
    status: str
    role: str
    cancel_type: str
    reason: str
    line_item_ids: list[str]
    create_time: int
    update_time: int


@dataclass
class Return:
    """A return / refund / replacement request."""

    id: str
    order_id: str
    shop_id: str
    return_type: str
    status: str
    role: str
    reason: str
    line_item_ids: list[str]
    create_time: int
    update_time: int
    decision: str = ""


@dataclass
class Activity:
    """A promotion activity and its products (product_id -> product entry as sent)."""

    id: str
    shop_id: str
    title: str
    activity_type: str
    product_level: str
    begin_time: int
    end_time: int
    create_time: int
    update_time: int
    deactivated: bool = False
    participation_limit: list[JsonDict] = field(default_factory=list)
    products: dict[str, JsonDict] = field(default_factory=dict)
    notified_status: str = ""  # the last status sent as webhook 39


@dataclass
class ImageOptimization:
    """An Optimized Images request: the optimized copy of `original_uri`, ready at `ready_at`
    (until then TikTok answers PROCESSING)."""

    original_uri: str
    optimized_uri: str
    ready_at: float
