"""The Home read model on PostgreSQL: events of an order in any order and repeated leave it
counted once; a cancellation or a redaction leaves no row behind; a period sums its days."""

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from random import Random

import pytest
from connector_connections.replica import upsert_connection
from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    OrderCancelled,
    OrderRelayed,
    OrderShipped,
    ProductSyncChanged,
    ProductSyncStatus,
    RegionSyncStatus,
    RelayedLine,
    new_envelope,
)
from connector_devstack.infra import Infra
from connector_runtime import db
from connector_runtime.db import Connection
from gateway import home_reads, home_store
from gateway.core.home_facts import ERASED, cancelled_facts, relayed_facts, shipped_facts
from gateway.core.home_views import CustomersBy, OrderCounts, Period, ProductGroup, ProductsBy
from gateway.home_handlers import OrderEvent, record, record_orders, record_product
from gateway.home_reads import Scope
from gateway.metrics import HOME_TOP_READS

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
    return Scope(CID, "US", Period(), "US1")


async def product(
    conn: Connection, pid: str, revision: int, deleted: bool = False, **regions: ProductSyncStatus
) -> None:
    event = ProductSyncChanged(
        shopify_product_id=pid,
        revision=revision,
        deleted=deleted,
        regions=[RegionSyncStatus(tiktok_shop_id=shop, status=s) for shop, s in regions.items()],
    )
    await record_product(conn, new_envelope(event, connection_id=CID))


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
    assert await rows(conn, "home_product_sums") == await rows(conn, "home_customer_sums") == 0


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
    names = await conn.fetch("SELECT DISTINCT buyer_id FROM home_customer_sums")
    assert [r["buyer_id"] for r in names] == ["ben"]
    held = await conn.fetchval("SELECT count(*) FROM home_orders WHERE facts::text LIKE '%ann%'")
    assert held == 0
    [revenue] = await home_reads.revenue(conn, everything())
    assert revenue.amount == Decimal("34.00")


async def test_shop_redact_forgets_the_dashboard(conn: Connection) -> None:
    await sold(conn, "o1", "20.00", "ann", NOV_3)
    await home_store.forget(conn, CID)
    await product(conn, "p1", 1)
    await home_store.forget(conn, CID)
    for table in (
        "home_orders",
        "home_count_days",
        "home_revenue_days",
        "home_product_sums",
        "home_products",
        "home_product_totals",
        "home_product_counts",
    ):
        assert await rows(conn, table) == 0


async def test_product_counts_keep_each_products_newest_revision_in_any_order(
    conn: Connection,
) -> None:
    synced, failed = ProductSyncStatus.SYNCED, ProductSyncStatus.SYNC_FAILED
    await product(conn, "p1", 2, US1=synced, GB1=failed)
    await product(conn, "p1", 1, US1=failed)  # older, arrived late: changes nothing
    await product(conn, "p2", 1)  # pulled, pushed nowhere
    await product(conn, "p3", 1, US1=ProductSyncStatus.UPDATE_FAILED)
    await product(conn, "p3", 2, deleted=True, US1=ProductSyncStatus.UPDATE_FAILED)
    await product(conn, "p3", 2, deleted=True)  # a redelivery of the same revision
    us = await home_reads.product_counts(conn, everything())
    assert (us.synced.count, us.not_synced.count, us.sync_failed.count) == (1, 1, 0)
    assert us.update_failed.count == 0
    gb = await home_reads.product_counts(conn, Scope(CID, "GB", Period(), "GB1"))
    assert (gb.synced.count, gb.not_synced.count, gb.sync_failed.count) == (0, 1, 1)
    assert us.synced.link == f"/api/v1/catalog/{CID}/products?region=US&status=synced"


def random_sales(rng: Random, count: int) -> list[tuple[OrderRelayed, bool]]:
    """`count` orders over four months across a new year: 250 products of two SKUs, 300
    buyers, a tenth in EUR; `True` for the ones cancelled later."""
    sales = []
    for n in range(count):
        paid = datetime(2025, 11, 1, 12, tzinfo=UTC) + timedelta(days=rng.randrange(120))
        lines = []
        for _ in range(rng.randint(1, 2)):
            product, quantity = f"p{rng.randrange(250)}", rng.randint(1, 3)
            lines.append(
                RelayedLine(
                    tiktok_product_id=product, tiktok_sku_id=f"{product}-s{rng.randrange(2)}",
                    quantity=quantity, amount=Decimal(rng.randint(1, 40) * quantity)
                    + Decimal(rng.choice((0, 0, 0, 25, 99))) / 100,
                    product_name=f"Product {product}",
                )
            )  # fmt: skip
        sales.append(
            (
                OrderRelayed(
                    tiktok_order_id=f"o{n}", shopify_order_id=f"gid://shopify/Order/{n}",
                    total=sum((line.amount for line in lines), Decimal(0)),
                    currency="EUR" if n % 10 == 0 else "USD", attempt=1, region="US",
                    paid_at=paid, buyer_id=f"b{rng.randrange(300)}", buyer_name="B***r",
                    lines=lines,
                ),
                rng.random() < 0.1,
            )
        )  # fmt: skip
    return sales


