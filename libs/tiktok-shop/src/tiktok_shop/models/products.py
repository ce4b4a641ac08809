"""Product, SKU, category, attribute, brand and upload models (reference A6, A7)."""

from decimal import Decimal

from pydantic import Field

from tiktok_shop.models.common import ImageRef, TikTokModel


class Price(TikTokModel):
    """A SKU price; `sale_price` is read-only in responses."""

    amount: Decimal | None = None
    currency: str
    sale_price: Decimal | None = None


class WarehouseStock(TikTokModel):
    """Quantity of a SKU in one warehouse."""

    warehouse_id: str | None = None
    quantity: int


class SalesAttribute(TikTokModel):
    """A variant dimension value (e.g. Color=Red), by built-in id or custom name."""

    id: str | None = None
    name: str | None = None
    value_id: str | None = None
    value_name: str | None = None
    sku_img: ImageRef | None = None


class SkuInput(TikTokModel):
    """One SKU in a create/edit product request."""

    seller_sku: str | None = None
    price: Price
    inventory: list[WarehouseStock]
    sales_attributes: list[SalesAttribute] = Field(default_factory=list)
    external_sku_id: str | None = None


class Weight(TikTokModel):
    """Package weight; `value` is a decimal string."""

    value: Decimal
    unit: str = "KILOGRAM"


class Dimensions(TikTokModel):
    """Package dimensions; whole numbers in CENTIMETER (or INCH in the US) (reference A7)."""

    length: str
    width: str
    height: str
    unit: str = "CENTIMETER"


class AttributeValue(TikTokModel):
    """A product attribute value, by id or custom name."""

    id: str | None = None
    name: str | None = None


class ProductAttribute(TikTokModel):
    """A non-sales product attribute (e.g. Material)."""

    id: str
    values: list[AttributeValue]


class CertificationFile(TikTokModel):
    """A PDF uploaded with Upload Product File, as a certification takes it."""

    id: str
    name: str
    format: str = "PDF"


class Certification(TikTokModel):
    """A certification document for categories that require one: images and / or PDF files."""

    id: str
    images: list[ImageRef] = Field(default_factory=list)
    files: list[CertificationFile] | None = None


class IdRef(TikTokModel):
    """A platform object referenced by id (a product video file, a size chart template)."""

    id: str


class SizeChart(TikTokModel):
    """A product's size chart: an uploaded SIZE_CHART_IMAGE or a Seller Center template."""

    image: ImageRef | None = None
    template: IdRef | None = None


class ProductInput(TikTokModel):
    """Body of Create / Edit / Check Product Listing (reference A7)."""

    title: str
    description: str
    category_id: str
    main_images: list[ImageRef]
    skus: list[SkuInput]
    package_weight: Weight
    package_dimensions: Dimensions | None = None
    brand_id: str | None = None
    product_attributes: list[ProductAttribute] | None = None
    certifications: list[Certification] | None = None
    size_chart: SizeChart | None = None
    video: IdRef | None = Field(default=None, description="A video from Upload Product File.")
    category_version: str | None = None
    external_product_id: str | None = None
    shipping_template_id: str | None = Field(
        default=None, description="One of the shop's shipping templates (Get Available ...)."
    )
    save_mode: str | None = None
    idempotency_key: str | None = None


class CreatedSku(TikTokModel):
    """A SKU id assigned by TikTok, matched back by seller_sku / external_sku_id."""

    id: str
    seller_sku: str = ""
    external_sku_id: str = ""


class Warning(TikTokModel):
    """A non-blocking note the platform attached to a write."""

    message: str


class Audit(TikTokModel):
    """Audit state of a product (NONE, AUDITING, FAILED, PRE_APPROVED, APPROVED)."""

    status: str = ""


class ProductWriteResult(TikTokModel):
    """Result of Create / Edit Product (Edit answers the audit status, Create none)."""

    product_id: str
    skus: list[CreatedSku] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    audit: Audit | None = None


class SkuPrice(TikTokModel):
    """A SKU price as returned by reads."""

    currency: str
    tax_exclusive_price: Decimal | None = None
    sale_price: Decimal | None = None


class Sku(TikTokModel):
    """A SKU as returned by Get Product / Search Products."""

    id: str
    seller_sku: str = ""
    price: SkuPrice | None = None
    inventory: list[WarehouseStock] = Field(default_factory=list)
    external_sku_id: str = ""


class ProductVideo(TikTokModel):
    """A product's video as Get Product returns it (`size` in MB)."""

    id: str
    url: str = ""
    cover_url: str = ""
    format: str = ""
    width: int = 0
    height: int = 0
    size: int = 0


class ProductBrand(TikTokModel):
    """The brand a listed product carries."""

    id: str = ""
    name: str = ""


