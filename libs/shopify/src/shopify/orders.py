"""Orders: create once (lookup before retry), find by our identifier, cancel, refund (B7)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import structlog

from shopify.errors import AmbiguousWriteError
from shopify.inputs import (
    AddressInput,
    CancelReason,
    OrderCreateInput,
    OrderCreateOptions,
    RefundLineInput,
    RefundTransactionInput,
)
from shopify.models import CancelJob, ClosedOrder, Order, Refund
from shopify.pagination import paginate
from shopify.session import GraphQLSession
from shopify.user_errors import raise_for_user_errors

log = structlog.get_logger("shopify")

ORDER_FIELDS = """
id name sourceName sourceIdentifier tags createdAt updatedAt cancelledAt
displayFinancialStatus displayFulfillmentStatus
totalPriceSet { shopMoney { amount currencyCode } }
lineItems(first: 50) { nodes { id title quantity sku variant { id } } }
"""
ORDER_CREATE = f"""
mutation orderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {{
  orderCreate(order: $order, options: $options) {{
    order {{ {ORDER_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}
"""
ORDER_QUERY = f"query order($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
ORDERS_QUERY = f"""
query orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {ORDER_FIELDS} }}
  }}
}}
"""
ORDER_CANCEL = """
mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!,
                     $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!,
                     $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock,
              notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""
REFUND_CREATE = """
mutation refundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id createdAt note totalRefundedSet { shopMoney { amount currencyCode } } }
    userErrors { field message }
  }
}
"""
ORDER_CLOSE = """
mutation orderClose($input: OrderCloseInput!) {
  orderClose(input: $input) { order { id closed } userErrors { field message } }
}
"""
ORDER_UPDATE = """
mutation orderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id } userErrors { field message } }
}
"""
MAX_CREATE_ATTEMPTS = 3


class Orders:
    """Orders of one shop."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def create(
        self,
        order: OrderCreateInput,
        options: OrderCreateOptions | None = None,
        *,
        lookup_first: bool = False,
    ) -> Order:
        """Create an order; after an ambiguous failure, look it up by `source_identifier` first.

        orderCreate is not idempotent, so a timeout or 5xx is never retried blindly: when the
        lookup finds the order it is returned, otherwise the create is tried again. With
        `lookup_first` (e.g. redelivery after a crash) an existing order is returned untouched.
        """
        if lookup_first and order.source_identifier is not None:
            existing = await self.find_by_source_identifier(order.source_identifier)
            if existing is not None:
                return existing
        variables = {
            "order": order.to_variables(),
            "options": (options or OrderCreateOptions()).to_variables(),
        }
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                data = await self._session.execute(
                    ORDER_CREATE, variables, operation="orderCreate", safe_to_repeat=False
                )
            except AmbiguousWriteError:
                if order.source_identifier is None or attempt == MAX_CREATE_ATTEMPTS:
                    raise
                existing = await self._look_up_patiently(order.source_identifier)
                log.info("shopify.order_create_ambiguous", attempt=attempt, found=bool(existing))
                if existing is not None:
                    return existing
                continue
            payload = data["orderCreate"]
            raise_for_user_errors("orderCreate", payload)
            return Order.model_validate(payload["order"])
        raise AssertionError("unreachable")  # pragma: no cover

    async def _look_up_patiently(self, identifier: str) -> Order | None:
        config = self._session.config
        for lookup in range(config.order_lookup_attempts):
            if lookup:
                await asyncio.sleep(config.order_lookup_interval_seconds)
            found = await self.find_by_source_identifier(identifier)
            if found is not None:
                return found
        return None

    async def find_by_source_identifier(self, value: str) -> Order | None:
        """The order we created with this identifier, if any (search term is configurable)."""
        term = self._session.config.order_lookup_query.format(value=value.replace('"', '\\"'))
        data = await self._session.execute(
            ORDERS_QUERY, {"first": 2, "after": None, "query": term}, operation="orderLookup"
        )
        for node in (data.get("orders") or {}).get("nodes") or []:
            found = Order.model_validate(node)
            # Search is fuzzy on some fields; only an exact match counts.
            if found.source_identifier == value:
                return found
        return None

    async def get(self, order_id: str) -> Order | None:
        """One order by gid."""
        data = await self._session.execute(ORDER_QUERY, {"id": order_id}, operation="order")
        node = data.get("order")
        return Order.model_validate(node) if node else None

    async def search(self, *, query: str | None = None, page_size: int = 5) -> AsyncIterator[Order]:
        """Orders matching a search `query` (e.g. `updated_at:>'2026-01-01T00:00:00Z'`)."""
        async for node in paginate(
            self._session,
            ORDERS_QUERY,
            operation="orders",
            path=("orders",),
            variables={"query": query},
            page_size=page_size,
        ):
            yield Order.model_validate(node)

    async def cancel(
        self,
        order_id: str,
        *,
        reason: CancelReason = "CUSTOMER",
        restock: bool = True,
        refund_to_original_payment: bool = True,
        notify_customer: bool = False,
        staff_note: str | None = None,
    ) -> CancelJob:
        """Start the asynchronous, irreversible cancel of an order."""
        variables: dict[str, Any] = {
            "orderId": order_id,
            "reason": reason,
            "refundMethod": {"originalPaymentMethodsRefund": refund_to_original_payment},
            "restock": restock,
            "notifyCustomer": notify_customer,
            "staffNote": staff_note,
        }
        data = await self._session.execute(ORDER_CANCEL, variables, operation="orderCancel")
        payload = data["orderCancel"]
        raise_for_user_errors("orderCancel", payload, key="orderCancelUserErrors")
        return CancelJob.model_validate(payload["job"])

    async def close(self, order_id: str) -> ClosedOrder | None:
        """Archive an order (closing a closed order is harmless); None when Shopify has none."""
        data = await self._session.execute(
            ORDER_CLOSE, {"input": {"id": order_id}}, operation="orderClose"
        )
        node = (data.get("orderClose") or {}).get("order")
        return ClosedOrder.model_validate(node) if node else None

    async def update_shipping_address(self, order_id: str, address: AddressInput) -> None:
        """Replace an order's shipping address (orderUpdate; Shopify's user errors raise)."""
        variables = {"input": {"id": order_id, "shippingAddress": address.to_variables()}}
        data = await self._session.execute(ORDER_UPDATE, variables, operation="orderUpdate")
        raise_for_user_errors("orderUpdate", data["orderUpdate"])

    async def refund(
        self,
        order_id: str,
        lines: Sequence[RefundLineInput],
        *,
        idempotency_key: str | None = None,
        note: str | None = None,
        notify: bool = False,
        refund_shipping: bool = False,
        transactions: Sequence[RefundTransactionInput] = (),
    ) -> Refund:
        """Refund lines (and optionally shipping); the idempotency key makes retries safe."""
        refund_input: dict[str, Any] = {
            "orderId": order_id,
            "note": note,
            "notify": notify,
            "refundLineItems": [line.to_variables() for line in lines],
            "transactions": [t.to_variables() for t in transactions],
        }
        if refund_shipping:
            refund_input["shipping"] = {"fullRefund": True}
        variables = {"input": refund_input, "key": idempotency_key or str(uuid.uuid4())}
        data = await self._session.execute(REFUND_CREATE, variables, operation="refundCreate")
        payload = data["refundCreate"]
        raise_for_user_errors("refundCreate", payload)
        return Refund.model_validate(payload["refund"])
