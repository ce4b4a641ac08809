"""inventory-guard's SQL: Shopify levels, linked products and SKUs per region, settings."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from asyncpg import Record
from connector_contracts import FormerInventoryLocation, InventoryChanged, SkuLink
from connector_runtime.db import Connection

from inventory_guard.core.models import ProductSettings, SkuInput, StoreSettings
from inventory_guard.core.policy import ProductPlan

PUSH = "stock-push"  # work kind: send one product's stock in one region, keyed per product


@dataclass(frozen=True)
class ProductKey:
    """A linked product in one region (ADR 0023)."""

    connection_id: str
    tiktok_shop_id: str
    shopify_product_id: str

    @property
    def work_key(self) -> str:
        """The push item's key: one per product and region, so bursts coalesce."""
        return f"{self.connection_id}|{self.tiktok_shop_id}|{self.shopify_product_id}"

    @classmethod
    def of_work_key(cls, key: str) -> "ProductKey":
        """The product a push item is about."""
        connection_id, shop_id, product_id = key.split("|", 2)
        return cls(connection_id, shop_id, product_id)


@dataclass(frozen=True)
class ProductRow:
    """A linked product as stored."""

    key: ProductKey
    tiktok_product_id: str
    warehouse_id: str | None
    sync_stock: bool
    tiktok_status: str | None
    guard_deactivated: bool
    overrides: ProductSettings
    pending_since: datetime | None


async def save_levels(
    conn: Connection, cid: str, changes: Sequence[InventoryChanged]
) -> list[InventoryChanged]:
    """Store each figure (one per item and location, in that order) unless a newer one is
    already stored; the ones stored, in one statement."""
    rows = await conn.fetch(
        "INSERT INTO levels AS l (connection_id, shopify_inventory_item_id, shopify_location_id,"
        " available, updated_at) SELECT $1, i, loc, a, at"
        " FROM unnest($2::text[], $3::text[], $4::int[], $5::timestamptz[]) AS c(i, loc, a, at)"
        " ORDER BY i, loc"
        " ON CONFLICT (connection_id, shopify_inventory_item_id, shopify_location_id)"
        " DO UPDATE SET available = EXCLUDED.available, updated_at = EXCLUDED.updated_at"
        " WHERE l.updated_at <= EXCLUDED.updated_at"
        " RETURNING shopify_inventory_item_id AS item, shopify_location_id AS location",
        cid,
        [c.shopify_inventory_item_id for c in changes],
        [c.shopify_location_id for c in changes],
        [c.available for c in changes],
        [c.updated_at for c in changes],
    )
    stored = {(r["item"], r["location"]) for r in rows}
    return [c for c in changes if (c.shopify_inventory_item_id, c.shopify_location_id) in stored]


async def most_locations_per_item(conn: Connection, cid: str) -> int:
    """The most Shopify locations any one item of the connection was seen stocked at (0 when
    none was read yet): the page of levels a batched read asks for per item."""
    found = await conn.fetchval(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM levels WHERE connection_id = $1"
        " GROUP BY shopify_inventory_item_id) AS per_item",
        cid,
    )
    return int(found or 0)


async def products_of_items(
    conn: Connection, cid: str, items: Sequence[str]
) -> list[tuple[str, ProductKey]]:
    """Every linked product (in every region) with a SKU on one of these items, as (item,
    product) pairs."""
    rows = await conn.fetch(
        "SELECT DISTINCT shopify_inventory_item_id AS item, tiktok_shop_id, shopify_product_id"
        " FROM skus WHERE connection_id = $1 AND shopify_inventory_item_id = ANY($2::text[])",
        cid,
        list(items),
    )
    return [
        (r["item"], ProductKey(cid, r["tiktok_shop_id"], r["shopify_product_id"])) for r in rows
    ]


async def mark_pending(conn: Connection, key: ProductKey, since: datetime) -> None:
    """Remember the oldest Shopify change the next push carries (the update lag starts there)."""
    await mark_pending_many(conn, [(key, since)])


async def mark_pending_many(conn: Connection, since: Sequence[tuple[ProductKey, datetime]]) -> None:
    """`mark_pending` for several products (in the order given: the caller's lock order)."""
    await conn.executemany(
        "UPDATE products SET pending_since = LEAST(COALESCE(pending_since, $4), $4)"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        [(k.connection_id, k.tiktok_shop_id, k.shopify_product_id, at) for k, at in since],
    )


