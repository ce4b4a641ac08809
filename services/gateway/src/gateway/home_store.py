"""The Home dashboard's tables: each order's merged facts, and the sums they feed (per day,
and per calendar block for the tops, ADR 0930); every write takes a batch of orders."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from connector_runtime.db import Connection

from gateway import home_product_store
from gateway.core.home_facts import OrderFacts
from gateway.core.home_sums import WHOLE_PRODUCT, customer_sums, minor_units, product_sums
from gateway.core.home_tally import Tally


async def load_facts(
    conn: Connection, orders: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], OrderFacts]:
    """The facts of every `(connection id, order id)`, their rows locked for this transaction
    (events of one order arrive on several topics at once: their changes to the sums must not
    interleave), in key order, so two batches of overlapping orders cannot deadlock."""
    keys = sorted(set(orders))
    cids, oids = [k[0] for k in keys], [k[1] for k in keys]
    await conn.execute(
        "INSERT INTO home_orders (connection_id, tiktok_order_id, facts)"
        " SELECT *, '{}'::jsonb FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        cids,
        oids,
    )
    rows = await conn.fetch(
        "SELECT o.connection_id, o.tiktok_order_id, o.facts::text AS facts FROM home_orders o"
        " JOIN unnest($1::text[], $2::text[]) AS k(cid, oid)"
        " ON o.connection_id = k.cid AND o.tiktok_order_id = k.oid"
        " ORDER BY o.connection_id, o.tiktok_order_id FOR UPDATE OF o",
        cids,
        oids,
    )
    return {
        (r["connection_id"], r["tiktok_order_id"]): OrderFacts.model_validate_json(r["facts"])
        for r in rows
    }


async def save_facts(conn: Connection, facts: dict[tuple[str, str], OrderFacts]) -> None:
    """Store the orders' new facts."""
    if not facts:
        return
    rows = [
        (
            cid,
            oid,
            f.region,
            f.day,
            f.bucket.value if f.bucket else None,
            f.sale.shopify_order_id if f.sale else None,
            f.model_dump_json(),
        )
        for (cid, oid), f in sorted(facts.items())
    ]
    await conn.execute(
        "UPDATE home_orders o SET region = k.region, day = k.day, bucket = k.bucket,"
        " shopify_order_id = k.shopify_order_id, facts = k.facts::jsonb, updated_at = now()"
        " FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],"
        " $7::text[]) AS k(cid, oid, region, day, bucket, shopify_order_id, facts)"
        " WHERE o.connection_id = k.cid AND o.tiktok_order_id = k.oid",
        *(list(c) for c in zip(*rows, strict=True)),
    )


@dataclass(frozen=True)
class _Sums:
    """A table of sums: its key columns, the numbers that add up, the labels (greatest wins)."""

    table: str
    keys: tuple[tuple[str, str], ...]  # (column, PostgreSQL type)
    numbers: tuple[tuple[str, str], ...]
    labels: tuple[tuple[str, str], ...] = ()

    def upsert(self) -> str:
        columns = [*self.keys, *self.numbers, *self.labels]
        arrays = ", ".join(f"${i}::{t}[]" for i, (_, t) in enumerate(columns, 1))
        sets = [f"{n} = t.{n} + EXCLUDED.{n}" for n, _ in self.numbers]
        sets += [f"{n} = GREATEST(t.{n}, EXCLUDED.{n})" for n, _ in self.labels]
        return (
            f"INSERT INTO {self.table} AS t ({', '.join(n for n, _ in columns)})"
            f" SELECT * FROM unnest({arrays})"
            f" ON CONFLICT ({', '.join(n for n, _ in self.keys)}) DO UPDATE SET {', '.join(sets)}"
        )

    def delete_emptied(self) -> str:
        arrays = ", ".join(f"${i}::{t}[]" for i, (_, t) in enumerate(self.keys, 1))
        match = " AND ".join(f"t.{n} = k.{n}" for n, _ in self.keys)
        empty = " AND ".join(f"t.{n} = 0" for n, _ in self.numbers)
        names = ", ".join(n for n, _ in self.keys)
        return (
            f"DELETE FROM {self.table} t USING unnest({arrays}) AS k({names})"
            f" WHERE {match} AND {empty}"
        )

    async def add(self, conn: Connection, rows: list[tuple[object, ...]]) -> None:
        """Add the rows (keys, numbers, labels) and delete those a negative one emptied."""
        rows, emptied = self.merged(rows)
        if not rows:
            return
        await conn.execute(self.upsert(), *(list(c) for c in zip(*rows, strict=True)))
        # Rows a change took to zero go: a buyer taken out (redaction, cancellation) leaves no
        # row with their masked name behind, and a product no longer sold is not a "top" one.
        if emptied:
            await conn.execute(
                self.delete_emptied(), *(list(c) for c in zip(*emptied, strict=True))
            )

    def merged(
        self, rows: list[tuple[object, ...]]
    ) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        """One row per key (a statement must not touch a row twice), numbers summed, labels
        the greatest, in key order (concurrent writers lock rows in one order); and the keys
        a negative number touched, which may now be empty."""
        first, last = len(self.keys), len(self.keys) + len(self.numbers)
        summed: dict[tuple[object, ...], list[Any]] = {}
        touched: set[tuple[object, ...]] = set()
        for row in rows:
            key = row[:first]
            if any(_negative(v) for v in row[first:last]):
                touched.add(key)
            held = summed.get(key)
            if held is None:
                summed[key] = list(row[first:])
                continue
            for i, value in enumerate(row[first:]):
                held[i] = held[i] + value if i < last - first else _greatest(held[i], value)
        keys: list[tuple[object, ...]] = sorted(summed)
        kept = [(*k, *summed[k]) for k in keys if any(summed[k][: last - first])]
        return kept, [k for k in keys if k in touched]


