"""The Home dashboard of a connection's region (Silk "Connector Overview"), and its revenue
download: served from the gateway's read model of order-relay's outcome events (ADR 0910)."""

import csv
import io
from datetime import date
from typing import Annotated

from connector_connections import region_of, region_shop_id
from connector_connections.replica import load_connection
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from gateway import home_reads
from gateway.api.deps import Db
from gateway.core.home_views import (
    CSV_HEADER,
    CustomersBy,
    Home,
    Period,
    ProductGroup,
    ProductsBy,
    tops_by_currency,
)
from gateway.home_reads import Scope

router = APIRouter(prefix="/api/v1/home", tags=["home"])

RegionQuery = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z]{2}$", description="TikTok market; the default region when left out."),
]
FromQuery = Annotated[date | None, Query(alias="from", description="First day (UTC), included.")]
ToQuery = Annotated[date | None, Query(alias="to", description="Last day (UTC), included.")]
_ERRORS: dict[int | str, dict[str, str]] = {
    404: {"description": "Unknown connection, or no shop in that region"},
    422: {"description": "Bad parameters (e.g. `from` after `to`)"},
}


async def home_scope(
    connection_id: str,
    db: Db,
    region: RegionQuery = None,
    start: FromQuery = None,
    end: ToQuery = None,
) -> Scope:
    """The connection's region and period a request asks for (404 / 422 when it can't be)."""
    if start and end and start > end:
        raise HTTPException(422, "`from` must not be after `to`")
    connection = await load_connection(db, connection_id)
    if connection is None:  # the login gate has checked it is the caller's
        raise HTTPException(404, f"no connection {connection_id}")
    shop_id = region_shop_id(connection, region)
    if shop_id is None:
        raise HTTPException(404, f"connection {connection_id} has no shop in region {region}")
    period = Period(start=start, end=end)
    return Scope(connection_id, region_of(connection, shop_id), period, shop_id)


HomeScope = Annotated[Scope, Depends(home_scope)]


@router.get("/{connection_id}", response_model=Home, responses=_ERRORS)
async def get_home(
    scope: HomeScope,
    db: Db,
    products_by: ProductsBy = ProductsBy.AMOUNT,
    group_by: ProductGroup = ProductGroup.PRODUCT,
    customers_by: CustomersBy = CustomersBy.ORDERS,
) -> Home:
    """Products per sync status, orders per tab, revenue per currency, top 10 products and customers, for a period."""
    # One snapshot for every figure: read statement by statement, an order committed between
    # the tops and the revenue showed in one and not the other (ADR 1031).
    async with db.transaction(isolation="repeatable_read", readonly=True):
        products = await home_reads.top_products(db, scope, group_by, products_by)
        customers = await home_reads.top_customers(db, scope, customers_by)
        return Home(
            connection_id=scope.connection_id,
            region=scope.region,
            period=scope.period,
            products=await home_reads.product_counts(db, scope),
            orders=await home_reads.order_counts(db, scope),
            revenue=await home_reads.revenue(db, scope),
            top=tops_by_currency(products, customers),
        )


@router.get(
    "/{connection_id}/revenue.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_ERRORS},
)
async def get_revenue_csv(scope: HomeScope, db: Db) -> Response:
    """The period's sold orders, one a row: their totals sum to the period's revenue."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(await home_reads.sold_orders(db, scope))
    p = scope.period
    name = (
        f"revenue-{scope.connection_id}-{scope.region}-{p.start or 'start'}-{p.end or 'today'}.csv"
    )
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
