"""Package, shipping, warehouse and invoice models (reference A6 Fulfillment, Logistics)."""

from pydantic import Field

from tiktok_shop.models.common import TikTokModel


class SelfShipment(TikTokModel):
    """Tracking for a package the seller ships with their own carrier."""

    tracking_number: str
    shipping_provider_id: str


class ShipPackage(TikTokModel):
    """Body of Ship Package."""

    handover_method: str | None = None
    self_shipment: SelfShipment | None = None


class MarkShipped(TikTokModel):
    """Body of Mark Package As Shipped (US, UK, ES, IE, IT, DE, FR, JP only)."""

    tracking_number: str
    shipping_provider_id: str
    order_line_item_ids: list[str] | None = None


class MarkShippedResult(TikTokModel):
    """Result of Mark Package As Shipped."""

    package_id: str
    order_id: str = ""
    order_line_item_ids: list[str] = Field(default_factory=list)


class PackageOrder(TikTokModel):
    """An order inside a package."""

    id: str


class Package(TikTokModel):
    """Result of Get Package Detail."""

    package_id: str
    package_status: str = ""
    tracking_number: str = ""
    shipping_provider_id: str = ""
    shipping_provider_name: str = ""
    orders: list[PackageOrder] = Field(default_factory=list)
    order_line_item_ids: list[str] = Field(default_factory=list)


class Warehouse(TikTokModel):
    """A warehouse of the shop (SALES_WAREHOUSE or RETURN_WAREHOUSE)."""

    id: str
    name: str = ""
    effect_status: str = ""
    type: str = ""
    is_default: bool = False


class DeliveryOption(TikTokModel):
    """A delivery option of a warehouse."""

    id: str
    name: str = ""
    type: str = ""


class ShippingProvider(TikTokModel):
    """A carrier available for a delivery option."""

    id: str
    name: str = ""


class Invoice(TikTokModel):
    """One invoice for Upload Invoice (Brazil only; base64 XML, <= 1 MB)."""

    package_id: str
    order_ids: list[str]
    file: str
    file_type: str = "XML"
