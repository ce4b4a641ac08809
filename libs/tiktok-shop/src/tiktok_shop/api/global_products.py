"""Global products (cross-border) and EU compliance entities (reference A6 Products)."""

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.calls import JsonObject
from tiktok_shop.models.common import TikTokModel


class GlobalProductsApi(AreaApi):
    """Cross-border global products, manufacturers and responsible persons (no shop_cipher)."""

    async def create(self, product: TikTokModel) -> JsonObject:
        """Create Global Product; returns `global_product_id` and SKU ids."""
        return await self._call(ep.GLOBAL_PRODUCT_CREATE, body=product.to_body())

    async def publish(self, global_product_id: str, publish_target: list[JsonObject]) -> JsonObject:
        """Publish a global product to markets (one publish per market)."""
        return await self._call(
            ep.GLOBAL_PRODUCT_PUBLISH,
            path_params={"global_product_id": global_product_id},
            body={"publish_target": publish_target},
        )

    async def create_manufacturer(self, manufacturer: TikTokModel) -> str:
        """Create Manufacturer (EU GPSR); returns its id."""
        data = await self._call(ep.MANUFACTURER_CREATE, body=manufacturer.to_body())
        return str(data["manufacturer_id"])

    async def create_responsible_person(self, person: TikTokModel) -> str:
        """Create Responsible Person (EU GPSR); returns its id."""
        data = await self._call(ep.RESPONSIBLE_PERSON_CREATE, body=person.to_body())
        return str(data["responsible_person_id"])