async def save_link(
    conn: Connection,
    key: ProductKey,
    tiktok_product_id: str,
    fields: Mapping[str, object],
    skus: Sequence[SkuLink],
) -> None:
    """Keep a pushed product and its SKU links in a region (links of other SKUs go)."""
    await conn.execute(
        "INSERT INTO products (connection_id, tiktok_shop_id, shopify_product_id,"
        " tiktok_product_id, region, warehouse_id, sync_stock, tiktok_status)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (connection_id, tiktok_shop_id, shopify_product_id) DO UPDATE SET"
        " tiktok_product_id = $4, region = $5, warehouse_id = COALESCE($6, products.warehouse_id),"
        " sync_stock = $7, tiktok_status = $8",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        tiktok_product_id,
        fields.get("region"),
        fields.get("warehouse_id"),
        fields.get("sync_stock", True),
        fields.get("tiktok_status"),
    )
    await _replace_skus(conn, key, skus)


async def _replace_skus(conn: Connection, key: ProductKey, skus: Sequence[SkuLink]) -> None:
    ids = [s.tiktok_sku_id for s in skus]
    await conn.execute(
        "DELETE FROM skus WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND shopify_product_id = $3 AND NOT tiktok_sku_id = ANY($4::text[])",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        ids,
    )
    await conn.executemany(
        "INSERT INTO skus (connection_id, tiktok_shop_id, tiktok_sku_id, shopify_product_id,"
        " shopify_variant_id, shopify_inventory_item_id) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (connection_id, tiktok_shop_id, tiktok_sku_id) DO UPDATE SET"
        " shopify_product_id = $4, shopify_variant_id = $5, shopify_inventory_item_id = $6",
        [
            (
                key.connection_id,
                key.tiktok_shop_id,
                s.tiktok_sku_id,
                key.shopify_product_id,
                s.shopify_variant_id,
                s.shopify_inventory_item_id,
            )
            for s in skus
        ],
    )


def _product_row(key: ProductKey, row: Record) -> ProductRow:
    return ProductRow(
        key=key,
        tiktok_product_id=row["tiktok_product_id"],
        warehouse_id=row["warehouse_id"],
        sync_stock=row["sync_stock"],
        tiktok_status=row["tiktok_status"],
        guard_deactivated=row["guard_deactivated"],
        overrides=ProductSettings.model_validate_json(row["overrides"]),
        pending_since=row["pending_since"],
    )


async def load_product(
    conn: Connection, key: ProductKey, *, lock: bool = False
) -> ProductRow | None:
    """A linked product (locked for the push when asked)."""
    row = await conn.fetchrow(
        "SELECT tiktok_product_id, warehouse_id, sync_stock, tiktok_status, guard_deactivated,"
        " overrides::text AS overrides, pending_since FROM products WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_product_id = $3" + (" FOR UPDATE" if lock else ""),
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
    )
    return _product_row(key, row) if row else None


# Units held by TikTok orders Shopify does not show yet: not relayed, or relayed but no Shopify
# figure of the item reported since (its decrement is still on its way).
_RESERVED = (
    "(SELECT COALESCE(sum(h.quantity), 0) FROM holds h JOIN hold_orders o USING (tiktok_order_id)"
    " WHERE h.connection_id = s.connection_id AND h.tiktok_shop_id = s.tiktok_shop_id"
    " AND h.tiktok_sku_id = s.tiktok_sku_id AND o.state = 'holding' AND (o.relayed_at IS NULL"
    " OR NOT EXISTS (SELECT 1 FROM levels r WHERE r.connection_id = s.connection_id"
    " AND r.shopify_inventory_item_id = s.shopify_inventory_item_id"
    " AND r.updated_at >= o.relayed_at)))"
)


