"""Global product (cross-border) models (reference A6 Products)."""

from pydantic import Field

from tiktok_shop.models.common import TikTokModel


class GlobalSku(TikTokModel):
    """A global SKU id assigned by TikTok."""

    id: str
    seller_sku: str = ""


class GlobalProductResult(TikTokModel):
    """Result of Create Global Product."""

    global_product_id: str
    global_skus: list[GlobalSku] = Field(default_factory=list)


class PublishedProduct(TikTokModel):
    """The local product a publish created in one market."""

    id: str
    region: str
    shop_id: str = ""


class PublishFailReason(TikTokModel):
    """Why one market did not take a published product."""

    message: str = ""


class RegionPublishResult(TikTokModel):
    """Outcome of publishing to one market."""

    region: str
    status: str
    fail_reasons: list[PublishFailReason] = Field(default_factory=list)


class PublishResult(TikTokModel):
    """Result of Publish Global Product."""

    products: list[PublishedProduct] = Field(default_factory=list)
    publish_result: list[RegionPublishResult] = Field(default_factory=list)


class ComplianceEntity(TikTokModel):
    """A manufacturer or responsible person (EU GPSR) with its per-locale profiles."""

    id: str
    regional_profiles: list[TikTokModel] = Field(default_factory=list)


class LocalProductLink(TikTokModel):
    """A local product published from (or bound to) a global product in one market."""

    id: str
    region: str


class GlobalProductDetail(TikTokModel):
    """Get Global Product: the fields the connector reads, and its local products."""

    id: str
    title: str = ""
    products: list[LocalProductLink] = Field(default_factory=list)
