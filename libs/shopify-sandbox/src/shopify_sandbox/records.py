"""In-memory records of one simulated shop; attribute names are snake_case of the API fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def numeric_id(gid: str) -> int:
    """The number at the end of a gid (`gid://shopify/Order/12` → 12)."""
    return int(gid.split("?")[0].rsplit("/", 1)[1])


@dataclass(eq=False)
class Location:
    """A stock location."""

    id: str
    name: str
    is_active: bool = True
    fulfills_online_orders: bool = True


@dataclass(eq=False)
class TaxonomyCategory:
    """A Standard Product Taxonomy category."""

    id: str
    name: str
    full_name: str
    level: int
    is_leaf: bool = True
    is_root: bool = False


@dataclass(eq=False)
class ProductOption:
    """An option (Size, Color) with its values."""

    id: str
    name: str
    position: int
    values: list[str]
    product: Product | None = field(default=None, repr=False)


@dataclass(eq=False)
class MediaImage:
    """An image attached to a product."""

    id: str
    url: str
    alt: str | None = None
    width: int = 1024
    height: int = 1024
    media_content_type: str = "IMAGE"
    status: str = "READY"


@dataclass(eq=False)
class Video:
    """A Shopify-hosted video attached to a product (MP4 original plus an HLS playlist)."""

    id: str
    filename: str
    url: str
    width: int = 1080
    height: int = 1080
    file_size: int = 2_000_000
    duration: int = 15_000  # milliseconds, as Shopify reports it
    alt: str | None = None
    media_content_type: str = "VIDEO"
    status: str = "READY"

    @property
    def sources(self) -> list[dict[str, Any]]:
        """`sources`: the original MP4 and the m3u8 playlist Shopify transcodes it into."""
        original = self.original_source
        playlist = {
            "fileSize": None,
            "format": "m3u8",
            "height": self.height,
            "mimeType": "application/x-mpegURL",
            "url": self.url.rsplit(".", 1)[0] + ".m3u8",
            "width": self.width,
        }
        return [original, playlist]

    @property
    def original_source(self) -> dict[str, Any]:
        """`originalSource`: the uploaded MP4."""
        return {
            "fileSize": self.file_size,
            "format": "mp4",
            "height": self.height,
            "mimeType": "video/mp4",
            "url": self.url,
            "width": self.width,
        }


@dataclass(eq=False)
class InventoryLevel:
    """Quantities of an item at a location; `on_hand` = available + committed."""

    item: InventoryItem
    location: Location
    available: int
    committed: int = 0
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    @property
    def id(self) -> str:
        """Shopify's InventoryLevel gid carries the item id as a query parameter (B6)."""
        return (
            f"gid://shopify/InventoryLevel/{numeric_id(self.location.id)}"
            f"?inventory_item_id={numeric_id(self.item.id)}"
        )

    @property
    def on_hand(self) -> int:
        """Physical units: available plus committed to unfulfilled orders."""
        return self.available + self.committed

    def quantity(self, name: str) -> int:
        """The named quantity (available, on_hand, committed; others are 0)."""
        return {
            "available": self.available,
            "on_hand": self.on_hand,
            "committed": self.committed,
        }.get(name, 0)


@dataclass(eq=False)
class InventoryItem:
    """The stock-keeping unit behind a variant."""

    id: str
    sku: str | None
    levels: dict[str, InventoryLevel] = field(default_factory=dict)  # by location id
    variant: ProductVariant | None = None
    tracked: bool = True
    requires_shipping: bool = True
    weight_grams: float = 500.0
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class ProductVariant:
    """A sellable variant."""

    id: str
    product: Product
    title: str
    sku: str | None
    barcode: str | None
    price: Decimal
    compare_at_price: Decimal | None
    position: int
    selected: list[tuple[str, str]]
    inventory_item: InventoryItem
    inventory_policy: str = "DENY"
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    @property
    def inventory_quantity(self) -> int:
        """Available units summed over locations."""
        return sum(level.available for level in self.inventory_item.levels.values())


