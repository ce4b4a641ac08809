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


class TemplateInfo(TikTokModel):
    """A shipping template's name and id."""

    template_id: str
    template_name: str = ""
    is_default: bool = False
    template_party: int | None = Field(default=None, description="1: by platform, 2: by seller")


class FilterReason(TikTokModel):
    """Why a template's service cannot be used."""

    filter_type: str = ""
    reason: str = ""


class UnreachableService(TikTokModel):
    """A service of a template that cannot be used, and why."""

    service_id: str = ""
    filter_reason: list[FilterReason] = Field(default_factory=list)


class ShippingTemplate(TikTokModel):
    """One of the shop's shipping templates (Get Available Shipping Template)."""

    template_is_available: bool = False
    template: TemplateInfo
    service_unreachable_reason: list[UnreachableService] = Field(default_factory=list)

    @property
    def unavailable_reasons(self) -> list[str]:
        """TikTok's reasons the template cannot be used (empty: it can)."""
        return [
            f.reason for s in self.service_unreachable_reason for f in s.filter_reason if f.reason
        ]


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
