"""Product settings: one row per connection (what every region shares) and one per region.

The package defaults, the categories source, auto-pull and the pull mark are the
connection's (the inventory locations are inventory-guard's card, ADR 0360); the sync rules, the
rest of the store-level listing data, the warehouse and the shipping template are a region's,
keyed by its TikTok shop id (ADR 0320). A region
that never saved reads those saved before the connection had a shop (`''`), else the defaults.
"""

from datetime import datetime

from connector_runtime.db import Connection

from catalog_sync.core.models import CategoriesSource, ListingLayer, PackageSetting
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.store.models import CatalogSettings, _json


async def load_settings(db: Connection, connection_id: str, shop_id: str | None) -> CatalogSettings:
    """A region's settings (`shop_id`: its TikTok shop; None: before the connection has one)
    merged with the connection's shared ones (defaults where never saved)."""
    shared = await db.fetchrow(
        "SELECT * FROM catalog_settings WHERE connection_id = $1", connection_id
    )
    region = await db.fetchrow(
        "SELECT * FROM catalog_region_settings WHERE connection_id = $1"
        " AND tiktok_shop_id IN ($2, '') ORDER BY tiktok_shop_id = $2 DESC LIMIT 1",
        connection_id,
        shop_id or "",
    )
    s = CatalogSettings()
    if region is not None:
        s = CatalogSettings(
            sync_rules=SyncRules.model_validate(_json(region["sync_rules"])),
            listing=ListingLayer.model_validate(_json(region["listing"])),
            warehouse_id=region["warehouse_id"],
            shipping_template_id=region["shipping_template_id"],
        )
    if shared is None:
        return s
    package = _json(shared["package"])
    return s.model_copy(
        update={
            "categories_source": CategoriesSource(shared["categories_source"]),
            "auto_pull": shared["auto_pull"],
            "listing": s.listing.model_copy(
                update={"package": PackageSetting.model_validate(package) if package else None}
            ),
            "last_pulled_updated_at": shared["last_pulled_updated_at"],
        }
    )


async def save_settings(
    db: Connection, connection_id: str, s: CatalogSettings, shop_id: str | None
) -> None:
    """Store a region's settings and the connection's shared ones (`shop_id` as loaded)."""
    package = s.listing.package
    await db.execute(
        "INSERT INTO catalog_settings (connection_id, categories_source, auto_pull,"
        " package, last_pulled_updated_at) VALUES ($1,$2,$3,$4,$5)"
        " ON CONFLICT (connection_id) DO UPDATE SET categories_source=$2, auto_pull=$3,"
        " package=$4, last_pulled_updated_at=$5, updated_at=now()",
        connection_id,
        s.categories_source.value,
        s.auto_pull,
        package.model_dump_json() if package else None,
        s.last_pulled_updated_at,
    )
    await db.execute(
        "INSERT INTO catalog_region_settings (connection_id, tiktok_shop_id, sync_rules, listing,"
        " warehouse_id, shipping_template_id) VALUES ($1,$2,$3,$4,$5,$6)"
        " ON CONFLICT (connection_id, tiktok_shop_id) DO UPDATE SET sync_rules=$3, listing=$4,"
        " warehouse_id=$5, shipping_template_id=$6, updated_at=now()",
        connection_id,
        shop_id or "",
        s.sync_rules.model_dump_json(),
        s.listing.model_copy(update={"package": None}).model_dump_json(exclude={"package"}),
        s.warehouse_id,
        s.shipping_template_id,
    )


async def save_pull_mark(db: Connection, connection_id: str, newest: datetime | None) -> None:
    """Remember the newest Shopify `updated_at` pulled (the connection's, every region's)."""
    await db.execute(
        "INSERT INTO catalog_settings (connection_id, last_pulled_updated_at) VALUES ($1, $2)"
        " ON CONFLICT (connection_id) DO UPDATE SET last_pulled_updated_at = $2,"
        " updated_at = now()",
        connection_id,
        newest,
    )
