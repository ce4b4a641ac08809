"""Orders: search, detail, price detail, external order references (reference A6 Orders)."""

from collections.abc import AsyncIterator, Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi, page_query
from tiktok_shop.batching import SharedBatches
from tiktok_shop.calls import SignedCaller
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.common import ErrorsResult, ItemError
from tiktok_shop.models.orders import ExternalOrder, ExternalOrderLink, Order, PriceDetail
from tiktok_shop.pagination import Page, paginate

MAX_DETAIL_IDS = 50
MAX_EXTERNAL_LINKS = 100  # orders per Add External Order References call


class OrdersApi(AreaApi):
    """Order reads and external references."""

    def __init__(self, caller: SignedCaller, shop_cipher: str | None) -> None:
        super().__init__(caller, shop_cipher)
        self._details = SharedBatches[str, Order](
            self._details_by_id, MAX_DETAIL_IDS, split_on=(BusinessError,)
        )
        self._links: dict[str, ExternalOrderLink] = {}  # waiting for the next shared call
        # A refused shared call is asked again link by link, as for details: one bad link
        # must not drop the other orders' links.
        self._link_calls = SharedBatches[str, ItemError](
            self._link_by_id, MAX_EXTERNAL_LINKS, split_on=(BusinessError,)
        )

    async def search(
        self,
        filters: dict[str, object] | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Order]:
        """One page of Get Order List; `filters` is the body (order_status, update_time_ge, ...)."""
        query = page_query(page_size, page_token, sort_field=sort_field, sort_order=sort_order)
        data = await self._call(ep.ORDER_SEARCH, query=query, body=filters or {})
        orders = [Order.model_validate(o) for o in data.get("orders") or []]
        return Page(orders, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_search(
        self, filters: dict[str, object] | None = None, *, page_size: int = 50
    ) -> AsyncIterator[Order]:
        """Every order matching `filters`, across pages."""
        return paginate(lambda token: self.search(filters, page_size=page_size, page_token=token))

    async def get(self, order_ids: Sequence[str]) -> list[Order]:
        """Get Order Detail for up to 50 ids at once."""
        if not 0 < len(order_ids) <= MAX_DETAIL_IDS:
            raise ValueError(f"order detail takes 1..{MAX_DETAIL_IDS} ids")
        data = await self._call(ep.ORDER_DETAIL, query={"ids": ",".join(order_ids)})
        return [Order.model_validate(o) for o in data.get("orders") or []]

    async def detail(self, order_id: str) -> Order | None:
        """Get Order Detail of one order (None when TikTok has no such order), in one call with
        the other orders this client is asked for at the same time."""
        return await self._details.get(order_id)

    async def _details_by_id(self, order_ids: Sequence[str]) -> dict[str, Order]:
        return {order.id: order for order in await self.get(order_ids)}

    async def price_detail(self, order_id: str) -> PriceDetail:
        """Get Price Detail of one order."""
        data = await self._call(ep.ORDER_PRICE_DETAIL, path_params={"order_id": order_id})
        return PriceDetail.model_validate(data)

    async def add_external_references(self, links: Sequence[ExternalOrderLink]) -> ErrorsResult:
        """Link TikTok orders to another system's orders; per-order failures come back in errors."""
        body = {"orders": [link.to_body() for link in links]}
        data = await self._call(ep.EXTERNAL_ORDERS_ADD, body=body)
        return ErrorsResult.model_validate(data)

    async def add_external_reference(self, link: ExternalOrderLink) -> ItemError | None:
        """Link one TikTok order (its failure, or None), in one call with the other links this
        client is asked for at the same time."""
        self._links[link.id] = link
        return await self._link_calls.get(link.id)

    async def _link_by_id(self, order_ids: Sequence[str]) -> dict[str, ItemError]:
        result = await self.add_external_references([self._links.pop(i) for i in order_ids])
        return {str(error.detail.get("id")): error for error in result.errors}

    async def external_references(
        self, order_id: str, platform: str = "SHOPIFY"
    ) -> list[ExternalOrder]:
        """External orders linked to a TikTok order."""
        data = await self._call(
            ep.EXTERNAL_ORDERS_GET,
            path_params={"order_id": order_id},
            query={"platform": platform},
        )
        return [ExternalOrder.model_validate(o) for o in data.get("external_orders") or []]