async def sku_inputs(conn: Connection, key: ProductKey, read: Sequence[str] = ()) -> list[SkuInput]:
    """The product's SKUs with the Shopify levels of their items and what TikTok orders hold.
    An item with no stored level has levels None (unknown), unless it is one of `read`: Shopify
    was just asked and stocks it nowhere."""
    rows = await conn.fetch(
        "SELECT s.tiktok_sku_id, CASE WHEN count(l.shopify_location_id) > 0"
        " OR COALESCE(s.shopify_inventory_item_id = ANY($4::text[]), false)"
        " THEN COALESCE(jsonb_object_agg(l.shopify_location_id, l.available)"
        " FILTER (WHERE l.shopify_location_id IS NOT NULL), '{}')::text END AS levels,"
        f" {_RESERVED} AS reserved FROM skus s"
        " LEFT JOIN levels l ON l.connection_id = s.connection_id"
        " AND l.shopify_inventory_item_id = s.shopify_inventory_item_id"
        " WHERE s.connection_id = $1 AND s.tiktok_shop_id = $2 AND s.shopify_product_id = $3"
        " GROUP BY s.connection_id, s.tiktok_shop_id, s.tiktok_sku_id ORDER BY s.tiktok_sku_id",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        list(read),
    )
    return [
        SkuInput(
            tiktok_sku_id=r["tiktok_sku_id"],
            levels=None if r["levels"] is None else json.loads(r["levels"]),
            reserved=r["reserved"],
        )
        for r in rows
    ]


async def unknown_items(conn: Connection, key: ProductKey) -> list[str]:
    """The product's inventory items the guard holds no Shopify level of (no webhook came
    since they were linked, no sweep read them yet)."""
    rows = await conn.fetch(
        "SELECT DISTINCT s.shopify_inventory_item_id AS item FROM skus s"
        " WHERE s.connection_id = $1 AND s.tiktok_shop_id = $2 AND s.shopify_product_id = $3"
        " AND s.shopify_inventory_item_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM levels l"
        " WHERE l.connection_id = s.connection_id"
        " AND l.shopify_inventory_item_id = s.shopify_inventory_item_id) ORDER BY 1",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
    )
    return [r["item"] for r in rows]


async def warehouses_of(conn: Connection, key: ProductKey) -> dict[str, dict[str, int]]:
    """TikTok warehouses (and their last known quantities) per SKU of the product."""
    rows = await conn.fetch(
        "SELECT tiktok_sku_id, warehouses::text AS w FROM skus WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
    )
    return {r["tiktok_sku_id"]: json.loads(r["w"]) for r in rows}


async def save_tiktok_view(
    conn: Connection, key: ProductKey, status: str, warehouses: dict[str, dict[str, int]]
) -> None:
    """What Get Product says: the status and each SKU's warehouses."""
    await _set_status(conn, key, status)
    await conn.executemany(
        "UPDATE skus SET warehouses = $4::jsonb WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND tiktok_sku_id = $3",
        [
            (key.connection_id, key.tiktok_shop_id, sku, json.dumps(w))
            for sku, w in warehouses.items()
        ],
    )


async def _set_status(conn: Connection, key: ProductKey, status: str | None) -> None:
    await conn.execute(
        "UPDATE products SET tiktok_status = $4 WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " AND shopify_product_id = $3",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        status,
    )


async def record_plan(
    conn: Connection,
    key: ProductKey,
    plan: ProductPlan,
    status: str,
    at: datetime,
    *,
    sent: bool,
    warehouses: dict[str, dict[str, int]],
) -> None:
    """What the guard did: the quantities sent (when sent), low SKUs, policy and status."""
    await conn.execute(
        "UPDATE products SET tiktok_status = $4, guard_deactivated = $5, policy = $6,"
        " reason = NULL, reason_code = NULL, last_sync_at = $7,"
        " pending_since = CASE WHEN $8 THEN NULL ELSE pending_since END"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        status,
        plan.guard_deactivated,
        plan.policy,
        at,
        sent,
    )
    await conn.executemany(
        "UPDATE skus SET shopify_stock = $4, low = $5, sent_quantity = COALESCE($6, sent_quantity),"
        " sent_at = CASE WHEN $6::int IS NULL THEN sent_at ELSE $7 END, warehouses = $8::jsonb"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2 AND tiktok_sku_id = $3",
        [
            (
                key.connection_id,
                key.tiktok_shop_id,
                s.tiktok_sku_id,
                s.stock,
                s.low,
                s.quantity if sent else None,
                at,
                json.dumps(warehouses.get(s.tiktok_sku_id, {})),
            )
            for s in plan.skus
        ],
    )


async def forget_tiktok_view(conn: Connection, key: ProductKey) -> None:
    """Make the next push read the product from TikTok again (its status may have changed)."""
    await _set_status(conn, key, None)


