"""Reading the Home dashboard: a period's figures summed over its days, and its sold orders."""

from dataclasses import dataclass

from connector_runtime.db import Connection

from gateway.core.home_facts import SOLD
from gateway.core.home_views import (
    CurrencyRevenue,
    CustomersBy,
    OrderCounts,
    Period,
    ProductGroup,
    ProductsBy,
    TopCustomer,
    TopProduct,
)

TOP = 10
# $1 connection, $2 region, $3 first day, $4 last day (None: open).
_IN_PERIOD = (
    "connection_id = $1 AND region = $2"
    " AND ($3::date IS NULL OR day >= $3) AND ($4::date IS NULL OR day <= $4)"
)


@dataclass(frozen=True)
class Scope:
    """One connection's region over a period."""

    connection_id: str
    region: str
    period: Period

    def args(self) -> tuple[object, ...]:
        return (self.connection_id, self.region, self.period.start, self.period.end)


async def order_counts(conn: Connection, scope: Scope) -> OrderCounts:
    """Orders per tab."""
    rows = await conn.fetch(
        f"SELECT bucket, sum(orders) AS n FROM home_count_days WHERE {_IN_PERIOD} GROUP BY bucket",
        *scope.args(),
    )
    return OrderCounts(**{r["bucket"]: int(r["n"]) for r in rows})


async def revenue(conn: Connection, scope: Scope) -> list[CurrencyRevenue]:
    """Revenue per currency."""
    rows = await conn.fetch(
        "SELECT currency, sum(amount) AS amount, sum(orders) AS orders FROM home_revenue_days"
        f" WHERE {_IN_PERIOD} GROUP BY currency ORDER BY currency",
        *scope.args(),
    )
    return [CurrencyRevenue(**dict(r)) for r in rows]


async def top_products(
    conn: Connection, scope: Scope, group: ProductGroup, by: ProductsBy
) -> list[tuple[str, TopProduct]]:
    """The 10 best sellers of each currency, best first."""
    key = "product_id, sku_id" if group is ProductGroup.SKU else "product_id"
    metric = "sum(amount)" if by is ProductsBy.AMOUNT else "sum(quantity)"
    rows = await conn.fetch(
        "SELECT * FROM (SELECT currency, product_id,"
        f" {'sku_id' if group is ProductGroup.SKU else 'NULL'} AS sku_id,"
        f" {'max(seller_sku)' if group is ProductGroup.SKU else 'NULL'} AS seller_sku,"
        " max(name) AS name, sum(quantity) AS quantity, sum(amount) AS amount,"
        f" row_number() OVER (PARTITION BY currency ORDER BY {metric} DESC, {key}) AS rank"
        f" FROM home_product_days WHERE {_IN_PERIOD} GROUP BY currency, {key}) ranked"
        f" WHERE rank <= {TOP} ORDER BY currency, rank",
        *scope.args(),
    )
    return [(r["currency"], _top_product(r)) for r in rows]


def _top_product(row: object) -> TopProduct:
    r = dict(row)  # type: ignore[call-overload]
    return TopProduct(
        tiktok_product_id=r["product_id"],
        tiktok_sku_id=r["sku_id"],
        name=r["name"],
        seller_sku=r["seller_sku"],
        quantity=int(r["quantity"]),
        amount=r["amount"],
    )


async def top_customers(
    conn: Connection, scope: Scope, by: CustomersBy
) -> list[tuple[str, TopCustomer]]:
    """The 10 best buyers of each currency, best first."""
    metric = "sum(amount)" if by is CustomersBy.AMOUNT else "sum(orders)"
    rows = await conn.fetch(
        "SELECT * FROM (SELECT currency, buyer_id, max(buyer_name) AS masked_name,"
        " sum(orders) AS orders, sum(amount) AS amount,"
        f" row_number() OVER (PARTITION BY currency ORDER BY {metric} DESC, buyer_id) AS rank"
        f" FROM home_customer_days WHERE {_IN_PERIOD} GROUP BY currency, buyer_id) ranked"
        f" WHERE rank <= {TOP} ORDER BY currency, rank",
        *scope.args(),
    )
    return [
        (
            r["currency"],
            TopCustomer(
                buyer_id=r["buyer_id"],
                masked_name=r["masked_name"],
                orders=int(r["orders"]),
                amount=r["amount"],
            ),
        )
        for r in rows
    ]


async def sold_orders(conn: Connection, scope: Scope) -> list[tuple[str, ...]]:
    """The period's orders that make its revenue, oldest day first, as CSV rows."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, facts->'sale'->>'shopify_order_name' AS name, day, bucket,"
        " facts->'sale'->>'currency' AS currency, facts->'sale'->>'total' AS total"
        f" FROM home_orders WHERE {_IN_PERIOD} AND bucket = ANY($5::text[])"
        " AND facts->'sale'->>'total' IS NOT NULL AND facts->'sale'->>'currency' IS NOT NULL"
        " ORDER BY day, tiktok_order_id",
        *scope.args(),
        sorted(SOLD),
    )
    return [
        (
            r["tiktok_order_id"],
            r["name"] or "",
            r["day"].isoformat(),
            r["bucket"],
            r["currency"],
            r["total"],
        )
        for r in rows
    ]
