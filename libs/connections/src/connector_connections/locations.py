"""Replica of inventory-guard's inventory-location card: which Shopify locations each region's
stock counts (ADR 0023). catalog-sync (stock at push) and order-relay (stock check, restock)
read it instead of settings of their own; until a card arrives they keep their old setting."""

from connector_contracts import Envelope, InventoryLocationsChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import Effects

from connector_connections.replica import Connection
from connector_connections.shops import shops_of


async def on_locations_changed(envelope: Envelope[InventoryLocationsChanged], fx: Effects) -> None:
    """Keep the newest card of a connection (an older revision arriving late is ignored)."""
    card = envelope.payload
    await fx.conn.execute(
        "INSERT INTO inventory_locations (connection_id, card, revision) VALUES ($1, $2::jsonb, $3)"
        " ON CONFLICT (connection_id) DO UPDATE SET card = $2::jsonb, revision = $3"
        " WHERE inventory_locations.revision < $3",
        card.connection_id,
        card.model_dump_json(),
        card.revision,
    )


def track_inventory_locations(router: EventRouter) -> EventRouter:
    """Add the location card's replica handler to a service's router."""
    router.on(InventoryLocationsChanged)(on_locations_changed)
    return router


async def inventory_locations(
    db: Db, connection: Connection, fallback: str | None, tiktok_shop_id: str | None = None
) -> list[str]:
    """The Shopify locations a region counts (default: the connection's default region); the
    service's own former setting (`fallback`) until inventory-guard has published a card.
    Empty: every location, summed."""
    raw = await db.fetchval(
        "SELECT card::text FROM inventory_locations WHERE connection_id = $1",
        connection.connection_id,
    )
    if raw is None:
        return [fallback] if fallback else []
    shops = shops_of(connection)
    shop_id = tiktok_shop_id or (shops[0].shop_id if shops else "")
    return InventoryLocationsChanged.model_validate_json(raw).locations_of(shop_id)