@dataclass(eq=False)
class Metafield:
    """A custom field on a product: `value` is always a string, read by its `type` (B3)."""

    id: str
    namespace: str
    key: str
    type: str
    value: str
    owner_type: str = "PRODUCT"
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class Product:
    """A product with options, variants, media and metafields."""

    id: str
    title: str
    handle: str
    product_type: str
    vendor: str
    status: str = "ACTIVE"
    description_html: str = ""
    tags: list[str] = field(default_factory=list)
    category: TaxonomyCategory | None = None
    options_list: list[ProductOption] = field(default_factory=list)
    variant_list: list[ProductVariant] = field(default_factory=list)
    media_list: list[MediaImage | Video] = field(default_factory=list)
    metafield_list: list[Metafield] = field(default_factory=list)

    @property
    def images(self) -> list[MediaImage]:
        """The image media, in order (variants and REST `images` only take images)."""
        return [m for m in self.media_list if isinstance(m, MediaImage)]

    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class Collection:
    """A custom (manual) collection: the merchant picks its products (smart rules not modelled)."""

    id: str
    title: str
    handle: str
    product_ids: list[str] = field(default_factory=list)  # in the order they were added
    sort_order: str = "MANUAL"
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class TaxLine:
    """A tax line on an order, line or shipping line."""

    title: str
    rate: Decimal
    price: Decimal
    channel_liable: bool | None


@dataclass(eq=False)
class OrderLineItem:
    """An order line, stocked at `location_id`."""

    id: str
    title: str
    quantity: int
    price: Decimal
    sku: str | None
    variant: ProductVariant | None
    location_id: str
    currency: str = "USD"
    tax_lines: list[TaxLine] = field(default_factory=list)
    requires_shipping: bool = True
    fulfilled: int = 0
    refunded: int = 0
    decremented: bool = False


@dataclass(eq=False)
class ShippingLine:
    """A shipping charge."""

    id: str
    title: str
    code: str | None
    source: str | None
    price: Decimal
    currency: str = "USD"
    tax_lines: list[TaxLine] = field(default_factory=list)


@dataclass(eq=False)
class Transaction:
    """A payment recorded on an order."""

    id: str
    kind: str
    status: str
    gateway: str | None
    amount: Decimal
    test: bool
    currency: str = "USD"
    created_at: datetime = field(default_factory=now)
    processed_at: datetime | None = None


@dataclass(eq=False)
class FulfillmentHold:
    """A hold on a fulfillment order."""

    id: str
    reason: str
    reason_notes: str | None
    handle: str | None


@dataclass(eq=False)
class FulfillmentOrderLine:
    """A line of a fulfillment order."""

    id: str
    line_item: OrderLineItem
    total_quantity: int
    remaining_quantity: int


@dataclass(eq=False)
class FulfillmentOrder:
    """The part of an order fulfilled from one location."""

    id: str
    order: Order
    location: Location
    lines: list[FulfillmentOrderLine]
    status: str = "OPEN"
    holds: list[FulfillmentHold] = field(default_factory=list)
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class TrackingInfo:
    """Carrier tracking of a fulfilment."""

    company: str | None
    number: str | None
    url: str | None


@dataclass(eq=False)
class Fulfillment:
    """A shipment."""

    id: str
    order: Order
    name: str
    location: Location
    lines: list[tuple[OrderLineItem, int]]
    tracking: list[TrackingInfo]
    status: str = "SUCCESS"
    notify_customer: bool = False
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class RefundLine:
    """A refunded quantity of a line."""

    line_item: OrderLineItem
    quantity: int
    restock_type: str
    location: Location | None


@dataclass(eq=False)
class Refund:
    """A refund."""

    id: str
    order: Order
    note: str | None
    lines: list[RefundLine]
    amount: Decimal
    currency: str = "USD"
    created_at: datetime = field(default_factory=now)
    # The app that created it: its transactions' `source_name` (an app's API client id).
    source_name: str | None = None


