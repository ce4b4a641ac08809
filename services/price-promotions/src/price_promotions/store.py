"""price-promotions' SQL: region pricing, SKU links, product price state, tasks."""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from asyncpg import Record
from connector_contracts import SkuLink
from connector_runtime.db import Connection

from price_promotions.core.activities import ActivityRecord
from price_promotions.core.pricing import RegionPricing
from price_promotions.core.rules import PriceRule


@dataclass(frozen=True)
class Region:
    """A region of a connection: the key of every per-region row (ADR 0023)."""

    connection_id: str
    tiktok_shop_id: str
    region: str


async def load_pricing(conn: Connection, region: Region) -> RegionPricing:
    """The region's pricing settings (defaults until the merchant sets them)."""
    row = await conn.fetchrow(
        "SELECT * FROM region_pricing WHERE connection_id = $1 AND tiktok_shop_id = $2",
        region.connection_id,
        region.tiktok_shop_id,
    )
    if row is None:
        return RegionPricing(region=region.region)
    return RegionPricing(
        region=region.region,
        mode=row["mode"],
        exchange_rate=row["exchange_rate"],
        rules=[PriceRule.model_validate(r) for r in json.loads(row["rules"])],
        two_prices_enabled_at=row["two_prices_enabled_at"],
    )


async def save_pricing(conn: Connection, region: Region, pricing: RegionPricing) -> None:
    """Replace the region's pricing settings."""
    await conn.execute(
        "INSERT INTO region_pricing (connection_id, tiktok_shop_id, region, mode,"
        " exchange_rate, rules, two_prices_enabled_at) VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7)"
        " ON CONFLICT (connection_id, tiktok_shop_id) DO UPDATE SET region = $3, mode = $4,"
        " exchange_rate = $5, rules = $6::jsonb, two_prices_enabled_at = $7,"
        " updated_at = now()",
        region.connection_id,
        region.tiktok_shop_id,
        region.region,
        pricing.mode.value,
        pricing.exchange_rate,
        json.dumps([r.model_dump(mode="json") for r in pricing.rules]),
        pricing.two_prices_enabled_at,
    )


async def upsert_links(
    conn: Connection, region: Region, shopify_product_id: str, tiktok_product_id: str,
    skus: list[SkuLink], sync_price: bool = True,
) -> None:  # fmt: skip
    """Store the product's variant <-> SKU links in the region and its "Product price" rule
    as catalog-sync resolved it (the latest push wins)."""
    await conn.execute(
        "DELETE FROM price_links WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND shopify_product_id = $3",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
    )
    await conn.executemany(
        "INSERT INTO price_links (connection_id, tiktok_shop_id, shopify_product_id,"
        " tiktok_product_id, shopify_variant_id, tiktok_sku_id, sync_price)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        [
            (
                region.connection_id,
                region.tiktok_shop_id,
                shopify_product_id,
                tiktok_product_id,
                s.shopify_variant_id,
                s.tiktok_sku_id,
                sync_price,
            )
            for s in skus
        ],
    )


class Links(NamedTuple):
    """A pushed product in a region: its TikTok id, variant -> SKU links, and whether its
    price is ours to send ("Product price" rule Origin; False: TikTok Shop keeps its own)."""

    tiktok_product_id: str
    skus: dict[str, str]
    sync_price: bool


async def links_of(conn: Connection, region: Region, shopify_product_id: str) -> Links | None:
    """The product's links in the region, if pushed."""
    rows = await conn.fetch(
        "SELECT tiktok_product_id, shopify_variant_id, tiktok_sku_id, sync_price FROM price_links"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
    )
    if not rows:
        return None
    skus = {r["shopify_variant_id"]: r["tiktok_sku_id"] for r in rows}
    return Links(rows[0]["tiktok_product_id"], skus, all(r["sync_price"] for r in rows))


async def linked_regions(
    conn: Connection, connection_id: str, shopify_product_id: str
) -> list[str]:
    """The TikTok shops a product is linked in."""
    rows = await conn.fetch(
        "SELECT DISTINCT tiktok_shop_id FROM price_links WHERE connection_id = $1"
        " AND shopify_product_id = $2",
        connection_id,
        shopify_product_id,
    )
    return [r["tiktok_shop_id"] for r in rows]


