"""Category mappings, TikTok category requirements and uploaded images."""

import json
from collections.abc import Sequence

from connector_runtime.db import Connection

from catalog_sync.core.categories import CategoryMapping, mapping_shop
from catalog_sync.core.metafields import MetafieldMapping
from catalog_sync.core.models import (
    CategoryRequirements,
    ListingLayer,
)
from catalog_sync.store.models import _json

# --- categories -----------------------------------------------------------------------------


async def category_keys_without_mapping(
    db: Connection, connection_id: str, shop_id: str | None, prefix: str = ""
) -> list[tuple[str, str]]:
    """Shopify categories of pulled products a region (`shop_id`; Global Categories under
    `prefix`: the connection's) has no leaf for, with a sample title. A category with only its
    listing data saved still wants its leaf; one TikTok had no recommendation for has its note."""
    global_only = "AND p.global_listed" if prefix else ""
    rows = await db.fetch(
        "SELECT p.category_key, min(p.title) AS sample FROM products p"
        " WHERE p.connection_id = $1 AND p.category_key IS NOT NULL"
        f" {global_only} AND NOT EXISTS (SELECT 1 FROM category_mappings m"
        " WHERE m.connection_id = p.connection_id AND m.source_key = $2 || p.category_key"
        " AND m.tiktok_shop_id IN ($3, '')"
        " AND (m.tiktok_category_id IS NOT NULL OR m.note IS NOT NULL))"
        " GROUP BY p.category_key ORDER BY p.category_key",
        connection_id,
        prefix,
        mapping_shop(prefix, shop_id),
    )
    return [(r["category_key"], r["sample"]) for r in rows]


async def save_mapping(
    db: Connection, connection_id: str, shop_id: str | None, m: CategoryMapping
) -> None:
    """Store a region's category mapping (keeps the category's listing data)."""
    await db.execute(
        "INSERT INTO category_mappings (connection_id, tiktok_shop_id, source_key,"
        " tiktok_category_id, tiktok_category_name, origin, note) VALUES ($1,$2,$3,$4,$5,$6,$7)"
        " ON CONFLICT (connection_id, tiktok_shop_id, source_key) DO UPDATE SET"
        " tiktok_category_id=$4, tiktok_category_name=$5, origin=$6, note=$7, updated_at=now()",
        connection_id,
        mapping_shop(m.source_key, shop_id),
        m.source_key,
        m.tiktok_category_id,
        m.tiktok_category_name,
        m.origin,
        m.note,
    )


async def load_mappings(
    db: Connection, connection_id: str, shop_id: str | None
) -> dict[str, tuple[CategoryMapping, ListingLayer]]:
    """A region's category mappings with their category-level listing data, and the
    connection's Global Categories; a category the region never saved reads the one saved
    before the connection had a shop (`''`), if any."""
    rows = await db.fetch(
        "SELECT * FROM category_mappings WHERE connection_id = $1"
        " AND tiktok_shop_id IN ($2, '') ORDER BY tiktok_shop_id = $2",
        connection_id,
        shop_id or "",
    )
    # Ordered so that a region's own row comes last and wins over the connection's ''.
    return {
        r["source_key"]: (
            CategoryMapping(
                source_key=r["source_key"],
                tiktok_category_id=r["tiktok_category_id"],
                tiktok_category_name=r["tiktok_category_name"],
                origin=r["origin"],
                note=r["note"],
                metafield_mappings=_json(r["metafield_mappings"]),
            ),
            ListingLayer.model_validate(_json(r["listing"])),
        )
        for r in rows
    }


async def load_category(
    db: Connection, connection_id: str, shop_id: str | None, key: str
) -> tuple[CategoryMapping, ListingLayer]:
    """One category's mapping and listing data in a region (unmapped and empty if never saved)."""
    mappings = await load_mappings(db, connection_id, shop_id)
    return mappings.get(key, (CategoryMapping(source_key=key), ListingLayer()))


async def save_category_listing(
    db: Connection, connection_id: str, shop_id: str | None, key: str, listing: ListingLayer
) -> None:
    """A region's category-level listing data (attributes, brand, certifications, ...)."""
    await db.execute(
        "INSERT INTO category_mappings (connection_id, tiktok_shop_id, source_key, listing)"
        " VALUES ($1,$2,$3,$4) ON CONFLICT (connection_id, tiktok_shop_id, source_key)"
        " DO UPDATE SET listing=$4, updated_at=now()",
        connection_id,
        mapping_shop(key, shop_id),
        key,
        listing.model_dump_json(),
    )


async def save_metafield_mappings(
    db: Connection,
    connection_id: str,
    shop_id: str | None,
    key: str,
    mappings: Sequence[MetafieldMapping],
) -> None:
    """A region's metafield mappings of one category (replacing the ones it had)."""
    await db.execute(
        "INSERT INTO category_mappings (connection_id, tiktok_shop_id, source_key,"
        " metafield_mappings) VALUES ($1,$2,$3,$4) ON CONFLICT (connection_id, tiktok_shop_id,"
        " source_key) DO UPDATE SET metafield_mappings=$4, updated_at=now()",
        connection_id,
        mapping_shop(key, shop_id),
        key,
        json.dumps([m.model_dump(mode="json") for m in mappings]),
    )


async def category_metafields(db: Connection, connection_id: str, key: str) -> list[str]:
    """The metafields (`namespace.key`) the category's pulled products have in Shopify."""
    rows = await db.fetch(
        "SELECT DISTINCT (m->>'namespace') || '.' || (m->>'key') AS path FROM products p,"
        " jsonb_array_elements(coalesce(p.source->'metafields', '[]'::jsonb)) m"
        " WHERE p.connection_id = $1 AND p.category_key = $2 AND NOT p.deleted ORDER BY path",
        connection_id,
        key,
    )
    return [r["path"] for r in rows]


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
    db: Connection, connection_id: str, shop_id: str | None, category_id: str
) -> CategoryRequirements | None:
    """Cached requirements of a TikTok category in a region's market."""
    value = await db.fetchval(
        "SELECT requirements FROM category_requirements WHERE connection_id=$1"
        " AND tiktok_shop_id=$2 AND category_id=$3",
        connection_id,
        shop_id or "",
        category_id,
    )
    return CategoryRequirements.model_validate(_json(value)) if value else None


async def save_requirements(
    db: Connection, connection_id: str, shop_id: str | None, r: CategoryRequirements
) -> None:
    """Cache a TikTok category's requirements in a region's market."""
    await db.execute(
        "INSERT INTO category_requirements (connection_id, tiktok_shop_id, category_id,"
        " requirements) VALUES ($1,$2,$3,$4) ON CONFLICT (connection_id, tiktok_shop_id,"
        " category_id) DO UPDATE SET requirements=$4, fetched_at=now()",
        connection_id,
        shop_id or "",
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
