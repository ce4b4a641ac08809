"""Typed views of the Admin API objects the connector reads; ids are gid strings, money Decimal."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AliasPath, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel


def _nodes(value: Any) -> Any:
    """Accept a connection (`edges[].node` or `nodes`) where a plain list is expected."""
    if isinstance(value, dict):
        if "nodes" in value:
            return value["nodes"]
        if "edges" in value:
            return [edge["node"] for edge in value["edges"]]
    return [] if value is None else value


def _quantities(value: Any) -> Any:
    """Turn `[{name, quantity}]` into `{name: quantity}`."""
    if isinstance(value, list):
        return {q["name"]: q["quantity"] for q in value}
    return value


class ShopifyModel(BaseModel):
    """Base: camelCase aliases as in the API, snake_case attributes in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class TaxonomyCategory(ShopifyModel):
    """A Shopify Standard Product Taxonomy category (B5)."""

    id: str
    name: str
    full_name: str | None = None


class OptionValue(ShopifyModel):
    """One value of a product option."""

    name: str


class ProductOption(ShopifyModel):
    """A product option such as Size, with its values."""

    id: str
    name: str
    position: int
    option_values: list[OptionValue] = []


class SelectedOption(ShopifyModel):
    """A variant's value for one option."""

    name: str
    value: str


class InventoryLevel(ShopifyModel):
    """Quantities of one inventory item at one location."""

    id: str
    location_id: str = Field(validation_alias=AliasPath("location", "id"))
    quantities: Annotated[dict[str, int], BeforeValidator(_quantities)] = {}

    @property
    def available(self) -> int | None:
        """The `available` quantity, when it was requested."""
        return self.quantities.get("available")


class InventoryItem(ShopifyModel):
    """The stock-keeping side of a variant."""

    id: str
    sku: str | None = None
    tracked: bool | None = None
    requires_shipping: bool | None = None
    inventory_levels: Annotated[list[InventoryLevel], BeforeValidator(_nodes)] = []


class Variant(ShopifyModel):
    """A product variant with price, compare-at price, barcode and SKU."""

    id: str
    title: str
    sku: str | None = None
    barcode: str | None = None
    price: Decimal
    compare_at_price: Decimal | None = None
    position: int | None = None
    inventory_policy: str | None = None
    inventory_quantity: int | None = None
    selected_options: list[SelectedOption] = []
    inventory_item: InventoryItem | None = None


class VideoSource(ShopifyModel):
    """One rendition of a Shopify-hosted video (an MP4 file, or the HLS m3u8 playlist)."""

    url: str
    mime_type: str
    format: str
    height: int
    width: int
    file_size: int | None = None


class Media(ShopifyModel):
    """A product media item; `image_url` is set for images, `sources` for videos."""

    id: str
    alt: str | None = None
    media_content_type: str
    image_url: str | None = Field(default=None, validation_alias=AliasPath("image", "url"))
    filename: str | None = None
    sources: list[VideoSource] = []


class Metafield(ShopifyModel):
    """A custom field: `value` is always a string, read by `type` (`list.*`: a JSON array)."""

    id: str
    namespace: str
    key: str
    type: str
    value: str


class VariantPrice(ShopifyModel):
    """A variant's current price (the `variantPrices` read)."""

    id: str
    price: Decimal | None = None


class VariantPricing(ShopifyModel):
    """A variant's price and compare-at (strike-through) price."""

    id: str
    price: Decimal
    compare_at_price: Decimal | None = None


class CollectionRef(ShopifyModel):
    """A collection a product belongs to, by gid."""

    id: str
    title: str | None = None


class ProductPrices(ShopifyModel):
    """A product's tags, collections and its variants' prices (the `productPrices` read)."""

    id: str
    tags: list[str] = []
    variants: Annotated[list[VariantPricing], BeforeValidator(_nodes)] = []
    collections: Annotated[list[CollectionRef], BeforeValidator(_nodes)] = []

    @property
    def collection_ids(self) -> frozenset[str]:
        """The gids of the product's collections."""
        return frozenset(c.id for c in self.collections)


class VariantStock(ShopifyModel):
    """A variant's stock at one location and whether Shopify lets it go negative."""

    id: str
    sku: str | None = None
    inventory_policy: str | None = None
    tracked: bool | None = Field(
        default=None, validation_alias=AliasPath("inventoryItem", "tracked")
    )
    quantities: Annotated[dict[str, int], BeforeValidator(_quantities)] = Field(
        default={}, validation_alias=AliasPath("inventoryItem", "inventoryLevel", "quantities")
    )

    @property
    def available(self) -> int:
        """Units available at the location (0 when the variant is not stocked there)."""
        return self.quantities.get("available", 0)

    @property
    def enforced(self) -> bool:
        """Whether an order may not take stock below 0 (tracked and policy DENY)."""
        return bool(self.tracked) and self.inventory_policy == "DENY"


