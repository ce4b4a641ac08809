"""Cancellations and returns (reference A6 Cancellations and returns)."""

from collections.abc import AsyncIterator

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi, page_query
from tiktok_shop.models.returns import (
    Cancellation,
    CancelOrderResult,
    CreatedReturn,
    Return,
    SellerReturn,
)
from tiktok_shop.pagination import Page, paginate


class ReturnsApi(AreaApi):
    """Buyer and seller cancellations, returns and refunds."""

    async def search_cancellations(
        self,
        filters: dict[str, object] | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
    ) -> Page[Cancellation]:
        """One page of Search Cancellations (body: order_ids, cancel_status, time filters)."""
        data = await self._call(
            ep.CANCELLATION_SEARCH, query=page_query(page_size, page_token), body=filters or {}
        )
        items = [Cancellation.model_validate(c) for c in data.get("cancellations") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_cancellations(
        self, filters: dict[str, object] | None = None
    ) -> AsyncIterator[Cancellation]:
        """Every cancellation matching `filters`, across pages."""
        return paginate(lambda token: self.search_cancellations(filters, page_token=token))

    async def approve_cancellation(
        self, cancel_id: str, idempotency_key: str | None = None
    ) -> None:
        """Approve a buyer's cancellation request."""
        query = {"idempotency_key": idempotency_key} if idempotency_key else {}
        await self._call(
            ep.CANCELLATION_APPROVE, path_params={"cancel_id": cancel_id}, query=query, body={}
        )

    async def reject_cancellation(
        self, cancel_id: str, reject_reason: str, comment: str | None = None
    ) -> None:
        """Reject a buyer's cancellation request with a platform reject reason code."""
        body = {"reject_reason": reject_reason} | ({"comment": comment} if comment else {})
        await self._call(ep.CANCELLATION_REJECT, path_params={"cancel_id": cancel_id}, body=body)

    async def cancel_order(
        self, order_id: str, cancel_reason: str, order_line_item_ids: list[str] | None = None
    ) -> CancelOrderResult:
        """Seller-initiated cancel; a second cancel of one order is rejected, not duplicated."""
        body: dict[str, object] = {"order_id": order_id, "cancel_reason": cancel_reason}
        if order_line_item_ids:
            body["order_line_item_ids"] = order_line_item_ids
        data = await self._call(ep.ORDER_CANCEL, body=body)
        return CancelOrderResult.model_validate(data)

    async def create_return(
        self, order_id: str, request: SellerReturn, idempotency_key: str
    ) -> CreatedReturn:
        """Create Return on the buyer's behalf (TikTok allows it to approved sellers only);
        the same `idempotency_key` never creates a second return."""
        body = {"order_id": order_id} | request.model_dump(exclude_none=True)
        data = await self._call(
            ep.RETURN_CREATE, query={"idempotency_key": idempotency_key}, body=body
        )
        return CreatedReturn.model_validate(data)

    async def search_returns(
        self,
        filters: dict[str, object] | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
    ) -> Page[Return]:
        """One page of Search Returns (body: order_ids, return_status, return_types, ...)."""
        data = await self._call(
            ep.RETURN_SEARCH, query=page_query(page_size, page_token), body=filters or {}
        )
        items = [Return.model_validate(r) for r in data.get("return_orders") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_returns(self, filters: dict[str, object] | None = None) -> AsyncIterator[Return]:
        """Every return matching `filters`, across pages."""
        return paginate(lambda token: self.search_returns(filters, page_token=token))

    async def approve_return(self, return_id: str, decision: str = "APPROVE_REFUND") -> None:
        """Approve a return/refund request with a decision (APPROVE_REFUND, APPROVE_RETURN, ...)."""
        await self._call(
            ep.RETURN_APPROVE, path_params={"return_id": return_id}, body={"decision": decision}
        )

    async def reject_return(
        self, return_id: str, reject_reason: str, decision: str = "REJECT_REFUND"
    ) -> None:
        """Reject a return/refund request with a platform reject reason code."""
        body = {"decision": decision, "reject_reason": reject_reason}
        await self._call(ep.RETURN_REJECT, path_params={"return_id": return_id}, body=body)
