"""Fulfillment orders, fulfilments with tracking, and fulfilment holds (B7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shopify.inputs import FulfillmentLineInput, HoldReason, TrackingInput
from shopify.models import Fulfillment, FulfillmentHold, FulfillmentOrder
from shopify.session import GraphQLSession
from shopify.user_errors import raise_for_user_errors

FO_FIELDS = """
id status assignedLocation { location { id } }
lineItems(first: 50) { nodes { id totalQuantity remainingQuantity lineItem { id } } }
fulfillmentHolds { id reason reasonNotes handle }
"""
FULFILLMENT_ORDERS_QUERY = f"""
query fulfillmentOrders($id: ID!) {{
  order(id: $id) {{ fulfillmentOrders(first: 5) {{ nodes {{ {FO_FIELDS} }} }} }}
}}
"""
FULFILLMENT_CREATE = """
mutation fulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status createdAt trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""
HOLD = f"""
mutation fulfillmentOrderHold($id: ID!, $hold: FulfillmentOrderHoldInput!) {{
  fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {{
    fulfillmentHold {{ id reason reasonNotes handle }}
    fulfillmentOrder {{ {FO_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}
"""
RELEASE_HOLD = f"""
mutation fulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]) {{
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {{
    fulfillmentOrder {{ {FO_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}
"""


class Fulfillments:
    """Fulfilment of one shop's orders."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def fulfillment_orders(self, order_id: str) -> list[FulfillmentOrder]:
        """The fulfillment orders of an order (one per assigned location)."""
        data = await self._session.execute(
            FULFILLMENT_ORDERS_QUERY, {"id": order_id}, operation="fulfillmentOrders"
        )
        order = data.get("order") or {}
        nodes = (order.get("fulfillmentOrders") or {}).get("nodes") or []
        return [FulfillmentOrder.model_validate(n) for n in nodes]

    async def create(
        self,
        lines: Mapping[str, Sequence[FulfillmentLineInput] | None],
        *,
        tracking: TrackingInput | None = None,
        notify_customer: bool = False,
    ) -> Fulfillment:
        """Fulfil lines per fulfillment order id (`None` = everything left on it).

        Not idempotent: a timeout or 5xx raises `AmbiguousWriteError`; re-read the
        fulfillment orders before trying again.
        """
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": [
                {"fulfillmentOrderId": fo_id}
                | (
                    {"fulfillmentOrderLineItems": [i.to_variables() for i in items]}
                    if items
                    else {}
                )
                for fo_id, items in lines.items()
            ],
            "notifyCustomer": notify_customer,
        }
        if tracking is not None:
            fulfillment["trackingInfo"] = tracking.to_variables()
        data = await self._session.execute(
            FULFILLMENT_CREATE,
            {"fulfillment": fulfillment},
            operation="fulfillmentCreate",
            safe_to_repeat=False,
        )
        payload = data["fulfillmentCreate"]
        raise_for_user_errors("fulfillmentCreate", payload)
        return Fulfillment.model_validate(payload["fulfillment"])

    async def hold(
        self,
        fulfillment_order_id: str,
        reason: HoldReason,
        *,
        reason_notes: str | None = None,
        handle: str | None = None,
    ) -> FulfillmentHold:
        """Put a fulfillment order on hold (e.g. during the cancellation grace period)."""
        hold = {"reason": reason, "reasonNotes": reason_notes, "handle": handle}
        data = await self._session.execute(
            HOLD,
            {"id": fulfillment_order_id, "hold": {k: v for k, v in hold.items() if v is not None}},
            operation="fulfillmentOrderHold",
        )
        payload = data["fulfillmentOrderHold"]
        raise_for_user_errors("fulfillmentOrderHold", payload)
        return FulfillmentHold.model_validate(payload["fulfillmentHold"])

    async def release_hold(
        self, fulfillment_order_id: str, hold_ids: Sequence[str] | None = None
    ) -> FulfillmentOrder:
        """Release some (or all) holds of a fulfillment order."""
        data = await self._session.execute(
            RELEASE_HOLD,
            {"id": fulfillment_order_id, "holdIds": list(hold_ids) if hold_ids else None},
            operation="fulfillmentOrderReleaseHold",
        )
        payload = data["fulfillmentOrderReleaseHold"]
        raise_for_user_errors("fulfillmentOrderReleaseHold", payload)
        return FulfillmentOrder.model_validate(payload["fulfillmentOrder"])
