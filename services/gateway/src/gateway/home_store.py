"""The Home dashboard's tables: each order's merged facts, and the per-day sums they feed."""

from connector_runtime.db import Connection

from gateway.core.home_facts import OrderFacts
from gateway.core.home_tally import Tally


async def load_facts(conn: Connection, connection_id: str, order_id: str) -> OrderFacts:
    """The order's facts, its row locked for this transaction (events of one order arrive
    on several topics at once: their changes to the sums must not interleave)."""
    await conn.execute(
        "INSERT INTO home_orders (connection_id, tiktok_order_id, facts) VALUES ($1, $2, '{}')"
        " ON CONFLICT DO NOTHING",
        connection_id,
        order_id,
    )
    raw = await conn.fetchval(
        "SELECT facts::text FROM home_orders WHERE connection_id = $1 AND tiktok_order_id = $2"
        " FOR UPDATE",
        connection_id,
        order_id,
    )
    return OrderFacts.model_validate_json(raw)


async def save_facts(
    conn: Connection, connection_id: str, order_id: str, facts: OrderFacts
) -> None:
    """Store the order's new facts."""
    bucket = facts.bucket
    await conn.execute(
        "UPDATE home_orders SET region = $3, day = $4, bucket = $5, shopify_order_id = $6,"
        " facts = $7::jsonb, updated_at = now() WHERE connection_id = $1 AND tiktok_order_id = $2",
        connection_id,
        order_id,
        facts.region,
        facts.day,
        bucket.value if bucket else None,
        facts.sale.shopify_order_id if facts.sale else None,
        facts.model_dump_json(),
    )


async def add(conn: Connection, connection_id: str, region: str, change: Tally) -> None:
    """Move the region's per-day sums by `change`."""
    at = (connection_id, region)
    await conn.executemany(
        "INSERT INTO home_count_days AS t VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (connection_id, region, day, bucket)"
        " DO UPDATE SET orders = t.orders + EXCLUDED.orders",
        [(*at, r.day, r.bucket.value, r.orders) for r in change.counts],
    )
    await conn.executemany(
        "INSERT INTO home_revenue_days AS t VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (connection_id, region, day, currency)"
        " DO UPDATE SET amount = t.amount + EXCLUDED.amount, orders = t.orders + EXCLUDED.orders",
        [(*at, r.day, r.currency, r.amount, r.orders) for r in change.revenue],
    )
    await conn.executemany(
        "INSERT INTO home_product_days AS t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (connection_id, region, day, currency, product_id, sku_id)"
        " DO UPDATE SET quantity = t.quantity + EXCLUDED.quantity,"
        " amount = t.amount + EXCLUDED.amount, name = EXCLUDED.name,"
        " seller_sku = EXCLUDED.seller_sku",
        [
            (
                *at,
                r.day,
                r.currency,
                r.product_id,
                r.sku_id,
                r.name,
                r.seller_sku,
                r.quantity,
                r.amount,
            )
            for r in change.products
        ],
    )
    await conn.executemany(
        "INSERT INTO home_customer_days AS t VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (connection_id, region, day, currency, buyer_id)"
        " DO UPDATE SET orders = t.orders + EXCLUDED.orders, amount = t.amount + EXCLUDED.amount,"
        " buyer_name = COALESCE(EXCLUDED.buyer_name, t.buyer_name)",
        [
            (*at, r.day, r.currency, r.buyer_id, r.buyer_name, r.orders, r.amount)
            for r in change.customers
        ],
    )
    await _drop_emptied(conn, at, change)


async def _drop_emptied(conn: Connection, at: tuple[str, str], change: Tally) -> None:
    # Rows a change took to zero go: a buyer taken out (redaction, cancellation) leaves no row
    # with their masked name behind, and a product no longer sold is not a "top" one.
    key = "connection_id = $1 AND region = $2 AND day = $3"
    await conn.executemany(
        f"DELETE FROM home_count_days WHERE {key} AND bucket = $4 AND orders = 0",
        [(*at, r.day, r.bucket.value) for r in change.counts if r.orders < 0],
    )
    await conn.executemany(
        f"DELETE FROM home_revenue_days WHERE {key} AND currency = $4"
        " AND orders = 0 AND amount = 0",
        [(*at, r.day, r.currency) for r in change.revenue if r.orders < 0],
    )
    await conn.executemany(
        f"DELETE FROM home_product_days WHERE {key} AND currency = $4"
        " AND product_id = $5 AND sku_id = $6 AND quantity = 0 AND amount = 0",
        [
            (*at, r.day, r.currency, r.product_id, r.sku_id)
            for r in change.products
            if r.quantity < 0
        ],
    )
    await conn.executemany(
        f"DELETE FROM home_customer_days WHERE {key} AND currency = $4"
        " AND buyer_id = $5 AND orders = 0 AND amount = 0",
        [(*at, r.day, r.currency, r.buyer_id) for r in change.customers if r.orders < 0],
    )


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
    for table in (
        "home_orders",
        "home_count_days",
        "home_revenue_days",
        "home_product_days",
        "home_customer_days",
    ):
        await conn.execute(f"DELETE FROM {table} WHERE connection_id = $1", connection_id)
