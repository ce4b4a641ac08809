"""Promotion activities (reference A6 Promotions)."""

from collections.abc import AsyncIterator, Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.models.promotions import (
    Activity,
    ActivityInput,
    ActivityProduct,
    ActivitySummary,
    ActivityWriteResult,
)
from tiktok_shop.pagination import Page, paginate

MAX_ITEMS_PER_CALL = 300


class PromotionsApi(AreaApi):
    """Discount activities and the products in them."""

    async def create(self, activity: ActivityInput) -> ActivityWriteResult:
        """Create Activity; titles are unique per shop, so a repeated create fails (17029004)."""
        data = await self._call(ep.ACTIVITY_CREATE, body=activity.to_body())
        return ActivityWriteResult.model_validate(data)

    async def update(self, activity_id: str, activity: ActivityInput) -> ActivityWriteResult:
        """Update Activity (title, begin/end)."""
        data = await self._call(
            ep.ACTIVITY_UPDATE, path_params={"activity_id": activity_id}, body=activity.to_body()
        )
        return ActivityWriteResult.model_validate(data)

    async def update_products(
        self, activity_id: str, products: Sequence[ActivityProduct]
    ) -> ActivityWriteResult:
        """Add or change up to 300 products/SKUs of an activity (reference D7)."""
        if len(products) > MAX_ITEMS_PER_CALL:
            raise ValueError(f"at most {MAX_ITEMS_PER_CALL} products per call")
        body = {"activity_id": activity_id, "products": [p.to_body() for p in products]}
        data = await self._call(
            ep.ACTIVITY_PRODUCTS_UPDATE, path_params={"activity_id": activity_id}, body=body
        )
        return ActivityWriteResult.model_validate(data)

    async def remove_products(
        self, activity_id: str, product_ids: Sequence[str] = (), sku_ids: Sequence[str] = ()
    ) -> ActivityWriteResult:
        """Remove products and/or SKUs from an activity."""
        body = {"product_ids": list(product_ids), "sku_ids": list(sku_ids)}
        data = await self._call(
            ep.ACTIVITY_PRODUCTS_REMOVE, path_params={"activity_id": activity_id}, body=body
        )
        return ActivityWriteResult.model_validate(data)

    async def deactivate(self, activity_id: str) -> ActivityWriteResult:
        """Deactivate Activity."""
        data = await self._call(
            ep.ACTIVITY_DEACTIVATE, path_params={"activity_id": activity_id}, body={}
        )
        return ActivityWriteResult.model_validate(data)

    async def get(self, activity_id: str) -> Activity:
        """Get Activity with its products."""
        data = await self._call(ep.ACTIVITY_GET, path_params={"activity_id": activity_id})
        return Activity.model_validate(data)

    async def search(
        self,
        filters: dict[str, object] | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
    ) -> Page[ActivitySummary]:
        """One page of Search Activities (paging lives in the body for this API)."""
        body = (filters or {}) | {"page_size": page_size}
        if page_token:
            body["page_token"] = page_token
        data = await self._call(ep.ACTIVITY_SEARCH, body=body)
        items = [ActivitySummary.model_validate(a) for a in data.get("activities") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_search(
        self, filters: dict[str, object] | None = None
    ) -> AsyncIterator[ActivitySummary]:
        """Every activity matching `filters`, across pages."""
        return paginate(lambda token: self.search(filters, page_token=token))
