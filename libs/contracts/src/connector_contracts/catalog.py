"""Catalog events: products pulled from Shopify and pushed to TikTok Shop."""

from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

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
    tiktok_status: str = Field(description="TikTok product status, e.g. PENDING, ACTIVATE.")
    created: bool = Field(description="True for a create, False for an update.")
    skus: list[SkuLink] = Field(default_factory=list)

    def key(self) -> str:
        return self.shopify_product_id
