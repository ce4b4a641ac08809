"""Reads of variants by id: current prices, and stock at one location (B5, B6)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from shopify.models import VariantPrice, VariantStock
from shopify.session import GraphQLSession

VARIANT_PRICES = """
query variantPrices($ids: [ID!]!) {
  nodes(ids: $ids) { ... on ProductVariant { id price } }
}
"""
VARIANT_STOCK = """
query variantStock($ids: [ID!]!, $location: ID!) {
  nodes(ids: $ids) {
    ... on ProductVariant {
      id sku inventoryPolicy
      inventoryItem { tracked inventoryLevel(locationId: $location) {
        quantities(names: ["available"]) { name quantity } } }
    }
  }
}
"""


class Variants:
    """Variants of one shop, read by gid."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def prices(self, variant_ids: Sequence[str]) -> dict[str, Decimal]:
        """Current prices by variant gid; unknown variants are left out."""
        if not variant_ids:
            return {}
        data = await self._session.execute(
            VARIANT_PRICES, {"ids": list(variant_ids)}, operation="variantPrices"
        )
        found = [VariantPrice.model_validate(n) for n in data.get("nodes") or [] if n]
        return {v.id: v.price for v in found if v.price is not None}

    async def stock(self, variant_ids: Sequence[str], location_id: str) -> dict[str, VariantStock]:
        """Stock at one location by variant gid; unknown variants are left out."""
        variables = {"ids": list(variant_ids), "location": location_id}
        data = await self._session.execute(VARIANT_STOCK, variables, operation="variantStock")
        stock = [VariantStock.model_validate(n) for n in data.get("nodes") or [] if n]
        return {v.id: v for v in stock}
