"""Bodies and answers of the pricing API."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from connector_runtime.item_tasks import ProductScope
from connector_runtime.item_tasks import TaskView as ItemTaskView
from pydantic import BaseModel, ConfigDict, Field, model_validator

from price_promotions.core.modes import PricingMode
from price_promotions.core.rules import PriceRule
from price_promotions.core.schedule import WindowState


class PricingSettings(BaseModel):
    """A region's pricing settings as the merchant sets them."""

    model_config = ConfigDict(extra="forbid")

    mode: PricingMode = PricingMode.SHOPIFY_PRICE
    exchange_rate: Decimal = Field(
        default=Decimal(1), gt=0, description="Region currency per unit of the store's currency."
    )
    rules: list[PriceRule] = Field(default_factory=list, max_length=500)

    @model_validator(mode="before")
    @classmethod
    def _rule_lives_in_catalog(cls, data: Any) -> Any:
        # One owner of the "Product price" rule: say where it moved instead of "extra field".
        if isinstance(data, dict) and "sync_rule" in data:
            raise ValueError(
                'sync_rule: the "Product price" sync rule is a catalog setting: PUT '
                '/api/v1/catalog/{connection_id}/settings {"sync_rules": {"update": {"price": '
                '"tiktok"}}} (per region, or per product)'
            )
        return data


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


# "Update price" and its task view are the shared per-product task's (ADR 0430).
UpdatePrice = ProductScope
TaskView = ItemTaskView
