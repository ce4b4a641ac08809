"""Pricing events: TikTok discount activities and the prices the connector set per region."""

from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from connector_contracts.envelope import Event


class TikTokActivityChanged(Event):
    """A TikTok promotion activity changed status (webhook 39): ONGOING, EXPIRED, DEACTIVATED."""

    TYPE: ClassVar[str] = "tiktok.activity.changed"

    tiktok_shop_id: str
    activity_id: str
    status: str = Field(description="TikTok's activity status, e.g. EXPIRED.")
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.activity_id


class SkuPriceSet(BaseModel):
    """A TikTok SKU's price, and its deal price when a discount activity holds it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tiktok_sku_id: str
    list_price: Decimal
    deal_price: Decimal | None = None


class ProductPriceSynced(Event):
    """A product's prices in one region were synced to TikTok, skipped or failed (with why)."""

    TYPE: ClassVar[str] = "product.price.synced"

    shopify_product_id: str
    tiktok_product_id: str
    tiktok_shop_id: str
    region: str = Field(description="TikTok market, e.g. US.")
    currency: str
    status: str = Field(description="synced, skipped or failed.")
    reason: str | None = Field(default=None, description="Why, for the merchant.")
    activity_id: str | None = Field(default=None, description="The connector's activity.")
    skus: list[SkuPriceSet] = Field(default_factory=list)

    def key(self) -> str:
        return self.shopify_product_id