async def linked_products(
    conn: Connection, region: Region, *, limit: int | None = None, offset: int = 0
) -> list[str]:
    """Shopify product ids linked in the region, in a stable order (pages of the catalog)."""
    rows = await conn.fetch(
        "SELECT DISTINCT shopify_product_id FROM price_links WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 ORDER BY shopify_product_id LIMIT $3 OFFSET $4",
        region.connection_id,
        region.tiktok_shop_id,
        limit,
        offset,
    )
    return [r["shopify_product_id"] for r in rows]


@dataclass(frozen=True)
class PriceState:
    """What the connector last did with a product's price in a region."""

    tiktok_product_id: str
    status: str
    reason: str | None
    skus: dict[str, Any]
    activity: ActivityRecord | None
    last_generation: int
    renewal_failures: int
    synced_at: datetime | None


def _state(row: Record) -> PriceState:
    activity = None
    if row["activity_id"]:
        activity = ActivityRecord(
            activity_id=row["activity_id"],
            generation=row["activity_generation"],
            begin=row["activity_begin"],
            end=row["activity_end"],
            deals={k: Decimal(v) for k, v in json.loads(row["activity_deals"]).items()},
            predecessor_id=row["activity_predecessor_id"],
        )
    return PriceState(
        tiktok_product_id=row["tiktok_product_id"],
        status=row["status"],
        reason=row["reason"],
        skus=json.loads(row["skus"]),
        activity=activity,
        last_generation=row["activity_generation"],
        renewal_failures=row["renewal_failures"],
        synced_at=row["synced_at"],
    )


async def load_state(
    conn: Connection, region: Region, shopify_product_id: str, *, for_update: bool = False
) -> PriceState | None:
    """The product's price state in the region (locked for the caller's transaction)."""
    row = await conn.fetchrow(
        "SELECT * FROM product_prices WHERE connection_id = $1 AND tiktok_shop_id = $2"
        f" AND shopify_product_id = $3{' FOR UPDATE' if for_update else ''}",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
    )
    return _state(row) if row else None


async def save_state(
    conn: Connection, region: Region, shopify_product_id: str, state: PriceState
) -> None:
    """Store the product's price state in the region."""
    activity = state.activity
    await conn.execute(
        "INSERT INTO product_prices (connection_id, tiktok_shop_id, shopify_product_id,"
        " tiktok_product_id, status, reason, skus, activity_id, activity_generation,"
        " activity_begin, activity_end, activity_deals, renewal_failures, synced_at,"
        " activity_predecessor_id)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$9,$10,$11,$12::jsonb,$13,$14,$15)"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id) DO UPDATE SET"
        " tiktok_product_id = $4, status = $5, reason = $6, skus = $7::jsonb,"
        " activity_id = $8, activity_generation = $9, activity_begin = $10,"
        " activity_end = $11, activity_deals = $12::jsonb, renewal_failures = $13,"
        " synced_at = $14, activity_predecessor_id = $15, updated_at = now()",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
        state.tiktok_product_id,
        state.status,
        state.reason,
        json.dumps(state.skus),
        activity.activity_id if activity else None,
        state.last_generation,
        activity.begin if activity else None,
        activity.end if activity else None,
        json.dumps({k: str(v) for k, v in activity.deals.items()}) if activity else None,
        state.renewal_failures,
        state.synced_at,
        activity.predecessor_id if activity else None,
    )


async def activity_products(conn: Connection, region: Region) -> list[str]:
    """Products of the region that hold an activity the connector created."""
    rows = await conn.fetch(
        "SELECT shopify_product_id FROM product_prices WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND activity_id IS NOT NULL ORDER BY shopify_product_id",
        region.connection_id,
        region.tiktok_shop_id,
    )
    return [r["shopify_product_id"] for r in rows]


async def renewals_due(conn: Connection, region: Region, before: datetime) -> list[str]:
    """Products whose activity ends before `before` (a renewal or an expiry is due)."""
    rows = await conn.fetch(
        "SELECT shopify_product_id FROM product_prices WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND activity_id IS NOT NULL AND activity_end <= $3",
        region.connection_id,
        region.tiktok_shop_id,
        before,
    )
    return [r["shopify_product_id"] for r in rows]


