"""Platform clients per connection (built once per connection revision) and Shopify reads."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from connector_connections import ClientCache, Connection, PlatformClients, clients_for
from connector_runtime.deps import ServiceDeps
from shopify import ShopifyClient

from order_relay.settings import OrderRelaySettings

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
ORDER_CLOSE = """
mutation orderClose($input: OrderCloseInput!) {
  orderClose(input: $input) { order { id closed } userErrors { field message } }
}
"""


@dataclass(kw_only=True)
class Deps(ServiceDeps[OrderRelaySettings]):
    """What the relay's handlers, loops and routes share: settings, pool, clock, clients and a
    side pool."""

    platform_clients: ClientCache

    @classmethod
    def of(cls, settings: OrderRelaySettings) -> "Deps":
        """The service's deps with real platform clients."""
        return cls(
            settings=settings, platform_clients=ClientCache(partial(clients_for, settings=settings))
        )

    async def clients(self, connection: Connection) -> PlatformClients:
        """The clients of a connection (NotAuthorized when a platform is not authorized)."""
        return self.platform_clients.get(connection)

    async def aclose(self) -> None:
        """Close clients and the side pool."""
        await self.platform_clients.aclose()
        await super().aclose()


async def variant_prices(shopify: ShopifyClient, variant_ids: Sequence[str]) -> dict[str, Decimal]:
    """Current Shopify prices of variants (for 'Use TikTok Shop Pricing' off)."""
    if not variant_ids:
        return {}
    data = await shopify.execute(
        VARIANT_PRICES, {"ids": list(variant_ids)}, operation="variantPrices"
    )
    return {
        n["id"]: Decimal(str(n["price"])) for n in data.get("nodes") or [] if n and n.get("price")
    }


@dataclass(frozen=True)
class Stock:
    """Available units of a variant at a location, and whether Shopify lets it go negative."""

    sku: str | None
    available: int
    enforced: bool  # tracked and inventoryPolicy DENY


async def variant_stock(
    shopify: ShopifyClient, variant_ids: Sequence[str], location_id: str
) -> dict[str, Stock]:
    """Stock of variants at one location."""
    data = await shopify.execute(
        VARIANT_STOCK, {"ids": list(variant_ids), "location": location_id}, operation="variantStock"
    )
    stock = {}
    for node in data.get("nodes") or []:
        if not node:
            continue
        item = node.get("inventoryItem") or {}
        level = item.get("inventoryLevel") or {}
        quantities = {q["name"]: q["quantity"] for q in level.get("quantities") or []}
        stock[node["id"]] = Stock(
            node.get("sku"),
            int(quantities.get("available", 0)),
            bool(item.get("tracked")) and node.get("inventoryPolicy") == "DENY",
        )
    return stock


async def close_order(shopify: ShopifyClient, order_id: str) -> None:
    """Archive an order (orderClose; closing twice is harmless)."""
    await shopify.execute(ORDER_CLOSE, {"input": {"id": order_id}}, operation="orderClose")
