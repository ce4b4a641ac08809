"""Reading the Home dashboard: a period's counts and revenue summed over its days, its tops
off the calendar blocks (`home_tops`), and its sold orders."""

from dataclasses import dataclass, replace
from datetime import date

from connector_runtime.db import Connection

from gateway import home_product_store, home_tops
from gateway.core import home_views as views
from gateway.core.home_facts import SOLD
from gateway.core.home_views import (
    CurrencyRevenue,
    CustomersBy,
    OrderCounts,
    Period,
    ProductCounts,
    ProductGroup,
    ProductsBy,
    TopCustomer,
    TopProduct,
)
from gateway.home_tops import Ranking

# $1 connection, $2 region, $3 first day, $4 last day (None: open). Bounds, not "$3 IS NULL
# OR day >= $3": a prepared statement's generic plan cannot bound the index range through the
# OR, and would read every day of the connection for any period.
_IN_PERIOD = (
    "connection_id = $1 AND region = $2"
    " AND day BETWEEN COALESCE($3::date, '-infinity') AND COALESCE($4::date, 'infinity')"
)


@dataclass(frozen=True)
class Scope:
    """One connection's region over a period."""

    connection_id: str
    region: str
    period: Period
    shop_id: str = ""  # the region's shop ('' for a connection without one)

    def args(self) -> tuple[object, ...]:
        return (self.connection_id, self.region, self.period.start, self.period.end)

    def at(self) -> tuple[str, str]:
        return (self.connection_id, self.region)

    def bounds(self) -> tuple[date | None, date | None]:
        return (self.period.start, self.period.end)


async def product_counts(conn: Connection, scope: Scope) -> ProductCounts:
    """The region's products per sync status (incremental counts: no product is read)."""
    live, counted = await home_product_store.counts(conn, scope.connection_id, scope.shop_id)
    return views.product_counts(scope.connection_id, scope.region, live, counted)


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


# By amount ranks on the amount in hundredths, a bigint (ADR 1035); the numeric is shown.
_BY_AMOUNT = "amount_minor"
_PRODUCTS = Ranking("home_product_sums", (), ("product_id", "sku_id"),
                    ("quantity", "amount", _BY_AMOUNT), ("name", "seller_sku"), _BY_AMOUNT)  # fmt: skip
_CUSTOMERS = Ranking("home_customer_sums", (), ("buyer_id",), ("orders", "amount", _BY_AMOUNT),
                     ("buyer_name",), "orders")  # fmt: skip


async def top_products(
    conn: Connection, scope: Scope, group: ProductGroup, by: ProductsBy
) -> list[tuple[str, TopProduct]]:
    """The 10 best sellers of each currency, best first."""
    per_sku = group is ProductGroup.SKU
    metric = _BY_AMOUNT if by is ProductsBy.AMOUNT else "quantity"
    ranking = replace(_PRODUCTS, filters=(("per_sku", per_sku),), metric=metric)
    rows = await home_tops.top(conn, scope.at(), scope.bounds(), ranking)
    return [
        (
            currency,
            TopProduct(
                tiktok_product_id=r["product_id"],
                tiktok_sku_id=r["sku_id"] if per_sku else None,
                name=r["name"],
                seller_sku=r["seller_sku"] if per_sku else None,
                quantity=int(r["quantity"]),
                amount=r["amount"],
            ),
        )
        for currency, r in rows
    ]


async def top_customers(
    conn: Connection, scope: Scope, by: CustomersBy
) -> list[tuple[str, TopCustomer]]:
    """The 10 best buyers of each currency, best first."""
    metric = _BY_AMOUNT if by is CustomersBy.AMOUNT else "orders"
    rows = await home_tops.top(conn, scope.at(), scope.bounds(), replace(_CUSTOMERS, metric=metric))
    return [
        (
            currency,
            TopCustomer(
                buyer_id=r["buyer_id"],
                masked_name=r["buyer_name"],
                orders=int(r["orders"]),
                amount=r["amount"],
            ),
        )
        for currency, r in rows
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