async def products_of_tiktok_product(
    conn: Connection, cid: str, tiktok_product_id: str
) -> list[ProductKey]:
    """The linked product(s) behind a TikTok product id."""
    rows = await conn.fetch(
        "SELECT tiktok_shop_id, shopify_product_id FROM products WHERE connection_id = $1"
        " AND tiktok_product_id = $2",
        cid,
        tiktok_product_id,
    )
    return [ProductKey(cid, r["tiktok_shop_id"], r["shopify_product_id"]) for r in rows]


async def record_reason(conn: Connection, key: ProductKey, code: str, reason: str) -> None:
    """Why the product's stock is not (yet) on TikTok, for the merchant."""
    await conn.execute(
        "UPDATE products SET reason_code = $4, reason = $5 WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        code,
        reason[:1000],
    )


async def load_store_settings(conn: Connection, cid: str, shop_id: str) -> StoreSettings:
    """A region's store-level settings (defaults until the merchant saves some)."""
    raw = await conn.fetchval(
        "SELECT settings::text FROM region_settings WHERE connection_id = $1 AND tiktok_shop_id = $2",
        cid,
        shop_id,
    )
    return StoreSettings.model_validate_json(raw) if raw else StoreSettings()


async def save_store_settings(
    conn: Connection, cid: str, shop_id: str, settings: StoreSettings
) -> None:
    """Replace a region's store-level settings."""
    await conn.execute(
        "INSERT INTO region_settings (connection_id, tiktok_shop_id, settings)"
        " VALUES ($1, $2, $3::jsonb) ON CONFLICT (connection_id, tiktok_shop_id)"
        " DO UPDATE SET settings = $3::jsonb",
        cid,
        shop_id,
        settings.model_dump_json(),
    )


async def save_overrides(conn: Connection, key: ProductKey, overrides: ProductSettings) -> bool:
    """Replace a product's overrides in a region (False: no such linked product)."""
    status = await conn.execute(
        "UPDATE products SET overrides = $4::jsonb WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_product_id = $3",
        key.connection_id,
        key.tiktok_shop_id,
        key.shopify_product_id,
        overrides.model_dump_json(exclude_defaults=True),
    )
    return status != "UPDATE 0"


async def product_keys(
    conn: Connection, cid: str, shop_id: str, *, limit: int | None = None, offset: int = 0
) -> list[ProductKey]:
    """Every linked product of a region (or one page of them), in product id order."""
    rows = await conn.fetch(
        "SELECT shopify_product_id FROM products WHERE connection_id = $1 AND tiktok_shop_id = $2"
        " ORDER BY shopify_product_id LIMIT $3 OFFSET $4",
        cid,
        shop_id,
        limit,
        offset,
    )
    return [ProductKey(cid, shop_id, r["shopify_product_id"]) for r in rows]


async def next_location_revision(conn: Connection, cid: str) -> int:
    """The next revision of a connection's location card."""
    revision: int = await conn.fetchval(
        "INSERT INTO location_revisions (connection_id, revision) VALUES ($1, 1)"
        " ON CONFLICT (connection_id) DO UPDATE SET revision = location_revisions.revision + 1"
        " RETURNING revision",
        cid,
    )
    return revision


async def items_of_region(conn: Connection, cid: str, shop_id: str) -> list[str]:
    """Every Shopify inventory item a region's linked SKUs stock."""
    rows = await conn.fetch(
        "SELECT DISTINCT shopify_inventory_item_id FROM skus WHERE connection_id = $1"
        " AND tiktok_shop_id = $2 AND shopify_inventory_item_id IS NOT NULL ORDER BY 1",
        cid,
        shop_id,
    )
    return [r["shopify_inventory_item_id"] for r in rows]


async def adopt_location(
    conn: Connection, cid: str, shop_id: str, former: FormerInventoryLocation
) -> bool:
    """Record a former setting as the region's (False: one was adopted for it before, or the
    connection had a location card before the hand-over)."""
    status = await conn.execute(
        "INSERT INTO adopted_locations (connection_id, tiktok_shop_id, location_id, source)"
        " SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM location_card_before_handover"
        " WHERE connection_id = $1) ON CONFLICT DO NOTHING",
        cid,
        shop_id,
        former.location_id,
        former.source,
    )
    return bool(status == "INSERT 0 1")
