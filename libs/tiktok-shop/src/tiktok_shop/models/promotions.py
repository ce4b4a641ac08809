"""Promotion activity models (reference A6 Promotions)."""

from decimal import Decimal

from pydantic import Field

from tiktok_shop.models.common import Money, TikTokModel


class ParticipationLimit(TikTokModel):
    """How often one buyer may use the activity."""

    type: str = "BUYER_NO_LIMIT"


class ActivityInput(TikTokModel):
    """Body of Create Activity / Update Activity; times are Unix seconds, begin must be > now."""

    title: str
    activity_type: str | None = None
    product_level: str | None = None
    begin_time: int
    end_time: int
    duration_type: str | None = None
    participation_limit: list[ParticipationLimit] | None = None


class ActivityWriteResult(TikTokModel):
    """Result of Create / Update / Deactivate Activity and of product changes."""

    activity_id: str
    status: str = ""
    title: str = ""
    create_time: int = 0
    update_time: int = 0


class ActivitySku(TikTokModel):
    """A SKU in an activity: `discount` is an integer-percent string, price for FIXED_PRICE."""

    id: str
    activity_price_amount: Decimal | None = None
    discount: str | None = None
    quantity_limit: int | None = None
    quantity_per_user: int | None = None


class ActivityProduct(TikTokModel):
    """A product in an Update Activity Product request (<= 300 products/SKUs per call)."""

    id: str
    activity_price_amount: Decimal | None = None
    discount: str | None = None
    quantity_limit: int | None = None
    quantity_per_user: int | None = None
    skus: list[ActivitySku] = Field(default_factory=list)


class ActivityProductView(TikTokModel):
    """A product in Get Activity."""

    id: str
    discount: str | None = None
    activity_price: Money | None = None
    skus: list[TikTokModel] = Field(default_factory=list)


class Activity(TikTokModel):
    """A promotion activity as returned by Get Activity."""

    activity_id: str
    title: str = ""
    activity_type: str = ""
    product_level: str = ""
    status: str = ""
    begin_time: int = 0
    end_time: int = 0
    products: list[ActivityProductView] = Field(default_factory=list)


class ActivitySummary(TikTokModel):
    """A promotion activity as returned by Search Activities."""

    id: str
    title: str = ""
    activity_type: str = ""
    product_level: str = ""
    status: str = ""
    begin_time: int = 0
    end_time: int = 0
