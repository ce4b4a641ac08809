"""Category mappings, TikTok category requirements and uploaded images."""

from collections.abc import Sequence

from connector_runtime.db import Connection

from catalog_sync.core.categories import CategoryMapping
from catalog_sync.core.models import (
    CategoryRequirements,
    ListingLayer,
)
from catalog_sync.store.models import _json

# --- categories -----------------------------------------------------------------------------


async def category_keys_without_mapping(
    db: Connection, connection_id: str, prefix: str = ""
) -> list[tuple[str, str]]:
    """Shopify categories of pulled products with no mapping (under `prefix`) and a sample title."""
    global_only = "AND p.global_listed" if prefix else ""
    rows = await db.fetch(
        "SELECT p.category_key, min(p.title) AS sample FROM products p LEFT JOIN category_mappings m"
        " ON m.connection_id = p.connection_id AND m.source_key = $2 || p.category_key"
        " WHERE p.connection_id = $1 AND p.category_key IS NOT NULL AND m.source_key IS NULL"
        f" {global_only} GROUP BY p.category_key ORDER BY p.category_key",
        connection_id,
        prefix,
    )
    return [(r["category_key"], r["sample"]) for r in rows]


async def save_mapping(db: Connection, connection_id: str, m: CategoryMapping) -> None:
    """Store a category mapping (keeps the category's listing data)."""
    await db.execute(
        "INSERT INTO category_mappings (connection_id, source_key, tiktok_category_id,"
        " tiktok_category_name, origin, note) VALUES ($1,$2,$3,$4,$5,$6)"
        " ON CONFLICT (connection_id, source_key) DO UPDATE SET tiktok_category_id=$3,"
        " tiktok_category_name=$4, origin=$5, note=$6, updated_at=now()",
        connection_id,
        m.source_key,
        m.tiktok_category_id,
        m.tiktok_category_name,
        m.origin,
        m.note,
    )


async def load_mappings(
    db: Connection, connection_id: str
) -> dict[str, tuple[CategoryMapping, ListingLayer]]:
    """Every category mapping of a connection with its category-level listing data."""
    rows = await db.fetch("SELECT * FROM category_mappings WHERE connection_id = $1", connection_id)
    return {
        r["source_key"]: (
            CategoryMapping(
                source_key=r["source_key"],
                tiktok_category_id=r["tiktok_category_id"],
                tiktok_category_name=r["tiktok_category_name"],
                origin=r["origin"],
                note=r["note"],
            ),
            ListingLayer.model_validate(_json(r["listing"])),
        )
        for r in rows
    }


async def save_category_listing(
    db: Connection, connection_id: str, key: str, listing: ListingLayer
) -> None:
    """Category-level listing data (attributes, brand, certifications, ...)."""
    await db.execute(
        "INSERT INTO category_mappings (connection_id, source_key, listing) VALUES ($1,$2,$3)"
        " ON CONFLICT (connection_id, source_key) DO UPDATE SET listing=$3, updated_at=now()",
        connection_id,
        key,
        listing.model_dump_json(),
    )


async def category_product_counts(
    db: Connection, connection_id: str, global_only: bool = False
) -> dict[str, int]:
    """Live products per Shopify category (only those pulled into Global Products)."""
    only = " AND global_listed" if global_only else ""
    rows = await db.fetch(
        "SELECT category_key, count(*) AS n FROM products WHERE connection_id = $1 AND NOT deleted"
        f" AND category_key IS NOT NULL{only} GROUP BY category_key",
        connection_id,
    )
    return {r["category_key"]: int(r["n"]) for r in rows}


async def load_requirements(
    db: Connection, connection_id: str, category_id: str
) -> CategoryRequirements | None:
    """Cached requirements of a TikTok category."""
    value = await db.fetchval(
        "SELECT requirements FROM category_requirements WHERE connection_id=$1 AND category_id=$2",
        connection_id,
        category_id,
    )
    return CategoryRequirements.model_validate(_json(value)) if value else None


async def save_requirements(db: Connection, connection_id: str, r: CategoryRequirements) -> None:
    """Cache a TikTok category's requirements."""
    await db.execute(
        "INSERT INTO category_requirements (connection_id, category_id, requirements)"
        " VALUES ($1,$2,$3) ON CONFLICT (connection_id, category_id) DO UPDATE SET"
        " requirements=$3, fetched_at=now()",
        connection_id,
        r.category_id,
        r.model_dump_json(),
    )


# --- images ---------------------------------------------------------------------------------


async def uploaded_images(
    db: Connection, connection_id: str, urls: Sequence[str]
) -> dict[str, str]:
    """TikTok uris of Shopify images uploaded before (re-used, never uploaded twice)."""
    rows = await db.fetch(
        "SELECT source_url, tiktok_uri FROM images WHERE connection_id=$1"
        " AND source_url = ANY($2::text[])",
        connection_id,
        list(urls),
    )
    return {r["source_url"]: r["tiktok_uri"] for r in rows}


async def save_image(db: Connection, connection_id: str, url: str, uri: str) -> None:
    """Remember an uploaded image."""
    await db.execute(
        "INSERT INTO images (connection_id, source_url, tiktok_uri) VALUES ($1,$2,$3)"
        " ON CONFLICT DO NOTHING",
        connection_id,
        url,
        uri,
    )


async def save_certification_file(
    db: Connection, connection_id: str, file_id: str, name: str
) -> None:
    """Remember the name a PDF certificate was uploaded as."""
    await db.execute(
        "INSERT INTO certification_files (connection_id, file_id, name) VALUES ($1,$2,$3)"
        " ON CONFLICT DO NOTHING",
        connection_id,
        file_id,
        name,
    )


async def certification_file_names(
    db: Connection, connection_id: str, file_ids: Sequence[str]
) -> dict[str, str]:
    """The names certification files were uploaded as."""
    rows = await db.fetch(
        "SELECT file_id, name FROM certification_files WHERE connection_id=$1"
        " AND file_id = ANY($2::text[])",
        connection_id,
        list(file_ids),
    )
    return {r["file_id"]: r["name"] for r in rows}
