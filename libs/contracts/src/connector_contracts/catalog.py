"""Catalog events: products pulled from Shopify and pushed to TikTok Shop."""

from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from connector_contracts.envelope import Event


class ProductPulled(Event):
    """A Shopify product was pulled (created, updated or deleted) into the connector."""

    TYPE: ClassVar[str] = "product.pulled"

    shopify_product_id: str = Field(description="`gid://shopify/Product/...`.")
    title: str
    product_type: str | None = None
    variant_count: int = Field(ge=0)
    deleted: bool = False

    def key(self) -> str:
        return self.shopify_product_id


class SkuLink(BaseModel):
    """One Shopify variant linked to one TikTok SKU."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    shopify_variant_id: str
    shopify_inventory_item_id: str | None = None
    tiktok_sku_id: str
    seller_sku: str | None = None
    price: Decimal | None = Field(default=None, description="Price pushed, in shop currency.")


class ProductPushed(Event):
    """A product was created or updated on TikTok Shop; carries the variant <-> SKU links."""

    TYPE: ClassVar[str] = "product.pushed"

    shopify_product_id: str
    tiktok_product_id: str
    tiktok_status: str | None = Field(
        default=None,
        description="TikTok product status as TikTok said it, e.g. PENDING, ACTIVATE "
        "(None: TikTok's answer did not say).",
    )
    created: bool = Field(description="True for a create, False for an update.")
    skus: list[SkuLink] = Field(default_factory=list)
    tiktok_shop_id: str | None = Field(
        default=None, description="The region's TikTok shop (None: the connection's default)."
    )
    region: str | None = Field(default=None, description="Market code of that shop, e.g. US.")
    warehouse_id: str | None = Field(
        default=None, description="TikTok warehouse the SKUs' stock was pushed to."
    )
    sync_stock: bool = Field(
        default=True,
        description='The "Product stock" update rule is Origin (False: TikTok keeps its own).',
    )
    sync_price: bool = Field(
        default=True,
        description='The "Product price" update rule is Origin (False: "TikTok Shop", TikTok '
        "keeps its own price and no discount activity is made); catalog-sync owns the rule.",
    )

    def key(self) -> str:
        return self.shopify_product_id


class CatalogPullRequested(Event):
    """Command: pull Shopify products updated in a window into the connector (a task)."""

    TYPE: ClassVar[str] = "catalog.pull.requested"

    connection_id: str
    task_id: str = Field(description="The merchant-visible task that tracks this pull.")
    updated_from: AwareDatetime | None = Field(
        default=None, description="Pull products updated at or after this instant."
    )
    updated_to: AwareDatetime | None = Field(
        default=None, description="Pull products updated at or before this instant."
    )
    incremental: bool = Field(
        default=False, description="Start from the newest updated_at already pulled."
    )
    global_list: bool = Field(
        default=False, description="Also put the pulled products on the Global Products list."
    )

    def key(self) -> str:
        return self.connection_id


class CatalogPushRequested(Event):
    """Command: push (create or update) products to TikTok Shop (a task, possibly one chunk)."""

    TYPE: ClassVar[str] = "catalog.push.requested"

    connection_id: str
    task_id: str
    shopify_product_ids: list[str] = Field(
        default_factory=list, description="Products to push; empty with `all_products` = every one."
    )
    all_products: bool = Field(default=False, description="Push every product matching `status`.")
    status: str | None = Field(default=None, description="With all_products: only this status.")
    tiktok_shop_id: str | None = Field(
        default=None,
        description="The region (TikTok shop) to list in, with its settings; None: the default.",
    )

    def key(self) -> str:
        return self.connection_id


class ShopifyProductChanged(Event):
    """A Shopify products/create, products/update or products/delete webhook arrived."""

    TYPE: ClassVar[str] = "shopify.product.changed"

    shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    shopify_product_id: str = Field(description="`gid://shopify/Product/...`.")
    action: Literal["create", "update", "delete"]
    updated_at: AwareDatetime | None = None

    def key(self) -> str:
        return self.shopify_product_id


class ShopifyBulkOperationFinished(Event):
    """A Shopify bulk_operations/finish webhook arrived: a bulk operation completed, failed or
    was canceled (reference B4; its payload field list is UNCONFIRMED, so readers re-read the
    operation before trusting it)."""

    TYPE: ClassVar[str] = "shopify.bulk_operation.finished"

    shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    admin_graphql_api_id: str = Field(description="`gid://shopify/BulkOperation/...`.")
    status: str = Field(description="Shopify's status, upper case, e.g. COMPLETED or FAILED.")
    error_code: str | None = Field(
        default=None, description="Shopify's error code, upper case, when it failed."
    )
    completed_at: AwareDatetime | None = None
    type: str = Field(default="QUERY", description="QUERY or MUTATION.")

    def key(self) -> str:
        return self.admin_graphql_api_id


class TikTokProductChanged(Event):
    """A TikTok product webhook (types 5, 15, 16, 37): status, audit, information, creation."""

    TYPE: ClassVar[str] = "tiktok.product.changed"

    tiktok_shop_id: str
    region: str | None = Field(
        default=None, description="TikTok market of that shop (e.g. `DE`), when known."
    )
    tiktok_product_id: str
    webhook_type: int = Field(description="5 status, 15 information, 16 creation, 37 audit.")
    status: str | None = Field(
        default=None, description="Type 5 status, e.g. PRODUCT_AUDIT_FAILURE."
    )
    audit_status: str | None = Field(default=None, description="Type 37 audit status.")
    reasons: list[str] = Field(default_factory=list, description="Suspension / failure reasons.")
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.tiktok_product_id


class InventorySyncRequested(Event):
    """Command to inventory-guard: push Shopify stock of these SKUs to TikTok now."""

    TYPE: ClassVar[str] = "inventory.sync.requested"

    shopify_product_id: str
    tiktok_product_id: str
    skus: list[SkuLink] = Field(default_factory=list)
    tiktok_shop_id: str | None = Field(
        default=None, description="Only this region's TikTok shop (None: every region)."
    )
    region: str | None = Field(default=None, description="Market code of that shop, e.g. GB.")

    def key(self) -> str:
        return self.shopify_product_id


class PriceSyncRequested(Event):
    """Command to price-promotions: push Shopify prices of these SKUs to TikTok now."""

    TYPE: ClassVar[str] = "price.sync.requested"

    shopify_product_id: str
    tiktok_product_id: str
    skus: list[SkuLink] = Field(default_factory=list)
    tiktok_shop_id: str | None = Field(
        default=None, description="Only this region's TikTok shop (None: every region)."
    )
    region: str | None = Field(default=None, description="Market code of that shop, e.g. GB.")

    def key(self) -> str:
        return self.shopify_product_id


class AttributeValues(BaseModel):
    """Values of one TikTok attribute: value ids, or custom names."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    attribute_id: str
    value_ids: list[str] = Field(default_factory=list)
    custom_values: list[str] = Field(default_factory=list)