@dataclass(eq=False)
class Order:
    """An order with everything the connector sent."""

    id: str
    number: int
    currency: str
    line_item_list: list[OrderLineItem]
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    source_name: str | None = None
    source_identifier: str | None = None
    financial_status: str = "PAID"
    taxes_included: bool = False
    billing_address: dict[str, Any] | None = None
    shipping_address: dict[str, Any] | None = None
    custom_attributes: list[dict[str, str]] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)
    shipping_line_list: list[ShippingLine] = field(default_factory=list)
    transaction_list: list[Transaction] = field(default_factory=list)
    fulfillment_order_list: list[FulfillmentOrder] = field(default_factory=list)
    fulfillment_list: list[Fulfillment] = field(default_factory=list)
    refund_list: list[Refund] = field(default_factory=list)
    inventory_behaviour: str = "BYPASS"
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    closed: bool = False
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    processed_at: datetime = field(default_factory=now)

    @property
    def name(self) -> str:
        """The merchant-facing order name (#1001)."""
        return f"#{self.number}"

    @property
    def subtotal(self) -> Decimal:
        """Sum of line prices."""
        return sum((li.price * li.quantity for li in self.line_item_list), Decimal(0))

    @property
    def total_tax(self) -> Decimal:
        """Order, line and shipping taxes."""
        lines = [t for li in self.line_item_list for t in li.tax_lines]
        shipping = [t for s in self.shipping_line_list for t in s.tax_lines]
        return sum((t.price for t in [*self.tax_lines, *lines, *shipping]), Decimal(0))

    @property
    def total_shipping(self) -> Decimal:
        """Sum of shipping charges."""
        return sum((s.price for s in self.shipping_line_list), Decimal(0))

    @property
    def total(self) -> Decimal:
        """What the buyer pays."""
        tax = Decimal(0) if self.taxes_included else self.total_tax
        return self.subtotal + self.total_shipping + tax

    @property
    def fulfillment_status(self) -> str:
        """UNFULFILLED, PARTIALLY_FULFILLED or FULFILLED (or ON_HOLD)."""
        shippable = [li for li in self.line_item_list if li.requires_shipping]
        done = sum(li.fulfilled for li in shippable)
        if shippable and done >= sum(li.quantity - li.refunded for li in shippable):
            return "FULFILLED"
        if done:
            return "PARTIALLY_FULFILLED"
        if any(fo.status == "ON_HOLD" for fo in self.fulfillment_order_list):
            return "ON_HOLD"
        return "UNFULFILLED"


@dataclass(eq=False)
class BulkOperation:
    """A bulk query operation and its JSONL result."""

    id: str
    query: str
    status: str = "CREATED"
    type: str = "QUERY"
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    result: bytes | None = None
    created_at: datetime = field(default_factory=now)
    completed_at: datetime | None = None

    @property
    def partial_data_url(self) -> str | None:
        """Never set: the sandbox produces complete files or none."""
        return None


@dataclass(eq=False)
class WebhookSubscription:
    """A subscription owned by one app."""

    id: str
    client_id: str
    topic: str
    uri: str
    format: str = "JSON"
    include_fields: list[str] = field(default_factory=list)
    filter: str | None = None
    api_version: str = "2026-01"
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass(eq=False)
class App:
    """An app installed on shops: its credentials sign OAuth and webhooks."""

    client_id: str
    client_secret: str
    scopes: list[str]
    # "Allowed redirection URLs": OAuth redirects anywhere else are refused (B2).
    redirect_urls: list[str] = field(default_factory=list)


@dataclass(eq=False)
class AccessToken:
    """A token of one app on one shop."""

    token: str
    client_id: str
    shop: str
    scope: str
    expires_at: datetime | None = None
    refresh_token: str | None = None
