"""Replica of inventory-guard's inventory-location card: which Shopify locations each region's
stock counts (ADR 0023). catalog-sync (stock at pull and push, Global Products) and order-relay
(stock check, restock) read it; the guard is the setting's one owner (ADR 0360). Their former
settings of their own were moved by a migration into `former_inventory_locations` and are
handed over to the guard once (`hand_over_former_locations`)."""

from typing import Any

import structlog
from connector_contracts import (
    Envelope,
    FormerInventoryLocation,
    InventoryLocationsChanged,
    new_envelope,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection as Db
from connector_runtime.jobs import PeriodicJob
from connector_runtime.outbox import Effects, write_outbox

from connector_connections.replica import Connection
from connector_connections.shops import shops_of

log = structlog.get_logger()


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


async def location_card(db: Db, connection_id: str) -> InventoryLocationsChanged | None:
    """The newest card of a connection this service holds (None: none published yet)."""
    raw = await db.fetchval(
        "SELECT card::text FROM inventory_locations WHERE connection_id = $1", connection_id
    )
    return InventoryLocationsChanged.model_validate_json(raw) if raw else None


async def inventory_locations(
    db: Db, connection: Connection, tiktok_shop_id: str | None = None
) -> list[str]:
    """The Shopify locations a region counts (default: the connection's default region).
    Empty: every location, summed (also before inventory-guard published a card)."""
    card = await location_card(db, connection.connection_id)
    if card is None:
        return []
    shops = shops_of(connection)
    shop_id = tiktok_shop_id or (shops[0].shop_id if shops else "")
    return card.locations_of(shop_id)


async def hand_over_former_locations(runtime: Any, source: str) -> None:
    """Send the service's former inventory-location settings to inventory-guard, each once:
    every row leaves `former_inventory_locations` in the transaction that puts its message
    in the outbox (a periodic job; a table emptied by the first run costs one query)."""
    async with runtime.pool.acquire() as db, db.transaction():
        rows = await db.fetch(
            "DELETE FROM former_inventory_locations WHERE id IN (SELECT id FROM"
            " former_inventory_locations ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)"
            " RETURNING connection_id, tiktok_shop_id, region, location_id"
        )
        for r in rows:
            former = FormerInventoryLocation(source=source, **dict(r))
            envelope = new_envelope(former, connection_id=former.connection_id)
            await write_outbox(db, runtime.settings, envelope)
    if rows:
        log.info("inventory_locations.handed_over", source=source, settings=len(rows))


def former_locations_job(source: str) -> PeriodicJob:
    """The periodic hand-over of `source`'s former inventory-location settings (each runs at
    start, so an upgraded service hands them over at once)."""

    async def run(runtime: Any) -> None:
        await hand_over_former_locations(runtime, source)

    return PeriodicJob(name="former-inventory-locations", interval_seconds=lambda _s: 60.0, run=run)
