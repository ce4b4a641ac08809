"""Erasing everything catalog-sync holds about one connection (Shopify `shop/redact`)."""

from connector_runtime.db import Connection

# Every catalog-sync table keyed by connection (pending_reviews is keyed by TikTok product and
# expires on its own).
_TABLES = (
    "products",
    "catalog_settings",
    "catalog_region_settings",
    "local_listings",
    "category_mappings",
    "category_requirements",
    "images",
    "videos",
    "tasks",
    "compliance_entities",
    "csv_uploads",
    "bulk_pulls",
    "bulk_pull_waits",
    "optimizations",
)


async def forget_connection(db: Connection, connection_id: str) -> None:
    """Delete the connection's catalog rows."""
    for table in _TABLES:
        await db.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)