class Product(TikTokModel):
    """A product as returned by Get Product / Search Products."""

    id: str
    title: str = ""
    description: str = ""  # HTML; Get Product only
    main_images: list[ImageRef] = Field(default_factory=list)
    brand: ProductBrand | None = None
    status: str = ""
    skus: list[Sku] = Field(default_factory=list)
    video: ProductVideo | None = None
    size_chart: SizeChart | None = None
    shipping_template_id: str | None = Field(default=None, description="The bound template.")
    audit: Audit | None = None
    create_time: int = 0
    update_time: int = 0
    product_sync_fail_reasons: list[str] = Field(default_factory=list)


class Category(TikTokModel):
    """A node of the category tree."""

    id: str
    parent_id: str = ""
    local_name: str = ""
    is_leaf: bool = False
    permission_statuses: list[str] = Field(default_factory=list)


class RecommendedCategory(TikTokModel):
    """One category of a recommendation, from the top level down to the leaf."""

    id: str
    name: str = ""
    level: int = 0
    is_leaf: bool = False
    permission_statuses: list[str] = Field(default_factory=list)


class CategoryRecommendation(TikTokModel):
    """Result of Recommend Category."""

    leaf_category_id: str
    categories: list[RecommendedCategory] = Field(default_factory=list)


class Attribute(TikTokModel):
    """An attribute of a category; the platform spells `is_requried` this way."""

    id: str
    name: str = ""
    type: str = ""
    is_required: bool = Field(default=False, alias="is_requried")
    values: list[AttributeValue] = Field(default_factory=list)
    is_customizable: bool = False
    is_multiple_selection: bool = False


class RequiredFlag(TikTokModel):
    """A `{is_required}` rule."""

    is_required: bool = False


class CertificationRule(TikTokModel):
    """A certification the category asks for."""

    id: str
    name: str = ""
    is_required: bool = False


class SizeChartRule(TikTokModel):
    """Whether a category takes a size chart, and whether it must have one."""

    is_supported: bool = False
    is_required: bool = False


class CategoryRules(TikTokModel):
    """Result of Get Category Rules (responsible person and manufacturer: EU markets only)."""

    product_certifications: list[CertificationRule] = Field(default_factory=list)
    package_dimension: RequiredFlag = Field(default_factory=RequiredFlag)
    size_chart: SizeChartRule | None = None
    responsible_person: RequiredFlag = Field(default_factory=RequiredFlag)
    manufacturer: RequiredFlag = Field(default_factory=RequiredFlag)


class Brand(TikTokModel):
    """A brand the shop may use."""

    id: str
    name: str = ""
    authorized_status: str = ""
    brand_status: str = ""
    is_t1_brand: bool = False


class UploadedImage(TikTokModel):
    """Result of Upload Product Image."""

    uri: str
    url: str = ""
    width: int = 0
    height: int = 0
    use_case: str = ""


class UploadedFile(TikTokModel):
    """Result of Upload Product File."""

    id: str
    url: str = ""
    name: str = ""
    format: str = ""


class SizeChartImage(TikTokModel):
    """One localized image of a size chart template."""

    uri: str
    url: str = ""
    locale: str = ""


class SizeChartTemplate(TikTokModel):
    """A size chart template of the seller (Search Size Charts)."""

    template_id: str
    template_name: str = ""
    images: list[SizeChartImage] = Field(default_factory=list)


class ListingFailReason(TikTokModel):
    """Why Check Product Listing would refuse the product."""

    code: int = 0
    message: str = ""


class ListingCheck(TikTokModel):
    """Result of Check Product Listing."""

    check_result: str
    fail_reasons: list[ListingFailReason] = Field(default_factory=list)


class PrerequisiteCheck(TikTokModel):
    """One item of Check Listing Prerequisites."""

    check_item: str
    is_failed: bool
    fail_reasons: list[str] = Field(default_factory=list)


class SkuStock(TikTokModel):
    """One SKU in an Update Inventory request: list every warehouse of the SKU (reference A6)."""

    id: str
    inventory: list[WarehouseStock]


class WarehouseInventory(TikTokModel):
    """Inventory Search: one SKU's units in one warehouse."""

    warehouse_id: str
    available_quantity: int = 0
    committed_quantity: int = 0


class SkuInventory(TikTokModel):
    """Inventory Search: one SKU's units over its warehouses."""

    id: str
    seller_sku: str = ""
    total_available_quantity: int = 0
    total_committed_quantity: int = 0
    warehouse_inventory: list[WarehouseInventory] = Field(default_factory=list)


class ProductInventory(TikTokModel):
    """Inventory Search: the SKUs of one product."""

    product_id: str
    skus: list[SkuInventory] = Field(default_factory=list)


class SkuPriceUpdate(TikTokModel):
    """One SKU in an Update Price request."""

    id: str
    price: Price
    list_price: Price | None = None
