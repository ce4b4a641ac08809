"""Bodies and answers of the pricing API."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from price_promotions.core.modes import PriceSyncRule, PricingMode
from price_promotions.core.rules import PriceRule
from price_promotions.core.schedule import WindowState


class PricingSettings(BaseModel):
    """A region's pricing settings as the merchant sets them."""

    model_config = ConfigDict(extra="forbid")

    mode: PricingMode = PricingMode.SHOPIFY_PRICE
    sync_rule: PriceSyncRule = Field(
        default=PriceSyncRule.ORIGIN,
        description='The "Product price" sync rule for updates: origin (Shopify) or tiktok.',
    )
    exchange_rate: Decimal = Field(
        default=Decimal(1), gt=0, description="Region currency per unit of the store's currency."
    )
    rules: list[PriceRule] = Field(default_factory=list, max_length=500)


class Window(BaseModel):
    """The 180-day strike-through exemption window of the region."""

    state: WindowState
    enabled_at: datetime | None = None
    ends_at: datetime | None = None
    days_left: int | None = None


class RegionView(PricingSettings):
    """A region's pricing, its currency and its window."""

    model_config = ConfigDict(extra="ignore")

    tiktok_shop_id: str
    region: str
    currency: str
    window: Window


class SavedPricing(RegionView):
    """The saved settings; after a mode change, what was cleared and the refresh on offer."""

    activities_cleared: int = Field(
        default=0, description="Products whose activities are being removed (two -> one price)."
    )
    refresh_offered: bool = Field(
        default=False, description="The mode changed: POST .../refresh re-prices every product."
    )


class UpdatePrice(BaseModel):
    """ "Update price": the selected products, one page of the catalog, or all of it."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["selected", "page", "all"]
    shopify_product_ids: list[str] = Field(default_factory=list, max_length=1000)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=500)


class TaskView(BaseModel):
    """A pricing task and its progress."""

    task_id: str
    connection_id: str
    tiktok_shop_id: str
    kind: str
    total: int
    done: int
    failed: int
    status: Literal["running", "completed"]
    created_at: datetime
