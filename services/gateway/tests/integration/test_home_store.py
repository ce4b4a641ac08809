"""The Home read model on PostgreSQL: events of an order in any order and repeated leave it
counted once; a cancellation or a redaction leaves no row behind; a period sums its days."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from connector_connections.replica import upsert_connection
from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    OrderCancelled,
    OrderRelayed,
    OrderShipped,
    RelayedLine,
)
from connector_devstack.infra import Infra
from connector_runtime import db
from connector_runtime.db import Connection
from gateway import home_reads, home_store
from gateway.core.home_facts import ERASED, cancelled_facts, relayed_facts, shipped_facts
from gateway.core.home_views import OrderCounts, Period, ProductGroup, ProductsBy
from gateway.home_handlers import record
from gateway.home_reads import Scope

pytestmark = pytest.mark.integration

CID, SHOP = "conn_home", "home.myshopify.com"
NOV_3 = datetime(2026, 11, 3, 10, tzinfo=UTC)
NOV_20 = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
async def conn(infra: Infra) -> AsyncIterator[Connection]:
    schema = f"home_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(pool, schema, db.service_migrations(["connector_connections", "gateway"]))
        async with pool.acquire() as c:
            await upsert_connection(
                c,
                ConnectionChanged(
                    connection_id=CID,
                    revision=1,
                    name="home",
                    status=ConnectionStatus.ACTIVE,
                    shopify_shop_domain=SHOP,
                    tiktok_region="US",
                ),
            )
            yield c
    finally:
        await pool.close()


def relayed(
    order_id: str, total: str, buyer: str, paid: datetime, attempt: int = 1
) -> OrderRelayed:
    return OrderRelayed(
        tiktok_order_id=order_id,
        shopify_order_id=f"gid://shopify/Order/{order_id}",
        total=Decimal(total),
        currency="USD",
        attempt=attempt,
        region="US",
        paid_at=paid,
        buyer_id=buyer,
        buyer_name="A***n K***g",
        lines=[
            RelayedLine(
                tiktok_product_id="p1", tiktok_sku_id="s1", quantity=1, amount=Decimal(total)
            )
        ],
    )


async def sold(conn: Connection, order_id: str, total: str, buyer: str, paid: datetime) -> None:
    facts = relayed_facts(relayed(order_id, total, buyer, paid), paid)
    await record(conn, CID, order_id, facts, "order.relayed")


async def rows(conn: Connection, table: str) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))


def everything() -> Scope:
    return Scope(CID, "US", Period())


async def test_a_shipment_before_its_relay_and_a_repeated_relay_count_the_order_once(
    conn: Connection,
) -> None:
    shipment = OrderShipped(
        tiktok_order_id="o1", package_ids=["pk"], tracking_number="1Z", shipping_provider_id="u",
        complete=True,
    )  # fmt: skip
    await record(conn, CID, "o1", shipped_facts(shipment), "order.shipped")
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    await sold(conn, "o1", "20.00", "ann", NOV_3)  # found again by a later attempt
    assert await home_reads.order_counts(conn, everything()) == OrderCounts(fulfilled=1)
    [revenue] = await home_reads.revenue(conn, everything())
    assert (revenue.amount, revenue.orders) == (Decimal("20.00"), 1)


async def test_a_cancelled_order_leaves_no_product_or_customer_row(conn: Connection) -> None:
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    cancel = OrderCancelled(
        tiktok_order_id="o1", initiator="BUYER", cancelled_at=NOV_20, region="US"
    )
    await record(conn, CID, "o1", cancelled_facts(cancel), "order.cancelled")
    assert await home_reads.order_counts(conn, everything()) == OrderCounts(cancelled=1)
    assert await home_reads.revenue(conn, everything()) == []
    assert await rows(conn, "home_product_days") == await rows(conn, "home_customer_days") == 0


async def test_a_period_sums_only_its_days(conn: Connection) -> None:
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    await sold(conn, "o2", "7.50", "ben", NOV_20)
    november_3 = Scope(CID, "US", Period(start=date(2026, 11, 1), end=date(2026, 11, 10)))
    [revenue] = await home_reads.revenue(conn, november_3)
    assert revenue.amount == Decimal("20.00")
    [(_, top)] = await home_reads.top_products(conn, november_3, ProductGroup.SKU, ProductsBy.COUNT)
    assert (top.tiktok_sku_id, top.quantity) == ("s1", 1)
    assert [r[0] for r in await home_reads.sold_orders(conn, november_3)] == ["o1"]


async def test_a_redaction_erases_the_buyer_of_every_order_of_theirs_and_keeps_the_sales(
    conn: Connection,
) -> None:
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    await sold(conn, "o2", "5.00", "ann", NOV_20)
    await sold(conn, "o3", "9.00", "ben", NOV_20)
    found = await home_store.orders_of_redacted(conn, SHOP, ["gid://shopify/Order/o1"])
    assert sorted(found) == [(CID, "o1"), (CID, "o2")]
    for cid, order_id in found:
        await record(conn, cid, order_id, ERASED, "redact")
    # A late repeat of a relayed event brings nobody back.
    await sold(conn, "o2", "5.00", "ann", NOV_20)
    names = await conn.fetch("SELECT buyer_id FROM home_customer_days")
    assert [r["buyer_id"] for r in names] == ["ben"]
    held = await conn.fetchval("SELECT count(*) FROM home_orders WHERE facts::text LIKE '%ann%'")
    assert held == 0
    [revenue] = await home_reads.revenue(conn, everything())
    assert revenue.amount == Decimal("34.00")


async def test_shop_redact_forgets_the_dashboard(conn: Connection) -> None:
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    await home_store.forget(conn, CID)
    for table in ("home_orders", "home_count_days", "home_revenue_days", "home_product_days"):
        assert await rows(conn, table) == 0
