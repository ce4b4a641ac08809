"""Store-level product settings of a connection."""

import json

from connector_runtime.db import Connection

from catalog_sync.core.models import (
    CategoriesSource,
    ListingLayer,
)
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.store.models import CatalogSettings, _json

# --- settings -------------------------------------------------------------------------------


async def load_settings(db: Connection, connection_id: str) -> CatalogSettings:
    """The connection's settings (defaults when never saved)."""
    row = await db.fetchrow(
        "SELECT * FROM catalog_settings WHERE connection_id = $1", connection_id
    )
    if row is None:
        return CatalogSettings()
    return CatalogSettings(
        categories_source=CategoriesSource(row["categories_source"]),
        auto_pull=row["auto_pull"],
        inventory_location_id=row["inventory_location_id"],
        sync_rules=SyncRules.model_validate(_json(row["sync_rules"])),
        listing=ListingLayer.model_validate(_json(row["listing"])),
        warehouse_id=row["warehouse_id"],
        last_pulled_updated_at=row["last_pulled_updated_at"],
        region_locations=_json(row["region_locations"]),
    )


async def save_settings(db: Connection, connection_id: str, s: CatalogSettings) -> None:
    """Store the connection's settings."""
    await db.execute(
        "INSERT INTO catalog_settings (connection_id, categories_source, auto_pull,"
        " inventory_location_id, sync_rules, listing, warehouse_id, last_pulled_updated_at,"
        " region_locations) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (connection_id) DO"
        " UPDATE SET categories_source=$2, auto_pull=$3, inventory_location_id=$4, sync_rules=$5,"
        " listing=$6, warehouse_id=$7, last_pulled_updated_at=$8, region_locations=$9,"
        " updated_at=now()",
        connection_id,
        s.categories_source.value,
        s.auto_pull,
        s.inventory_location_id,
        s.sync_rules.model_dump_json(),
        s.listing.model_dump_json(),
        s.warehouse_id,
        s.last_pulled_updated_at,
        json.dumps(s.region_locations),
    )
