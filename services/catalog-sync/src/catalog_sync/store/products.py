"""Pulled products and their TikTok listing state."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connector_contracts import SkuLink
from connector_runtime.db import Connection

from catalog_sync.core.models import (
    ConnectorEdits,
    Issue,
    ListingLayer,
    SourceProduct,
)
from catalog_sync.core.status import SyncStatus
from catalog_sync.core.sync_rules import SyncRules
from catalog_sync.store.models import ProductRecord, _json, to_record

# --- products -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upserted:
    """What an upsert changed: products to announce (`product.sync.changed`: new, back from
    deletion, or never announced yet), and those whose pulled content differs or that are new
    or revived (`product.pulled`)."""

    announce: list[str]
    changed: list[str]


async def upsert_products(
    db: Connection, connection_id: str, products: Sequence[tuple[SourceProduct, str | None]]
) -> Upserted:
    """Store pulled products (a re-pull keeps their listing state, edits and links); which of
    them were new, revived or changed (a re-pull of an unchanged product changes nothing)."""
    ordered = sorted({p.shopify_product_id: (p, key) for p, key in products}.values(),
                     key=lambda pk: pk[0].shopify_product_id)  # fmt: skip
    # The CTE reads the rows as they were before the upsert (one snapshot for the statement);
    # rows locked in product id order, so overlapping pulls cannot deadlock.
    rows = await db.fetch(
        "WITH incoming AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[],"
        " $6::timestamptz[]) AS i(id, source, title, category_key, updated_at)),"
        " before AS (SELECT p.shopify_product_id, p.deleted, p.source, p.title, p.category_key,"
        " p.sync_revision"
        " FROM products p JOIN incoming i ON p.shopify_product_id = i.id"
        " WHERE p.connection_id = $1 ORDER BY p.shopify_product_id FOR UPDATE OF p),"
        " upserted AS (INSERT INTO products (connection_id, shopify_product_id, source, title,"
        " category_key, shopify_updated_at) SELECT $1, id, source::jsonb, title, category_key,"
        " updated_at FROM incoming ON CONFLICT (connection_id, shopify_product_id) DO UPDATE SET"
        " source = EXCLUDED.source, title = EXCLUDED.title, category_key = EXCLUDED.category_key,"
        " shopify_updated_at = EXCLUDED.shopify_updated_at, deleted = false, pulled_at = now(),"
        " updated_at = now() RETURNING shopify_product_id)"
        " SELECT i.id, b.shopify_product_id IS NULL OR b.deleted AS revived,"
        " b.sync_revision = 0 AS unannounced,"
        " (b.source, b.title, b.category_key) IS DISTINCT FROM"
        " (i.source::jsonb, i.title, i.category_key) AS changed"
        " FROM incoming i LEFT JOIN before b ON b.shopify_product_id = i.id"
        " WHERE i.id IN (SELECT shopify_product_id FROM upserted) ORDER BY i.id",
        connection_id,
        *(list(c) for c in zip(*[
            (p.shopify_product_id, p.model_dump_json(), p.title, key, p.updated_at)
            for p, key in ordered
        ], strict=True)),
    )  # fmt: skip
    # A product never announced (listed before ADR 0920: revision 0) is announced by its next
    # pull, so a re-pull backfills Home's counts once (ADR 0941).
    return Upserted(
        announce=[r["id"] for r in rows if r["revived"] or r["unannounced"]],
        changed=[r["id"] for r in rows if r["revived"] or r["changed"]],
    )


async def mark_deleted(db: Connection, connection_id: str, shopify_product_id: str) -> bool:
    """Flag a product deleted in Shopify; False when it was never pulled."""
    result = await db.execute(
        "UPDATE products SET deleted = true, updated_at = now()"
        " WHERE connection_id = $1 AND shopify_product_id = $2",
        connection_id,
        shopify_product_id,
    )
    return str(result).endswith(" 1")


# A product with one region's local listing (ADR 0320): `products` holds what is pulled from
# Shopify (and the Global Products state), `local_listings` each region's TikTok product.
_LISTING = (
    "p.*, COALESCE(l.status, 'not_synced') AS status, l.reason, l.reason_code,"
    " COALESCE(l.issues, '[]') AS issues, l.tiktok_product_id, l.tiktok_status, l.audit_status,"
    " COALESCE(l.sku_links, '[]') AS sku_links, l.last_push_task_id, l.pushed_at"
)


def in_region(shop: str) -> str:
    """`products` as one region sees them; `shop` is the SQL parameter holding its shop id."""
    return (
        f"(SELECT {_LISTING}, {shop}::text AS tiktok_shop_id FROM products p"
        " LEFT JOIN local_listings l ON l.connection_id = p.connection_id"
        f" AND l.shopify_product_id = p.shopify_product_id AND l.tiktok_shop_id = {shop}::text)"
        " AS products"
    )


async def record_deactivation(
    db: Connection,
    connection_id: str,
    product_id: str,
    shop_id: str | None,
    status: SyncStatus,
    tiktok_status: str | None,
    reason: str,
) -> None:
    """What deleting the product in Shopify did to its TikTok listing in one region (or to its
    Global Product's, said on the product's default-region row)."""
    await db.execute(
        "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status,"
        " tiktok_status, reason) VALUES ($1,$2,$3,$4,$5,$6)"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id) DO UPDATE SET"
        " status=$4, tiktok_status=COALESCE($5, local_listings.tiktok_status), reason=$6,"
        " updated_at=now()",
        connection_id,
        product_id,
        shop_id or "",
        status.value,
        tiktok_status,
        reason,
    )


async def load_product(
    db: Connection, connection_id: str, product_id: str, shop_id: str | None
) -> ProductRecord | None:
    """One pulled product with its listing in a region (`shop_id`)."""
    row = await db.fetchrow(
        f"SELECT * FROM {in_region('$3')} WHERE connection_id = $1 AND shopify_product_id = $2",
        connection_id,
        product_id,
        shop_id or "",
    )
    return to_record(row) if row else None


async def load_products(
    db: Connection, connection_id: str, ids: Sequence[str], shop_id: str | None
) -> list[ProductRecord]:
    """Several pulled products with their listings in a region (unknown ids are skipped)."""
    rows = await db.fetch(
        f"SELECT * FROM {in_region('$3')}"
        " WHERE connection_id = $1 AND shopify_product_id = ANY($2::text[])",
        connection_id,
        list(ids),
        shop_id or "",
    )
    return [to_record(r) for r in rows]


async def product_by_tiktok_id(db: Connection, tiktok_product_id: str) -> ProductRecord | None:
    """The product linked to a TikTok product, with that listing (and its region's shop)."""
    row = await db.fetchrow(
        f"SELECT {_LISTING}, l.tiktok_shop_id FROM local_listings l JOIN products p"
        " ON p.connection_id = l.connection_id AND p.shopify_product_id = l.shopify_product_id"
        " WHERE l.tiktok_product_id = $1",
        tiktok_product_id,
    )
    return to_record(row) if row else None


async def listing_regions(db: Connection, connection_id: str, product_id: str) -> list[str]:
    """The shops a product has a local TikTok product in."""
    rows = await db.fetch(
        "SELECT tiktok_shop_id FROM local_listings WHERE connection_id = $1"
        " AND shopify_product_id = $2 AND tiktok_product_id IS NOT NULL ORDER BY tiktok_shop_id",
        connection_id,
        product_id,
    )
    return [r["tiktok_shop_id"] for r in rows]


def _filters(status: str | None, category: str | None, query: str | None) -> tuple[str, list[Any]]:
    clauses, args = ["connection_id = $1", "NOT deleted"], []
    for column, value in (("status", status), ("category_key", category)):
        if value is not None:
            args.append(value)
            clauses.append(f"{column} = ${len(args) + 2}")
    if query:
        args.append(f"%{query}%")
        n = len(args) + 2
        clauses.append(
            f"(title ILIKE ${n} OR shopify_product_id ILIKE ${n} OR tiktok_product_id ILIKE ${n})"
        )
    return " AND ".join(clauses), args


async def list_products(
    db: Connection,
    connection_id: str,
    shop_id: str | None,
    *,
    status: str | None,
    category: str | None,
    query: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ProductRecord], int]:
    """A page of products as a region lists them (newest Shopify update first) and how many
    match."""
    where, args = _filters(status, category, query)
    source = in_region("$2")
    rows = await db.fetch(
        f"SELECT * FROM {source} WHERE {where} ORDER BY shopify_updated_at DESC,"
        f" shopify_product_id LIMIT {int(limit)} OFFSET {int(offset)}",
        connection_id,
        shop_id or "",
        *args,
    )
    total = await db.fetchval(
        f"SELECT count(*) FROM {source} WHERE {where}", connection_id, shop_id or "", *args
    )
    return [to_record(r) for r in rows], int(total or 0)


