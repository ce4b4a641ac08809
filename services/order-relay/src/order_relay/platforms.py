"""Platform clients per connection (built once per connection revision) and Shopify reads."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import asyncpg
from connector_connections import Connection, PlatformClients, clients_for
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


@dataclass
class Deps:
    """What the relay's handlers and loops share: settings, clients, a side pool."""

    settings: OrderRelaySettings
    _clients: dict[str, tuple[int, PlatformClients]] = field(default_factory=dict)
    _side_pool: asyncpg.Pool | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def clients(self, connection: Connection) -> PlatformClients:
        """The clients of a connection (NotAuthorized when a platform is not authorized)."""
        cached = self._clients.get(connection.connection_id)
        if cached and cached[0] == connection.revision:
            return cached[1]
        clients = clients_for(connection, self.settings)
        self._clients[connection.connection_id] = (connection.revision, clients)
        if cached:
            await cached[1].aclose()
        return clients

    async def side_pool(self) -> asyncpg.Pool:
        """A small pool for writes that must commit outside the handler's transaction."""
        async with self._lock:
            if self._side_pool is None:
                self._side_pool = await asyncpg.create_pool(
                    self.settings.database_url,
                    min_size=1,
                    max_size=2,
                    server_settings={"search_path": self.settings.schema_name},
                )
            return self._side_pool

    async def aclose(self) -> None:
        """Close clients and the side pool."""
        for _, clients in self._clients.values():
            await clients.aclose()
        self._clients.clear()
        if self._side_pool is not None:
            await self._side_pool.close()
            self._side_pool = None


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
