"""Products: create, edit, read, search, status changes, stock and price (reference A6, A7)."""

from collections.abc import AsyncIterator, Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi, page_query
from tiktok_shop.models.common import ErrorsResult, TikTokModel
from tiktok_shop.models.products import (
    ListingCheck,
    PrerequisiteCheck,
    Product,
    ProductInput,
    ProductInventory,
    ProductWriteResult,
    SkuPriceUpdate,
    SkuStock,
)
from tiktok_shop.pagination import Page, paginate

MAX_IDS_PER_CALL = 20
MAX_INVENTORY_SEARCH_IDS = 100  # product ids per Inventory Search (reference A6)


def _ids_body(product_ids: Sequence[str]) -> dict[str, object]:
    # Activate / deactivate / delete take at most 20 ids per call (reference D7).
    if not 0 < len(product_ids) <= MAX_IDS_PER_CALL:
        raise ValueError(f"pass 1..{MAX_IDS_PER_CALL} product ids per call")
    return {"product_ids": list(product_ids)}


class ProductsApi(AreaApi):
    """Product listing lifecycle."""

    async def create(self, product: ProductInput) -> ProductWriteResult:
        """Create Product; it is then audited asynchronously (webhooks 5/37).

        Retried after an ambiguous failure only when `product.idempotency_key` is set, since the
        platform then returns the first result instead of creating a duplicate.
        """
        data = await self._call(
            ep.PRODUCT_CREATE,
            body=product.to_body(),
            retry_safe=product.idempotency_key is not None,
        )
        return ProductWriteResult.model_validate(data)

    async def edit(self, product_id: str, product: ProductInput) -> ProductWriteResult:
        """Edit Product (full replace; re-audited)."""
        data = await self._call(
            ep.PRODUCT_EDIT, path_params={"product_id": product_id}, body=product.to_body()
        )
        return ProductWriteResult.model_validate(data)

    async def partial_edit(self, product_id: str, fields: TikTokModel) -> ProductWriteResult:
        """Partial Edit Product: only the given fields change."""
        data = await self._call(
            ep.PRODUCT_PARTIAL_EDIT, path_params={"product_id": product_id}, body=fields.to_body()
        )
        return ProductWriteResult.model_validate(data)

    async def get(self, product_id: str) -> Product:
        """Get Product."""
        data = await self._call(ep.PRODUCT_GET, path_params={"product_id": product_id})
        return Product.model_validate(data)

    async def search(
        self,
        filters: dict[str, object] | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
    ) -> Page[Product]:
        """One page of Search Products (body: status, seller_skus, update_time_ge, ...)."""
        data = await self._call(
            ep.PRODUCT_SEARCH, query=page_query(page_size, page_token), body=filters or {}
        )
        items = [Product.model_validate(p) for p in data.get("products") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_search(self, filters: dict[str, object] | None = None) -> AsyncIterator[Product]:
        """Every product matching `filters`, across pages."""
        return paginate(lambda token: self.search(filters, page_token=token))

    async def activate(self, product_ids: Sequence[str]) -> ErrorsResult:
        """Activate up to 20 products."""
        data = await self._call(ep.PRODUCT_ACTIVATE, body=_ids_body(product_ids))
        return ErrorsResult.model_validate(data)

    async def deactivate(self, product_ids: Sequence[str]) -> ErrorsResult:
        """Deactivate up to 20 products."""
        data = await self._call(ep.PRODUCT_DEACTIVATE, body=_ids_body(product_ids))
        return ErrorsResult.model_validate(data)

    async def delete(self, product_ids: Sequence[str]) -> ErrorsResult:
        """Delete up to 20 products (DELETE with a JSON body)."""
        data = await self._call(ep.PRODUCT_DELETE, body=_ids_body(product_ids))
        return ErrorsResult.model_validate(data)

    async def update_inventory(self, product_id: str, skus: Sequence[SkuStock]) -> ErrorsResult:
        """Set absolute stock per warehouse; list every warehouse of each SKU (reference A6)."""
        data = await self._call(
            ep.INVENTORY_UPDATE,
            path_params={"product_id": product_id},
            body={"skus": [s.to_body() for s in skus]},
        )
        return ErrorsResult.model_validate(data)

    async def inventory_search(self, product_ids: Sequence[str]) -> list[ProductInventory]:
        """Inventory Search: stock per SKU and warehouse of up to 100 products."""
        if not 0 < len(product_ids) <= MAX_INVENTORY_SEARCH_IDS:
            raise ValueError(f"pass 1..{MAX_INVENTORY_SEARCH_IDS} product ids per call")
        data = await self._call(ep.INVENTORY_SEARCH, body={"product_ids": list(product_ids)})
        return [ProductInventory.model_validate(p) for p in data.get("inventory") or []]

    async def update_price(self, product_id: str, skus: Sequence[SkuPriceUpdate]) -> None:
        """Set SKU prices."""
        await self._call(
            ep.PRICE_UPDATE,
            path_params={"product_id": product_id},
            body={"skus": [s.to_body() for s in skus]},
        )

    async def check_listing(self, product: ProductInput) -> ListingCheck:
        """Check Product Listing: dry-run a create and get the failure reasons."""
        data = await self._call(ep.LISTING_CHECK, body=product.to_body())
        return ListingCheck.model_validate(data)

    async def prerequisites(self) -> list[PrerequisiteCheck]:
        """Check Listing Prerequisites of the shop (warehouses, delivery options, ...)."""
        data = await self._call(ep.LISTING_PREREQUISITES)
        return [PrerequisiteCheck.model_validate(c) for c in data.get("check_results") or []]