async def status_counts(db: Connection, connection_id: str, shop_id: str | None) -> dict[str, int]:
    """A region's products per sync status (every status present, zero when none)."""
    rows = await db.fetch(
        f"SELECT status, count(*) AS n FROM {in_region('$2')}"
        " WHERE connection_id = $1 AND NOT deleted GROUP BY status",
        connection_id,
        shop_id or "",
    )
    return {s.value: 0 for s in SyncStatus} | {r["status"]: int(r["n"]) for r in rows}


async def product_ids(
    db: Connection, connection_id: str, status: str | None, shop_id: str | None
) -> list[str]:
    """Every live product id (optionally of one status in a region)."""
    rows = await db.fetch(
        f"SELECT shopify_product_id FROM {in_region('$3')} WHERE connection_id = $1"
        " AND NOT deleted AND ($2::text IS NULL OR status = $2) ORDER BY shopify_product_id",
        connection_id,
        status,
        shop_id or "",
    )
    return [r["shopify_product_id"] for r in rows]


async def synced_count(db: Connection, connection_id: str) -> int:
    """Products listed on TikTok in any region (locks the categories source)."""
    value = await db.fetchval(
        "SELECT count(DISTINCT shopify_product_id) FROM local_listings WHERE connection_id = $1"
        " AND tiktok_product_id IS NOT NULL",
        connection_id,
    )
    return int(value or 0)