class ProductListingUpdate(BaseModel):
    """A validated CSV row: the product's brand and attributes to set (None / absent: keep)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    shopify_product_id: str
    brand_id: str | None = None
    attributes: list[AttributeValues] = Field(default_factory=list)


class CatalogCsvApplyRequested(Event):
    """Command: apply the valid rows of a category CSV upload to product listing data (a task)."""

    TYPE: ClassVar[str] = "catalog.csv.apply.requested"

    connection_id: str
    task_id: str
    category_key: str
    updates: list[ProductListingUpdate] = Field(default_factory=list)

    def key(self) -> str:
        return self.connection_id


class CatalogLinkRequested(Event):
    """Command: link every existing TikTok listing whose seller SKUs match Shopify variants
    (a task; the listings it could not link are listed with their reasons)."""

    TYPE: ClassVar[str] = "catalog.link.requested"

    connection_id: str
    task_id: str
    tiktok_shop_id: str | None = Field(
        default=None,
        description="Only this region's TikTok shop (None: every authorized region, one task).",
    )

    def key(self) -> str:
        return self.connection_id


class CatalogGlobalRequested(Event):
    """Command: sync products as EU Global Products, or publish them to regions (a task)."""

    TYPE: ClassVar[str] = "catalog.global.requested"

    connection_id: str
    task_id: str
    action: Literal["sync", "publish"]
    shopify_product_ids: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list, description="Publish targets, e.g. FR, IT.")
    translation_consent: bool = Field(
        default=False, description="The merchant agreed to translation into each market's language."
    )

    def key(self) -> str:
        return self.connection_id


class ProductSyncStatus(StrEnum):
    """A product's sync status in one region, as the merchant's products list shows it."""

    NOT_SYNCED = "not_synced"
    SYNCED = "synced"
    SYNC_FAILED = "sync_failed"
    UPDATE_FAILED = "update_failed"


class RegionSyncStatus(BaseModel):
    """A product's local listing status in one region's shop."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tiktok_shop_id: str = Field(description="The region's shop ('' for a connection without one).")
    status: ProductSyncStatus


class ProductSyncChanged(Event):
    """A product's sync status in every region, whole (a state, not a delta). Keyed by product;
    `revision` grows with every change of the product's statuses, so a consumer keeps the
    highest and a redelivered or reordered message never moves a product back."""

    TYPE: ClassVar[str] = "product.sync.changed"

    shopify_product_id: str
    revision: int = Field(ge=1, description="Stamped by catalog-sync; higher is newer.")
    deleted: bool = Field(default=False, description="Deleted in Shopify: counted nowhere.")
    regions: list[RegionSyncStatus] = Field(
        default_factory=list,
        description="The regions it has a listing state in; any other region: not synced.",
    )

    def key(self) -> str:
        return self.shopify_product_id
