"""What the API answers: a region's settings and a product's stock state per region and SKU."""

from datetime import datetime

from connector_runtime.item_tasks import ProductScope
from pydantic import BaseModel, Field

from inventory_guard.core.models import ProductSettings, StoreSettings


class RegionSettings(BaseModel):
    """One region's store-level settings."""

    tiktok_shop_id: str
    region: str
    settings: StoreSettings


class ShopifyLocation(BaseModel):
    """A location of the Shopify store: its id is what `location_ids` holds."""

    id: str = Field(description="Shopify location gid.")
    name: str
    active: bool = Field(description="Shopify's `isActive`: an inactive one stocks nothing.")


class SkuState(BaseModel):
    """One SKU: Shopify's figure, what TikTok was told, and whether the policy applies."""

    tiktok_sku_id: str
    shopify_variant_id: str
    shopify_inventory_item_id: str | None
    shopify_available: dict[str, int] = Field(description="Per Shopify location.")
    stock: int | None = Field(description="After the stock rules, before the threshold policy.")
    tiktok_quantity: int | None = Field(description="Last quantity TikTok accepted.")
    low: bool
    last_sync_at: datetime | None


class RegionStock(BaseModel):
    """A product's stock state in one region."""

    tiktok_shop_id: str
    region: str | None
    tiktok_product_id: str
    tiktok_status: str | None
    policy: str = Field(description="none, excluded, deactivate or out_of_stock.")
    guard_deactivated: bool = Field(description="The guard took it off the shelves.")
    sync_stock: bool = Field(description='"Product stock" rule: Origin (False: Don\'t sync).')
    reason: str | None = Field(description="Why the stock is not on TikTok (None: it is).")
    reason_code: str | None
    pending_since: datetime | None = Field(description="Oldest Shopify change not yet sent.")
    last_sync_at: datetime | None
    overrides: ProductSettings
    skus: list[SkuState]


class ProductStock(BaseModel):
    """A product's stock state in every region it is linked in."""

    shopify_product_id: str
    regions: list[RegionStock]


class Selection(BaseModel):
    """Update stock: these products, or every linked product."""

    product_ids: list[str] = Field(default_factory=list, max_length=1000)
    all_products: bool = False
    tiktok_shop_id: str | None = Field(default=None, description="Only this region.")


class Queued(BaseModel):
    """How many product pushes were queued, and the task following them in each region."""

    queued: int
    task_ids: list[str] = Field(default_factory=list, description="One per region.")


# "Update stock" and its task view are the shared per-product task's (ADR 0430).
UpdateStock = ProductScope
