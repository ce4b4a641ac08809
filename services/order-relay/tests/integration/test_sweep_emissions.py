"""Sweeps during a broker outage: what a sweep emitted and is not consumed yet is not emitted
again by the next sweeps (issue 16: 968 sweep events for about 230 orders in a 90 s pause)."""

import time
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from connector_devstack.infra import Infra
from connector_devstack.sandboxes import (
    IDENTITY_KEY,
    SECRET_KEY,
    SHOPIFY_CLIENT_SECRET,
    TIKTOK_APP_SECRET,
)
from connector_runtime import db
from order_relay.settings import OrderRelaySettings
from order_relay.sweeps import emit_missed
from prometheus_client import REGISTRY
from tiktok_shop.models.orders import Order

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    schema = f"relay_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    await db.migrate(pool, schema, db.service_migrations(["connector_connections", "order_relay"]))
    yield pool
    await pool.close()


def held_back() -> float:
    return REGISTRY.get_sample_value("connector_order_sweep_held_back_total") or 0.0


def paid_order(order_id: str, status: str = "AWAITING_SHIPMENT") -> Order:
    return Order(id=order_id, status=status, update_time=int(time.time()))


async def test_sweeps_emit_an_unconsumed_order_once_and_news_about_it_again(
    pool: asyncpg.Pool,
) -> None:
    settings = OrderRelaySettings(
        database_url="postgresql://unused",
        topic_prefix="t.",
        connector_secret_key=SECRET_KEY,
        connector_identity_key=IDENTITY_KEY,
        shopify_client_secret=SHOPIFY_CLIENT_SECRET,
        tiktok_app_secret=TIKTOK_APP_SECRET,
    )
    found = [paid_order(f"o-{n}") for n in range(3)]
    before = held_back()
    async with pool.acquire() as conn:
        # Five sweeps while nothing is consumed (the broker is away): no order is tracked yet.
        emitted = [await emit_missed(conn, settings, "c1", "shop-1", found) for _ in range(5)]
        held_in_outage = held_back() - before
        cancelled = [paid_order("o-0", "CANCELLED"), *found[1:]]
        after_news = await emit_missed(conn, settings, "c1", "shop-1", cancelled)
        outbox = await conn.fetchval("SELECT count(*) FROM outbox")
    assert emitted == [3, 0, 0, 0, 0]
    assert held_in_outage == 12  # four sweeps held back three orders each
    assert after_news == 1  # a new status of an order is news, emitted at once
    assert held_back() - before == 14  # the other two were held back again
    assert outbox == 4