def _greatest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _negative(value: object) -> bool:
    return isinstance(value, int | Decimal) and value < 0


_AT = (("connection_id", "text"), ("region", "text"))
_BLOCK = (*_AT, ("grain", "text"), ("start", "date"))
COUNTS = _Sums(
    "home_count_days", (*_AT, ("day", "date"), ("bucket", "text")), (("orders", "integer"),)
)
REVENUE = _Sums(
    "home_revenue_days",
    (*_AT, ("day", "date"), ("currency", "text")),
    (("amount", "numeric"), ("orders", "integer")),
)
PRODUCTS = _Sums(
    "home_product_sums",
    (*_BLOCK, ("currency", "text"), ("per_sku", "boolean"), ("product_id", "text"),
     ("sku_id", "text")),
    (("quantity", "integer"), ("amount", "numeric"), ("amount_minor", "bigint")),
    (("name", "text"), ("seller_sku", "text")),
)  # fmt: skip
CUSTOMERS = _Sums(
    "home_customer_sums",
    (*_BLOCK, ("currency", "text"), ("buyer_id", "text")),
    (("orders", "integer"), ("amount", "numeric"), ("amount_minor", "bigint")),
    (("buyer_name", "text"),),
)


async def add(conn: Connection, changes: Sequence[tuple[str, str, Tally]]) -> None:
    """Move the sums by every `(connection id, region, change)`, a statement per table."""
    counts: list[tuple[object, ...]] = []
    revenue: list[tuple[object, ...]] = []
    products: list[tuple[object, ...]] = []
    customers: list[tuple[object, ...]] = []
    for cid, region, tally in changes:
        at = (cid, region)
        counts += [(*at, r.day, r.bucket.value, r.orders) for r in tally.counts]
        revenue += [(*at, r.day, r.currency, r.amount, r.orders) for r in tally.revenue]
        products += [
            (*at, s.block.grain.value, s.block.start, s.currency, s.sku_id != WHOLE_PRODUCT,
             s.product_id, s.sku_id, s.quantity, s.amount, minor_units(s.amount), s.name,
             s.seller_sku)
            for s in product_sums(tally.products)
        ]  # fmt: skip
        customers += [
            (*at, s.block.grain.value, s.block.start, s.currency, s.buyer_id, s.orders, s.amount,
             minor_units(s.amount), s.buyer_name)
            for s in customer_sums(tally.customers)
        ]  # fmt: skip
    for sums, rows in ((COUNTS, counts), (REVENUE, revenue), (PRODUCTS, products),
                       (CUSTOMERS, customers)):  # fmt: skip
        await sums.add(conn, rows)


async def orders_of_redacted(
    conn: Connection, shop_domain: str, shopify_order_ids: list[str]
) -> list[tuple[str, str]]:
    """`(connection_id, tiktok order id)` of every order whose buyer bought one of the
    Shopify orders: the whole buyer is erased, not only those orders."""
    rows = await conn.fetch(
        "WITH named AS (SELECT o.connection_id, o.facts->'sale'->>'buyer_id' AS buyer_id"
        " FROM home_orders o JOIN connections c USING (connection_id)"
        " WHERE c.shopify_shop_domain = $1 AND o.shopify_order_id = ANY($2::text[]))"
        " SELECT o.connection_id, o.tiktok_order_id FROM home_orders o JOIN named n"
        " ON n.connection_id = o.connection_id AND n.buyer_id = o.facts->'sale'->>'buyer_id'"
        " UNION SELECT o.connection_id, o.tiktok_order_id FROM home_orders o"
        " JOIN connections c USING (connection_id)"
        " WHERE c.shopify_shop_domain = $1 AND o.shopify_order_id = ANY($2::text[])",
        shop_domain,
        shopify_order_ids,
    )
    return [(r["connection_id"], r["tiktok_order_id"]) for r in rows]


async def forget(conn: Connection, connection_id: str) -> None:
    """Delete the dashboard's rows about a connection (shop/redact)."""
    for table in (*TABLES, *home_product_store.TABLES):
        await conn.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)


TABLES = (
    "home_orders",
    "home_count_days",
    "home_revenue_days",
    "home_product_sums",
    "home_customer_sums",
)


async def clear(conn: Connection) -> None:
    """Empty the order tables before a rebuild replays the topics into them."""
    for table in TABLES:  # DELETE: readers keep the old rows until the rebuild commits
        await conn.execute(f"DELETE FROM {table}")