def expected_tops(
    sales: list[tuple[OrderRelayed, bool]], first: date | None, last: date | None
) -> dict[str, list[tuple[object, ...]]]:
    """Each list's top 10 per currency by summing the period's sold orders, best first."""
    sums: dict[tuple[str, str], dict[tuple[str, ...], list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    for order, cancelled in sales:
        day = order.paid_at.date() if order.paid_at else None
        if cancelled or day is None or not (first or day) <= day <= (last or day):
            continue
        c = order.currency
        for line in order.lines:
            for group, key in (
                ("product", (line.tiktok_product_id,)),
                ("sku", (line.tiktok_product_id, line.tiktok_sku_id)),
            ):
                held = sums[(group, c)][key]
                held[0] += line.quantity
                held[1] += line.amount  # fmt: skip
        held = sums[("customer", c)][(order.buyer_id or "",)]
        held[0] += 1
        held[1] += order.total
    tops: dict[str, list[tuple[object, ...]]] = {
        f"{g}/{m}": [] for g in ("product", "sku", "customer") for m in (0, 1)
    }
    for (group, currency), by_key in sorted(sums.items(), key=lambda i: i[0][1]):
        for metric in (0, 1):
            best = sorted(by_key.items(), key=lambda kv: (-kv[1][metric], kv[0]))[:10]
            tops[f"{group}/{metric}"] += [(currency, *k, *v) for k, v in best]
    return tops


async def shown_tops(conn: Connection, scope: Scope) -> dict[str, list[tuple[object, ...]]]:
    tops: dict[str, list[tuple[object, ...]]] = {}
    for metric, by in enumerate((ProductsBy.COUNT, ProductsBy.AMOUNT)):
        for group in ProductGroup:
            rows = await home_reads.top_products(conn, scope, group, by)
            tops[f"{group.value}/{metric}"] = [
                (c, p.tiktok_product_id, *([p.tiktok_sku_id] if p.tiktok_sku_id else []),
                 Decimal(p.quantity), p.amount)
                for c, p in rows
            ]  # fmt: skip
    for metric, customers_by in enumerate((CustomersBy.ORDERS, CustomersBy.AMOUNT)):
        buyers = await home_reads.top_customers(conn, scope, customers_by)
        tops[f"customer/{metric}"] = [
            (c, b.buyer_id, Decimal(b.orders), b.amount) for c, b in buyers
        ]
    return tops


async def test_every_periods_tops_are_what_its_sold_orders_sum_to(conn: Connection) -> None:
    """Off one block's index (a day, a month, all time), off a cover ranked page by page (most
    of a month, a span across the new year), or summed over a short period's blocks: always
    the top 10 that summing the period's orders gives, ties ranked by key. The orders arrive
    in batches, repeated, and some are cancelled later."""
    sales = random_sales(Random(14), 1200)
    relays = [
        OrderEvent(CID, o.tiktok_order_id, relayed_facts(o, NOV_3), "order.relayed")
        for o, _ in sales
    ]
    cancels = [
        OrderEvent(CID, o.tiktok_order_id, cancelled_facts(OrderCancelled(
            tiktok_order_id=o.tiktok_order_id, initiator="BUYER", cancelled_at=NOV_20,
            region="US")), "order.cancelled")
        for o, cancelled in sales if cancelled
    ]  # fmt: skip
    before = {p: HOME_TOP_READS.labels(p)._value.get() for p in ("index", "cover", "summed")}
    for at in range(0, len(relays), 400):
        await record_orders(conn, relays[at : at + 400] + relays[at : at + 50])
    await record_orders(conn, cancels)
    for first, last in [
        (None, None),
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2025, 12, 9), date(2025, 12, 9)),
        (date(2025, 12, 2), date(2025, 12, 31)),
        (date(2025, 11, 3), date(2026, 2, 20)),
        (date(2025, 12, 10), date(2025, 12, 16)),
        (date(2026, 1, 5), None),
        (date(2027, 1, 1), None),
    ]:
        scope = Scope(CID, "US", Period(start=first, end=last))
        assert await shown_tops(conn, scope) == expected_tops(sales, first, last), (first, last)
    paths = {p: HOME_TOP_READS.labels(p)._value.get() - before[p] for p in before}
    assert all(paths.values()), paths  # every path was taken
