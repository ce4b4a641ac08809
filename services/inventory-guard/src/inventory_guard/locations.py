"""The inventory-location setting's one owner (issue 9, ADR 0023, 0360): each region's Shopify
locations are in its settings here, published as the `inventory.locations.changed` card that
catalog-sync and order-relay replicate; the settings they kept before are handed over once
(`inventory.location.handed_over`) and adopted for a region whose locations were never set."""

import structlog
from connector_connections import Connection as Merchant
from connector_connections import shop_in_region, shop_of, shops_of
from connector_connections.replica import load_connection
from connector_contracts import (
    Envelope,
    FormerInventoryLocation,
    InventoryLocationsChanged,
    RegionLocations,
    new_envelope,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects, write_outbox
from connector_runtime.settings import ServiceSettings

from inventory_guard import store
from inventory_guard.handlers import queue_push

log = structlog.get_logger()


async def publish_locations(db: Connection, settings: ServiceSettings, merchant: Merchant) -> None:
    """The connection's location card (every region), with the next revision."""
    cid = merchant.connection_id
    revision = await store.next_location_revision(db, cid)
    regions = [
        RegionLocations(
            tiktok_shop_id=s.shop_id,
            region=s.region,
            location_ids=list((await store.load_store_settings(db, cid, s.shop_id)).location_ids),
        )
        for s in shops_of(merchant)
    ]
    card = InventoryLocationsChanged(connection_id=cid, revision=revision, regions=regions)
    await write_outbox(db, settings, new_envelope(card, connection_id=cid))


def _region_of(merchant: Merchant, former: FormerInventoryLocation) -> str | None:
    """The shop a former setting was for: its shop, its market, else the default region."""
    if former.tiktok_shop_id is not None:
        shop = shop_of(merchant, former.tiktok_shop_id)
    elif former.region is not None:
        shop = shop_in_region(merchant, former.region)
    else:
        shop = next(iter(shops_of(merchant)), None)
    return shop.shop_id if shop else None


async def on_former_location(envelope: Envelope[FormerInventoryLocation], fx: Effects) -> None:
    """Adopt a former setting for its region, unless the region's locations are the guard's
    already (set here, adopted from an earlier one, or in a card from before the hand-over)."""
    former = envelope.payload
    merchant = await load_connection(fx.conn, former.connection_id)
    shop_id = _region_of(merchant, former) if merchant else None
    current = await store.load_store_settings(fx.conn, former.connection_id, shop_id or "")
    if merchant is None or shop_id is None or current.location_ids:
        log.info("inventory.former_location_dropped", **_fields(former), region_shop=shop_id)
        return
    if not await store.adopt_location(fx.conn, former.connection_id, shop_id, former):
        log.info("inventory.former_location_dropped", **_fields(former), region_shop=shop_id)
        return
    for key in await store.product_keys(fx.conn, former.connection_id, shop_id):
        await queue_push(fx.conn, key, None, 0.0)
    adopted = current.model_copy(update={"location_ids": (former.location_id,)})
    await store.save_store_settings(fx.conn, former.connection_id, shop_id, adopted)
    await publish_locations(fx.conn, fx.settings, merchant)
    log.info("inventory.former_location_adopted", **_fields(former), region_shop=shop_id)


def _fields(former: FormerInventoryLocation) -> dict[str, str | None]:
    return {
        "connection_id": former.connection_id,
        "source": former.source,
        "location_id": former.location_id,
    }


def track_former_locations(router: EventRouter) -> EventRouter:
    """Subscribe to the former settings catalog-sync and order-relay hand over."""
    router.on(FormerInventoryLocation)(on_former_location)
    return router