async def product_of_activity(
    conn: Connection, tiktok_shop_id: str, activity_id: str
) -> Record | None:
    """The product (and connection) holding an activity."""
    return await conn.fetchrow(
        "SELECT connection_id, shopify_product_id FROM product_prices"
        " WHERE tiktok_shop_id = $1 AND activity_id = $2",
        tiktok_shop_id,
        activity_id,
    )


async def needing_sync(
    conn: Connection, region: Region, synced_before: datetime, limit: int
) -> list[str]:
    """Linked products that failed, or were not synced since `synced_before` (oldest first)."""
    rows = await conn.fetch(
        "SELECT l.shopify_product_id FROM (SELECT DISTINCT shopify_product_id FROM price_links"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2) l LEFT JOIN product_prices p"
        " ON p.connection_id = $1 AND p.tiktok_shop_id = $2"
        " AND p.shopify_product_id = l.shopify_product_id"
        " WHERE p.status IS NULL OR p.status = 'failed' OR p.synced_at IS NULL"
        " OR p.synced_at < $3 ORDER BY p.synced_at NULLS FIRST LIMIT $4",
        region.connection_id,
        region.tiktok_shop_id,
        synced_before,
        limit,
    )
    return [r["shopify_product_id"] for r in rows]


async def overdue_activities(
    conn: Connection, region: Region, ends_before: datetime
) -> list[PriceState]:
    """The region's products whose activity ends before `ends_before` (renewal overdue)."""
    rows = await conn.fetch(
        "SELECT * FROM product_prices WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND activity_id IS NOT NULL AND activity_end <= $3",
        region.connection_id,
        region.tiktok_shop_id,
        ends_before,
    )
    return [_state(r) for r in rows]


async def forget_activity(
    conn: Connection, tiktok_shop_id: str, activity_id: str
) -> tuple[str, str] | None:
    """Drop an activity TikTok ended from its product (kept generations keep titles unique);
    the product's (connection id, Shopify product id), or None when no product holds it."""
    row = await conn.fetchrow(
        "UPDATE product_prices SET activity_id = NULL, activity_begin = NULL,"
        " activity_end = NULL, activity_deals = NULL, activity_predecessor_id = NULL,"
        " updated_at = now()"
        " WHERE tiktok_shop_id = $1 AND activity_id = $2"
        " RETURNING connection_id, shopify_product_id",
        tiktok_shop_id,
        activity_id,
    )
    return (row["connection_id"], row["shopify_product_id"]) if row else None


async def forget_connection(conn: Connection, connection_id: str) -> None:
    """Erase what the service holds about a connection (Shopify shop/redact)."""
    tables = ("price_tasks", "activity_intents", "product_prices", "price_links", "region_pricing")
    for table in tables:
        await conn.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)


def _view(row: Record) -> dict[str, Any]:
    return {
        "shopify_product_id": row["shopify_product_id"],
        "tiktok_product_id": row["tiktok_product_id"],
        "status": row["status"],
        "reason": row["reason"],
        "skus": json.loads(row["skus"]),
        "activity": None
        if row["activity_id"] is None
        else {
            "activity_id": row["activity_id"],
            "generation": row["activity_generation"],
            "begin": row["activity_begin"].isoformat(),
            "end": row["activity_end"].isoformat(),
            "deals": json.loads(row["activity_deals"]),
            # Queued back to back: the generation before still runs until `begin`.
            "predecessor_id": row["activity_predecessor_id"],
        },
        "synced_at": row["synced_at"].isoformat() if row["synced_at"] else None,
    }


async def list_states(
    conn: Connection,
    region: Region,
    limit: int,
    offset: int,
    *,
    shopify_product_id: str | None = None,
) -> list[dict[str, Any]]:
    """Price states of the region (or of one product), for the API."""
    rows = await conn.fetch(
        "SELECT * FROM product_prices WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND ($3::text IS NULL OR shopify_product_id = $3)"
        " ORDER BY shopify_product_id LIMIT $4 OFFSET $5",
        region.connection_id,
        region.tiktok_shop_id,
        shopify_product_id,
        limit,
        offset,
    )
    return [_view(r) for r in rows]


async def count_states(conn: Connection, region: Region) -> int:
    """How many products of the region have a price state."""
    count: int = await conn.fetchval(
        "SELECT count(*) FROM product_prices WHERE connection_id = $1 AND tiktok_shop_id = $2",
        region.connection_id,
        region.tiktok_shop_id,
    )
    return count
