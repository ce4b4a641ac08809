"""The connector's own view of a product and of the settings that shape its TikTok listing."""

from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class Frozen(BaseModel):
    """Base of the core's values: immutable, unknown fields ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class OptionValue(Frozen):
    """One variant dimension, e.g. Size=M."""

    name: str
    value: str


class SourceVariant(Frozen):
    """A Shopify variant as pulled."""

    shopify_variant_id: str
    inventory_item_id: str | None = None
    title: str = ""
    sku: str | None = None
    barcode: str | None = None
    price: Decimal
    compare_at_price: Decimal | None = None
    options: list[OptionValue] = Field(default_factory=list)
    stock: int = 0
    stock_by_location: dict[str, int] = Field(
        default_factory=dict, description="Available units per Shopify location id."
    )


class SourceVideo(Frozen):
    """A product's Shopify video: the rendition TikTok can take (a file, not the HLS playlist)."""

    url: str
    filename: str = ""
    format: str = Field(default="mp4", description="File extension, e.g. mp4, mov.")
    width: int = 0
    height: int = 0
    file_size: int | None = Field(default=None, description="Bytes, when Shopify reports it.")


class SourceMetafield(Frozen):
    """A Shopify product metafield as pulled: `value` is Shopify's string, read by `type`."""

    namespace: str
    key: str
    type: str = "single_line_text_field"
    value: str

    @property
    def path(self) -> str:
        """`namespace.key`, as the merchant names it in Shopify admin."""
        return f"{self.namespace}.{self.key}"


class SourceProduct(Frozen):
    """A Shopify product as pulled: what the merchant maintains in Shopify."""

    shopify_product_id: str
    title: str
    description_html: str = ""
    product_type: str = ""
    taxonomy_category_id: str | None = None
    taxonomy_category_name: str | None = None
    vendor: str = ""
    status: str = "ACTIVE"
    image_urls: list[str] = Field(default_factory=list)
    video: SourceVideo | None = Field(default=None, description="The first Shopify video.")
    variants: list[SourceVariant] = Field(default_factory=list)
    metafields: list[SourceMetafield] = Field(
        default_factory=list, description="The product's metafields (none before issue 15)."
    )
    updated_at: AwareDatetime


class CategoriesSource(StrEnum):
    """Which Shopify field names the merchant's categories."""

    PRODUCT_TYPE = "product_type"
    STANDARD_CATEGORY = "standard_category"


class AttributeSetting(Frozen):
    """Values chosen for one TikTok attribute: value ids, or custom names."""

    attribute_id: str
    value_ids: list[str] = Field(default_factory=list)
    custom_values: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when no value is chosen."""
        return not (self.value_ids or self.custom_values)


class CertificationSetting(Frozen):
    """Uploaded documents for one TikTok certification."""

    certification_id: str
    image_uris: list[str] = Field(default_factory=list)
    file_ids: list[str] = Field(default_factory=list)


class PackageSetting(Frozen):
    """Package dimensions and weight: whole integers (the merchant's settings page rule)."""

    length: int | None = Field(default=None, ge=1)
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)
    dimension_unit: str = "CENTIMETER"
    weight: int | None = Field(default=None, ge=1)
    weight_unit: str = "KILOGRAM"


class ListingLayer(Frozen):
    """Listing data set at one level (store, category or product); None means "not set here"."""

    brand_id: str | None = None
    attributes: list[AttributeSetting] = Field(default_factory=list)
    certifications: list[CertificationSetting] = Field(default_factory=list)
    size_chart_uri: str | None = Field(
        default=None, description="An uploaded size chart image (uploads, use=size_chart)."
    )
    size_chart_template_id: str | None = Field(
        default=None, description="A TikTok size chart template (categories/{key}/size-charts)."
    )
    responsible_person_ids: list[str] | None = None
    manufacturer_ids: list[str] | None = None
    package: PackageSetting | None = None

    @model_validator(mode="after")
    def _one_size_chart(self) -> "ListingLayer":
        # A product has one size chart: an image or a template (reference A7 `size_chart`).
        if self.size_chart_uri and self.size_chart_template_id:
            raise ValueError("choose a size chart image or a size chart template, not both")
        return self


class ResolvedListing(Frozen):
    """Listing data after product > category > store priority."""

    brand_id: str | None = None
    attributes: dict[str, AttributeSetting] = Field(default_factory=dict)
    certifications: dict[str, CertificationSetting] = Field(default_factory=dict)
    size_chart_uri: str | None = None
    size_chart_template_id: str | None = None
    responsible_person_ids: list[str] = Field(default_factory=list)
    manufacturer_ids: list[str] = Field(default_factory=list)
    package: PackageSetting = Field(default_factory=PackageSetting)


class AttributeRequirement(Frozen):
    """A TikTok attribute of a category."""

    id: str
    name: str
    required: bool = False
    sales: bool = False
    value_ids: dict[str, str] = Field(default_factory=dict, description="value id -> name")
    customizable: bool = True


class CertificationRequirement(Frozen):
    """A certification a TikTok category asks for."""

    id: str
    name: str
    required: bool = True


class CategoryRequirements(Frozen):
    """What a TikTok leaf category needs (Get Attributes + Get Category Rules)."""

    category_id: str
    attributes: list[AttributeRequirement] = Field(default_factory=list)
    certifications: list[CertificationRequirement] = Field(default_factory=list)
    package_dimensions_required: bool = False
    size_chart_required: bool = False
    responsible_person_required: bool = False
    manufacturer_required: bool = False


class ConnectorEdits(Frozen):
    """Fields the merchant edited in the connector (used by the "connector" sync rule)."""

    title: str | None = None
    description_html: str | None = None


class Issue(Frozen):
    """Something that stops a product from listing, in the merchant's words."""

    code: str = Field(description="Stable machine code, e.g. `missing_attribute`.")
    message: str
