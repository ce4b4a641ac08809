"""Request bodies of the /_sandbox control plane."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class ShopRequest(BaseModel):
    """A shop to create."""

    domain: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
    plan: str = "standard"
    currency: str = "USD"
    locations: list[str] = Field(default_factory=lambda: ["Main warehouse"])


class AppRequest(BaseModel):
    """An app; omit credentials to get random ones."""

    scopes: list[str] = Field(
        default_factory=lambda: ["read_products", "write_orders", "write_inventory"]
    )
    client_id: str | None = None
    client_secret: str | None = None
    redirect_urls: list[str] = Field(
        default_factory=list,
        description="Allowed OAuth redirection URLs; one without a port matches any port.",
    )


class TokenRequest(BaseModel):
    """Install `client_id` on the shop and issue a token."""

    client_id: str
    expiring: bool = False


class PlanRequest(BaseModel):
    """A plan change; `restore_rate`/`bucket_size` override it (small buckets for fast tests)."""

    plan: str = "standard"
    restore_rate: float | None = Field(None, gt=0)
    bucket_size: float | None = Field(None, gt=0)


class BulkRequest(BaseModel):
    """The store's bulk slots and whether its exports are held RUNNING (until released)."""

    max_concurrent: int | None = Field(
        None, ge=1, description="Bulk queries at once for the store (None: the API version's)."
    )
    held: bool = False


class StockRequest(BaseModel):
    """Set the available quantity at a location, as the merchant would in admin."""

    inventory_item_id: str
    location_id: str
    available: int


class StatusRequest(BaseModel):
    """Set a product's status as the merchant does in Shopify admin."""

    product_id: str
    status: Literal["ACTIVE", "DRAFT", "ARCHIVED"]


class PriceRequest(BaseModel):
    """Change a variant's price and compare-at price."""

    variant_id: str
    price: Decimal
    compare_at_price: Decimal | None = None


class ImageRequest(BaseModel):
    """Add an image (e.g. one hosted with PUT /_sandbox/cdn/{path}) to a product."""

    product_id: str
    url: str
    width: int = Field(1024, ge=1)
    height: int = Field(1024, ge=1)


class VideoRequest(BaseModel):
    """Add a video to a product, as the merchant would upload one in admin (emits products/update).

    `url` defaults to a sandbox CDN address (unreachable, like seeded image URLs).
    """

    product_id: str
    filename: str = Field("product-video.mp4", pattern=r"^[^/\s]+$")
    url: str | None = None
    width: int = Field(1080, ge=1)
    height: int = Field(1080, ge=1)
    file_size: int = Field(2_000_000, ge=1)


class MetafieldValue(BaseModel):
    """One metafield as the merchant fills it in admin (the value is always a string)."""

    namespace: str
    key: str
    type: str
    value: str


class MetafieldsRequest(BaseModel):
    """Set a product's metafields, as the merchant saves them in admin (emits products/update)."""

    product_id: str
    metafields: list[MetafieldValue] = Field(min_length=1)


class FulfilLine(BaseModel):
    """A quantity of one order line to fulfil (partial fulfilment)."""

    line_item_id: str  # the order line's GID (or its numeric id)
    quantity: int = Field(ge=1)


class FulfilRequest(BaseModel):
    """Fulfil an order, as the merchant would: everything open, or only `line_items`."""

    order_id: str
    tracking_company: str | None = "UPS"
    tracking_number: str | None = None
    tracking_url: str | None = None
    line_items: list[FulfilLine] | None = None


class CancelRequest(BaseModel):
    """Cancel an order from admin."""

    order_id: str
    reason: str = "CUSTOMER"
    restock: bool = True


class TrackingUpdate(BaseModel):
    """New tracking for a fulfilment, as the merchant would edit it."""

    fulfillment_id: str
    company: str | None = None
    number: str | None = None
    url: str | None = None


class UninstallRequest(BaseModel):
    """Uninstall an app from the shop."""

    client_id: str


class CollectionRequest(BaseModel):
    """Create a custom collection, optionally holding products already (collections/create)."""

    title: str = Field(min_length=1, max_length=255)
    product_ids: list[str] = Field(default_factory=list, description="Product gids.")


class CollectionMembersRequest(BaseModel):
    """Add products to / remove them from a custom collection, as the merchant would in admin.

    Shopify tells apps according to the page the merchant edits on: from the collection's page
    `collections/update` (a body that names no products), from each product's page
    `products/update` per product.
    """

    collection_id: str
    add: list[str] = Field(default_factory=list, description="Product gids to add.")
    remove: list[str] = Field(default_factory=list, description="Product gids to remove.")
    via: Literal["collection", "product"] = "collection"