class Product(ShopifyModel):
    """A product with its options, variants, media and metafields."""

    id: str
    title: str
    handle: str
    description_html: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    status: str
    tags: list[str] = []
    created_at: datetime
    updated_at: datetime
    category: TaxonomyCategory | None = None
    options: list[ProductOption] = []
    variants: Annotated[list[Variant], BeforeValidator(_nodes)] = []
    media: Annotated[list[Media], BeforeValidator(_nodes)] = []
    metafields: Annotated[list[Metafield], BeforeValidator(_nodes)] = []


class Location(ShopifyModel):
    """A place that stocks inventory and fulfils orders."""

    id: str
    name: str
    is_active: bool = True
    fulfills_online_orders: bool | None = None


class LineItem(ShopifyModel):
    """An order line; `variant_id` is None for custom items."""

    id: str
    title: str
    quantity: int
    sku: str | None = None
    variant_id: str | None = Field(default=None, validation_alias=AliasPath("variant", "id"))


class FulfillmentHold(ShopifyModel):
    """A hold that blocks fulfilment of a fulfillment order."""

    id: str
    reason: str
    reason_notes: str | None = None
    handle: str | None = None


class FulfillmentOrderLineItem(ShopifyModel):
    """A line of a fulfillment order."""

    id: str
    total_quantity: int
    remaining_quantity: int
    line_item_id: str | None = Field(default=None, validation_alias=AliasPath("lineItem", "id"))


class FulfillmentOrder(ShopifyModel):
    """The part of an order to be fulfilled from one location."""

    id: str
    status: str
    location_id: str | None = Field(
        default=None, validation_alias=AliasPath("assignedLocation", "location", "id")
    )
    line_items: Annotated[list[FulfillmentOrderLineItem], BeforeValidator(_nodes)] = []
    fulfillment_holds: list[FulfillmentHold] = []


class TrackingInfo(ShopifyModel):
    """Carrier and tracking number of a shipment."""

    company: str | None = None
    number: str | None = None
    url: str | None = None


class Fulfillment(ShopifyModel):
    """A shipment of some order lines."""

    id: str
    status: str
    created_at: datetime | None = None
    tracking_info: list[TrackingInfo] = []


class Order(ShopifyModel):
    """An order as the connector needs it."""

    id: str
    name: str
    source_name: str | None = None
    source_identifier: str | None = None
    tags: list[str] = []
    created_at: datetime
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    display_financial_status: str | None = None
    display_fulfillment_status: str | None = None
    total_price: Decimal | None = Field(
        default=None, validation_alias=AliasPath("totalPriceSet", "shopMoney", "amount")
    )
    line_items: Annotated[list[LineItem], BeforeValidator(_nodes)] = []
    fulfillment_orders: Annotated[list[FulfillmentOrder], BeforeValidator(_nodes)] = []
    fulfillments: list[Fulfillment] = []


class ClosedOrder(ShopifyModel):
    """An order after orderClose."""

    id: str
    closed: bool


class Refund(ShopifyModel):
    """A refund on an order."""

    id: str
    created_at: datetime | None = None
    note: str | None = None
    total_refunded: Decimal | None = Field(
        default=None, validation_alias=AliasPath("totalRefundedSet", "shopMoney", "amount")
    )


class InventoryChange(ShopifyModel):
    """One quantity change applied by an inventory mutation."""

    name: str
    delta: int
    quantity_after_change: int | None = None
    item_id: str = Field(validation_alias=AliasPath("item", "id"))
    location_id: str = Field(validation_alias=AliasPath("location", "id"))


class BulkOperation(ShopifyModel):
    """A bulk query operation and, when completed, where its JSONL result is."""

    id: str
    status: str
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    url: str | None = None
    partial_data_url: str | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    query: str | None = None

    @property
    def finished(self) -> bool:
        """True once the operation can change no more."""
        return self.status in {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


class WebhookSubscription(ShopifyModel):
    """A per-shop webhook subscription."""

    id: str
    topic: str
    uri: str
    format: str | None = None
    created_at: datetime | None = None


class CancelJob(ShopifyModel):
    """The asynchronous job started by orderCancel (B7)."""

    id: str
    done: bool
