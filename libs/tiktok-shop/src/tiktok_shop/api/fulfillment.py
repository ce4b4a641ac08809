"""Fulfillment: ship packages, mark shipped, fix tracking, invoices (reference A6 Fulfillment)."""

from collections.abc import Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.models.common import ErrorsResult
from tiktok_shop.models.fulfillment import (
    Invoice,
    MarkShipped,
    MarkShippedResult,
    Package,
    SelfShipment,
    ShipPackage,
)


class FulfillmentApi(AreaApi):
    """Package shipping and tracking."""

    async def ship_package(self, package_id: str, shipment: ShipPackage) -> None:
        """Ship Package; `self_shipment` is required for SEND_BY_SELLER delivery options."""
        await self._call(
            ep.PACKAGE_SHIP, path_params={"package_id": package_id}, body=shipment.to_body()
        )

    async def get_package(self, package_id: str) -> Package:
        """Get Package Detail."""
        data = await self._call(ep.PACKAGE_GET, path_params={"package_id": package_id})
        return Package.model_validate(data)

    async def mark_shipped(self, order_id: str, shipment: MarkShipped) -> MarkShippedResult:
        """Mark Package As Shipped for seller-arranged carriers; returns the new package."""
        data = await self._call(
            ep.MARK_SHIPPED, path_params={"order_id": order_id}, body=shipment.to_body()
        )
        return MarkShippedResult.model_validate(data)

    async def update_package_shipping_info(self, package_id: str, tracking: SelfShipment) -> None:
        """Fix the tracking number / carrier of a shipped package (works for split orders)."""
        await self._call(
            ep.PACKAGE_SHIPPING_INFO,
            path_params={"package_id": package_id},
            body=tracking.to_body(),
        )

    async def upload_invoices(self, invoices: Sequence[Invoice]) -> ErrorsResult:
        """Upload Invoice (Brazil only); the outcome arrives later by webhook 36."""
        data = await self._call(
            ep.INVOICE_UPLOAD, body={"invoices": [i.to_body() for i in invoices]}
        )
        return ErrorsResult.model_validate(data)
