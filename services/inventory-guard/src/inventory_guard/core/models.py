"""The guard's settings and inputs as immutable values (per region; product beats store)."""

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# TikTok's Update Inventory accepts at most 99,999 per warehouse (reference A6).
TIKTOK_MAX_QUANTITY = 99_999


class Frozen(BaseModel):
    """Base of the core's values: immutable, unknown fields ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class ThresholdMode(StrEnum):
    """What a SKU at or below the low-inventory threshold does (guide, Low Inventory Threshold)."""

    DEACTIVATE = "deactivate"  # the whole TikTok product goes off the shelves
    OUT_OF_STOCK = "out_of_stock"  # that SKU's TikTok stock is 0


class Threshold(Frozen):
    """The low-inventory threshold: `quantity` None is off."""

    quantity: int | None = Field(default=None, ge=0, le=TIKTOK_MAX_QUANTITY)
    mode: ThresholdMode = ThresholdMode.DEACTIVATE


class StockRules(Frozen):
    """Stock rules applied before the threshold; a None field means "use the level below"."""

    buffer_percent: Decimal | None = Field(
        default=None, ge=0, le=100, description="Keep back this share of the stock (rounded up)."
    )
    buffer_units: int | None = Field(default=None, ge=0, description="Keep back this many units.")
    untracked_quantity: int | None = Field(
        default=None,
        ge=0,
        le=TIKTOK_MAX_QUANTITY,
        description="Stock sent for a SKU Shopify does not track (None: leave TikTok's as is).",
    )
    cap: int | None = Field(default=None, ge=0, description="Never send more than this.")

    def over(self, below: "StockRules") -> "StockRules":
        """These rules, field by field, over `below` (product over store)."""
        return below.model_copy(update=self.model_dump(exclude_none=True))


class StoreSettings(Frozen):
    """A region's store-level settings."""

    threshold: Threshold = Threshold()
    rules: StockRules = StockRules()
    location_ids: tuple[str, ...] = Field(
        default=(), description="Shopify locations whose stock counts; empty: all, summed."
    )


class ProductSettings(Frozen):
    """A product's overrides in one region."""

    threshold: Threshold | None = None
    exclude_threshold: bool = False
    rules: StockRules = StockRules()


class SkuInput(Frozen):
    """What the guard knows of one linked SKU."""

    tiktok_sku_id: str
    levels: dict[str, int] | None = Field(
        default=None,
        description="Shopify available per location id; None: no Shopify figure of the item"
        " is known (never read, no webhook), which is not the same as none in stock.",
    )
    tracked: bool = True
    reserved: int = Field(
        default=0, ge=0, description="Units TikTok orders not yet in Shopify hold of this SKU."
    )
