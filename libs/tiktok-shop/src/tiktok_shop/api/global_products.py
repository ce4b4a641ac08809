"""Global products (cross-border) and EU compliance entities (reference A6 Products)."""

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.models.common import TikTokModel
from tiktok_shop.models.global_products import (
    ComplianceEntity,
    GlobalProductDetail,
    GlobalProductResult,
    PublishResult,
)


class GlobalProductsApi(AreaApi):
    """Cross-border global products, manufacturers and responsible persons (no shop_cipher)."""

    async def create(self, product: TikTokModel) -> GlobalProductResult:
        """Create Global Product (KILOGRAM / CENTIMETER units only)."""
        data = await self._call(ep.GLOBAL_PRODUCT_CREATE, body=product.to_body())
        return GlobalProductResult.model_validate(data)

    async def edit(self, global_product_id: str, product: TikTokModel) -> GlobalProductResult:
        """Edit Global Product: replace its content; SKUs keep their ids by seller SKU."""
        data = await self._call(
            ep.GLOBAL_PRODUCT_EDIT,
            path_params={"global_product_id": global_product_id},
            body=product.to_body(),
        )
        return GlobalProductResult.model_validate(
            {"global_product_id": global_product_id} | (data or {})
        )

    async def get(self, global_product_id: str) -> GlobalProductDetail:
        """Get Global Product, with the local products published from it per market."""
        data = await self._call(
            ep.GLOBAL_PRODUCT_GET, path_params={"global_product_id": global_product_id}
        )
        return GlobalProductDetail.model_validate(data)

    async def publish(
        self, global_product_id: str, publish_target: list[TikTokModel]
    ) -> PublishResult:
        """Publish a global product to markets (one publish per market)."""
        data = await self._call(
            ep.GLOBAL_PRODUCT_PUBLISH,
            path_params={"global_product_id": global_product_id},
            body={"publish_target": [t.to_body() for t in publish_target]},
        )
        return PublishResult.model_validate(data)

    async def create_manufacturer(self, manufacturer: TikTokModel) -> str:
        """Create Manufacturer (EU GPSR); returns its id."""
        data = await self._call(ep.MANUFACTURER_CREATE, body=manufacturer.to_body())
        return str(data["manufacturer_id"])

    async def search_manufacturers(self, keyword: str = "") -> list[ComplianceEntity]:
        """Search Manufacturers of the seller."""
        data = await self._call(ep.MANUFACTURER_SEARCH, body={"keyword": keyword})
        return [ComplianceEntity.model_validate(m) for m in data.get("manufacturers") or []]

    async def search_responsible_persons(self, keyword: str = "") -> list[ComplianceEntity]:
        """Search Responsible Persons of the seller."""
        data = await self._call(ep.RESPONSIBLE_PERSON_SEARCH, body={"keyword": keyword})
        return [ComplianceEntity.model_validate(p) for p in data.get("responsible_persons") or []]

    async def create_responsible_person(self, person: TikTokModel) -> str:
        """Create Responsible Person (EU GPSR); returns its id."""
        data = await self._call(ep.RESPONSIBLE_PERSON_CREATE, body=person.to_body())
        return str(data["responsible_person_id"])

    async def edit_manufacturer(self, manufacturer_id: str, manufacturer: TikTokModel) -> None:
        """Partial Edit Manufacturer: the fields given replace TikTok's."""
        await self._call(
            ep.MANUFACTURER_PARTIAL_EDIT,
            path_params={"manufacturer_id": manufacturer_id},
            body=manufacturer.to_body(),
        )

    async def edit_responsible_person(self, person_id: str, person: TikTokModel) -> None:
        """Partial Edit Responsible Person: the fields given replace TikTok's."""
        await self._call(
            ep.RESPONSIBLE_PERSON_PARTIAL_EDIT,
            path_params={"responsible_person_id": person_id},
            body=person.to_body(),
        )