async def record_failure(
    db: Connection,
    connection_id: str,
    product_id: str,
    shop_id: str | None,
    status: SyncStatus,
    reason: str,
    code: int | None,
    issues: Sequence[Issue],
    task_id: str | None,
) -> None:
    """A push to a region that did not list the product, and why."""
    await db.execute(
        "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status,"
        " reason, reason_code, issues, last_push_task_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id) DO UPDATE SET"
        " status=$4, reason=$5, reason_code=$6, issues=$7, last_push_task_id=$8, updated_at=now()",
        connection_id,
        product_id,
        shop_id or "",
        status.value,
        reason,
        code,
        json.dumps([i.model_dump() for i in issues]),
        task_id,
    )


async def record_listed(
    db: Connection,
    connection_id: str,
    product_id: str,
    shop_id: str | None,
    tiktok_product_id: str,
    tiktok_status: str | None,
    audit_status: str | None,
    links: Sequence[SkuLink],
    task_id: str | None,
) -> None:
    """A successful create / update / mapping in a region: the link and TikTok's status (None:
    TikTok did not say, the last said stays)."""
    await db.execute(
        "INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status,"
        " tiktok_product_id, tiktok_status, audit_status, sku_links, last_push_task_id,"
        " pushed_at) VALUES ($1,$2,$3,'synced',$4,$5,$6,$7,$8,now())"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id) DO UPDATE SET"
        " status='synced', reason=NULL, reason_code=NULL, issues='[]', tiktok_product_id=$4,"
        " tiktok_status=COALESCE($5, local_listings.tiktok_status),"
        " audit_status=COALESCE($6, local_listings.audit_status), sku_links=$7,"
        " last_push_task_id=$8, pushed_at=now(), updated_at=now()",
        connection_id,
        product_id,
        shop_id or "",
        tiktok_product_id,
        tiktok_status,
        audit_status,
        json.dumps([link.model_dump(mode="json") for link in links]),
        task_id,
    )


async def record_review(
    db: Connection,
    record: ProductRecord,
    tiktok_status: str | None,
    audit_status: str | None,
    failure: tuple[SyncStatus, str] | None,
) -> None:
    """TikTok's review outcome of a product's listing (in the record's region); a failure makes
    it failed with the reviewer's reason."""
    status, reason = failure if failure else (SyncStatus.SYNCED, None)
    also = ", status=$6, reason=$7"
    await _record_said(db, record, tiktok_status, audit_status, also, status.value, reason)


async def record_said_status(
    db: Connection, record: ProductRecord, tiktok_status: str | None, audit_status: str | None
) -> None:
    """TikTok's status and audit status of the region's listing after an edit outside a push
    (Optimize Info; None: not said, the last said stays); the sync status is left as it is."""
    await _record_said(db, record, tiktok_status, audit_status)


