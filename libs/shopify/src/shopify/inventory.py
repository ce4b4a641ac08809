"""Locations, inventory levels and compare-and-set quantity writes (B6)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from shopify.inputs import QuantitySet
from shopify.models import InventoryChange, InventoryLevel, Location
from shopify.pagination import paginate
from shopify.products import LEVEL_FIELDS
from shopify.session import GraphQLSession
from shopify.user_errors import raise_for_user_errors

LOCATIONS_QUERY = """
query locations($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive fulfillsOnlineOrders }
  }
}
"""
LEVELS_QUERY = f"""
query inventoryLevels($id: ID!) {{
  inventoryItem(id: $id) {{ inventoryLevels(first: 250) {{ nodes {{ {LEVEL_FIELDS} }} }} }}
}}
"""
_CHANGES = "changes { name delta quantityAfterChange item { id } location { id } }"


def _set_mutation(idempotent: bool) -> str:
    directive = " @idempotent(key: $key)" if idempotent else ""
    key_var = ", $key: String!" if idempotent else ""
    return f"""
mutation inventorySetQuantities($input: InventorySetQuantitiesInput!{key_var}) {{
  inventorySetQuantities(input: $input){directive} {{
    inventoryAdjustmentGroup {{ id {_CHANGES} }}
    userErrors {{ field message code }}
  }}
}}
"""


class Inventory:
    """Stock of one shop."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def locations(self) -> AsyncIterator[Location]:
        """Every location of the shop."""
        async for node in paginate(
            self._session, LOCATIONS_QUERY, operation="locations", path=("locations",)
        ):
            yield Location.model_validate(node)

    async def levels(self, inventory_item_id: str) -> list[InventoryLevel]:
        """The item's `available` quantity at every location that stocks it."""
        data = await self._session.execute(
            LEVELS_QUERY, {"id": inventory_item_id}, operation="inventoryLevels"
        )
        item = data.get("inventoryItem") or {}
        nodes = (item.get("inventoryLevels") or {}).get("nodes") or []
        return [InventoryLevel.model_validate(n) for n in nodes]

    async def set_quantities(
        self,
        quantities: Sequence[QuantitySet],
        *,
        name: str = "available",
        reason: str = "correction",
        reference_document_uri: str | None = None,
        idempotency_key: str | None = None,
    ) -> list[InventoryChange]:
        """Set absolute quantities, each only if it still equals its `change_from`.

        Raises `InventoryStaleError` when a quantity moved since it was read; re-read and retry.
        """
        config = self._session.config
        idempotent = config.requires_idempotency_key
        variables: dict[str, Any] = {
            "input": {
                "name": name,
                "reason": reason,
                "referenceDocumentUri": reference_document_uri,
                **_cas_fields(quantities, config.uses_change_from_quantity),
            }
        }
        if idempotent:
            # One key per logical write, reused by the client's retries.
            variables["key"] = idempotency_key or str(uuid.uuid4())
        data = await self._session.execute(
            _set_mutation(idempotent), variables, operation="inventorySetQuantities"
        )
        payload = data["inventorySetQuantities"]
        raise_for_user_errors("inventorySetQuantities", payload)
        group = payload.get("inventoryAdjustmentGroup") or {}
        return [InventoryChange.model_validate(c) for c in group.get("changes") or []]


def _cas_fields(quantities: Sequence[QuantitySet], change_from_mode: bool) -> dict[str, Any]:
    if change_from_mode:
        # 2026-04+: every quantity must carry changeFromQuantity; an explicit null opts out.
        return {
            "quantities": [{**_base(q), "changeFromQuantity": q.change_from} for q in quantities]
        }
    unchecked = [q.change_from is None for q in quantities]
    if any(unchecked) and not all(unchecked):
        raise ValueError("before 2026-04 either every quantity has change_from or none has")
    return {
        "ignoreCompareQuantity": all(unchecked),
        "quantities": [
            {**_base(q), **({} if q.change_from is None else {"compareQuantity": q.change_from})}
            for q in quantities
        ],
    }


def _base(q: QuantitySet) -> dict[str, Any]:
    return {
        "inventoryItemId": q.inventory_item_id,
        "locationId": q.location_id,
        "quantity": q.quantity,
    }
