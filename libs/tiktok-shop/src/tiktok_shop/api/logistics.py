"""Warehouses, delivery options and shipping providers (reference A6 Logistics)."""

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.models.fulfillment import (
    DeliveryOption,
    ShippingProvider,
    ShippingTemplate,
    Warehouse,
)


class LogisticsApi(AreaApi):
    """Where the shop ships from and with which carriers."""

    async def warehouses(self) -> list[Warehouse]:
        """Get Warehouse List."""
        data = await self._call(ep.WAREHOUSES)
        return [Warehouse.model_validate(w) for w in data.get("warehouses") or []]

    async def shipping_templates(self) -> list[ShippingTemplate]:
        """Get Available Shipping Template: the shop's templates, usable or not (and why)."""
        data = await self._call(ep.SHIPPING_TEMPLATES)
        return [ShippingTemplate.model_validate(t) for t in data.get("templates") or []]

    async def delivery_options(self, warehouse_id: str) -> list[DeliveryOption]:
        """Get Warehouse Delivery Options."""
        data = await self._call(ep.DELIVERY_OPTIONS, path_params={"warehouse_id": warehouse_id})
        return [DeliveryOption.model_validate(d) for d in data.get("delivery_options") or []]

    async def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        """Get Shipping Providers of a delivery option."""
        data = await self._call(
            ep.SHIPPING_PROVIDERS, path_params={"delivery_option_id": delivery_option_id}
        )
        return [ShippingProvider.model_validate(p) for p in data.get("shipping_providers") or []]