async def _record_said(
    db: Connection,
    record: ProductRecord,
    tiktok_status: str | None,
    audit_status: str | None,
    also: str = "",
    *values: object,
) -> None:
    await db.execute(
        "UPDATE local_listings SET tiktok_status=COALESCE($4, tiktok_status),"
        f" audit_status=COALESCE($5, audit_status){also}, updated_at=now()"
        " WHERE connection_id=$1 AND shopify_product_id=$2 AND tiktok_shop_id=$3",
        record.connection_id,
        record.source.shopify_product_id,
        record.tiktok_shop_id or "",
        tiktok_status,
        audit_status,
        *values,
    )


async def save_product_settings(
    db: Connection,
    connection_id: str,
    product_id: str,
    edits: ConnectorEdits,
    listing: ListingLayer,
    rules: SyncRules | None,
) -> None:
    """Connector-side edits, listing data and sync-rule overrides of one product."""
    await db.execute(
        "UPDATE products SET edits=$3, listing=$4, sync_rules=$5, updated_at=now()"
        " WHERE connection_id=$1 AND shopify_product_id=$2",
        connection_id,
        product_id,
        edits.model_dump_json(),
        listing.model_dump_json(),
        rules.model_dump_json() if rules else None,
    )


# --- Qualification Center -------------------------------------------------------------------


async def save_compliance(
    db: Connection, connection_id: str, kind: str, entity_id: str, details: str
) -> None:
    """Store (or edit) a responsible person / manufacturer's details (JSON)."""
    await db.execute(
        "INSERT INTO compliance_entities (connection_id, kind, entity_id, details)"
        " VALUES ($1,$2,$3,$4) ON CONFLICT (connection_id, kind, entity_id) DO UPDATE SET"
        " details=$4, updated_at=now()",
        connection_id,
        kind,
        entity_id,
        details,
    )


async def list_compliance(db: Connection, connection_id: str, kind: str) -> list[tuple[str, Any]]:
    """(entity id, details) of one kind, oldest first."""
    rows = await db.fetch(
        "SELECT entity_id, details FROM compliance_entities WHERE connection_id=$1 AND kind=$2"
        " ORDER BY created_at, entity_id",
        connection_id,
        kind,
    )
    return [(r["entity_id"], _json(r["details"])) for r in rows]


async def product_listings(
    db: Connection, connection_id: str
) -> list[tuple[str, str, str | None, ListingLayer]]:
    """(product id, title, category, product-level listing) of every live product."""
    rows = await db.fetch(
        "SELECT shopify_product_id, title, category_key, listing FROM products"
        " WHERE connection_id=$1 AND NOT deleted ORDER BY shopify_product_id",
        connection_id,
    )
    return [
        (
            r["shopify_product_id"],
            r["title"],
            r["category_key"],
            ListingLayer.model_validate(_json(r["listing"])),
        )
        for r in rows
    ]


async def save_listings(
    db: Connection, connection_id: str, listings: Sequence[tuple[str, ListingLayer]]
) -> None:
    """Product-level listing data of several products."""
    await db.executemany(
        "UPDATE products SET listing=$3, updated_at=now() WHERE connection_id=$1 AND shopify_product_id=$2",
        [(connection_id, pid, listing.model_dump_json()) for pid, listing in listings],
    )


async def compliance_products(
    db: Connection,
    connection_id: str,
    field: str,
    entity_id: str,
    *,
    linked: bool,
    category: str | None = None,
    product_id: str | None = None,
    query: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[tuple[str, str, str | None]], int]:
    """A page of live products linked (or not linked) to an entity at product level, filtered
    by category, product id or name, and how many match. `field` comes from code."""
    assert field in ("responsible_person_ids", "manufacturer_ids")
    where = (
        "connection_id=$1 AND NOT deleted AND coalesce(listing->$2 ? $3, false) = $4"
        " AND ($5::text IS NULL OR category_key = $5)"
        " AND ($6::text IS NULL OR shopify_product_id = $6)"
        " AND ($7::text IS NULL OR title ILIKE '%' || $7 || '%')"
    )
    args = (connection_id, field, entity_id, linked, category, product_id, query)
    rows = await db.fetch(
        f"SELECT shopify_product_id, title, category_key FROM products WHERE {where}"
        f" ORDER BY title, shopify_product_id LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    total = await db.fetchval(f"SELECT count(*) FROM products WHERE {where}", *args)
    return [(r["shopify_product_id"], r["title"], r["category_key"]) for r in rows], int(total)
