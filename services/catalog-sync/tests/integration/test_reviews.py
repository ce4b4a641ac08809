"""A TikTok review that overtakes the commit of the push linking its product is not lost."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest
from catalog_sync import store
from catalog_sync.core.models import SourceProduct, SourceVariant
from catalog_sync.reviews import apply_pending_review, on_review
from catalog_sync.store.products import Upserted
from catalog_sync.sync_status_events import announce_products
from connector_contracts import ProductSyncChanged
from connector_devstack.infra import Infra
from connector_runtime import db
from connector_runtime.settings import ServiceSettings

pytestmark = pytest.mark.integration

PRODUCT = SourceProduct(
    shopify_product_id="gid://shopify/Product/1",
    title="Jar",
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    variants=[SourceVariant(shopify_variant_id="gid://shopify/ProductVariant/1", price=Decimal(1))],
)


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "catalog_sync"])
    await db.migrate(pool, schema, migrations)
    async with pool.acquire() as conn:
        await store.upsert_products(conn, "c1", [(PRODUCT, "Jars")])
    yield pool
    await pool.close()


SHOP = "shop-us"  # the region the product is listed in
SETTINGS = ServiceSettings(service_name="catalog-sync")


async def link(conn: asyncpg.Connection, tiktok_id: str) -> None:
    """What a push records when TikTok accepted the product."""
    async with conn.transaction():
        await store.lock_tiktok_product(conn, tiktok_id)
        await store.record_listed(
            conn, "c1", PRODUCT.shopify_product_id, SHOP, tiktok_id, "PENDING", "AUDITING", [], "t"
        )
        await apply_pending_review(conn, "c1", PRODUCT.shopify_product_id, SHOP, tiktok_id)


async def test_a_rejection_before_the_link_is_applied_when_the_link_commits(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn:
        async with conn.transaction():
            await on_review(conn, "tt-1", False, ["Image shows a watermark."])
        assert (
            await store.load_product(conn, "c1", PRODUCT.shopify_product_id, SHOP)
        ).audit_status is None  # type: ignore[union-attr]
        await link(conn, "tt-1")
        record = await store.load_product(conn, "c1", PRODUCT.shopify_product_id, SHOP)
    assert record is not None
    assert (record.status.value, record.audit_status) == ("sync_failed", "FAILED")
    assert "watermark" in (record.reason or "")


async def test_a_review_after_the_link_applies_at_once_and_its_twin_changes_nothing(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn:
        await link(conn, "tt-2")
        for _ in range(2):  # webhooks 5 and 37 report the same review
            async with conn.transaction():
                await on_review(conn, "tt-2", True, [])
        record = await store.load_product(conn, "c1", PRODUCT.shopify_product_id, SHOP)
        assert await store.pop_pending_review(conn, "tt-2") is None
    assert record is not None
    assert (record.status.value, record.tiktok_status, record.audit_status) == (
        "synced",
        "ACTIVATE",
        "APPROVED",
    )


async def test_a_rejection_reported_first_without_reasons_takes_the_reasons_of_its_twin(
    pool: asyncpg.Pool,
) -> None:
    async with pool.acquire() as conn:
        await link(conn, "tt-3")
        # Type 37 (no reasons) overtakes type 5 (with them); a repeat of 5 changes nothing.
        for reasons in ([], ["Image shows a watermark."], ["Image shows a watermark."], []):
            async with conn.transaction():
                await on_review(conn, "tt-3", False, reasons)
        record = await store.load_product(conn, "c1", PRODUCT.shopify_product_id, SHOP)
    assert record is not None
    assert (record.status.value, record.audit_status) == ("sync_failed", "FAILED")
    assert "Image shows a watermark." in (record.reason or "")


async def test_a_repull_reports_only_the_products_it_added_revived_or_changed(
    pool: asyncpg.Pool,
) -> None:
    """What a pull announces (ADR 0930): an unchanged product is neither `product.pulled` nor
    `product.sync.changed` again; a changed one is pulled; a new or revived one is both."""
    renamed = PRODUCT.model_copy(update={"title": "Big jar"})
    new = PRODUCT.model_copy(update={"shopify_product_id": "gid://shopify/Product/2"})
    pid, new_id = PRODUCT.shopify_product_id, new.shopify_product_id
    async with pool.acquire() as conn:
        await announce_products(conn, SETTINGS, "c1", [pid])
        assert await store.upsert_products(conn, "c1", [(PRODUCT, "Jars")]) == Upserted([], [])
        got = await store.upsert_products(conn, "c1", [(renamed, "Jars"), (new, "Jars")])
        assert got == Upserted(announce=[new_id], changed=[pid, new_id])
        await announce_products(conn, SETTINGS, "c1", [new_id])
        assert await store.upsert_products(conn, "c1", [(new, "Candles")]) == Upserted([], [new_id])
        assert await store.mark_deleted(conn, "c1", pid)
        assert await store.upsert_products(conn, "c1", [(renamed, "Jars")]) == Upserted(
            [pid], [pid]
        )
        title = await conn.fetchval("SELECT title FROM products WHERE shopify_product_id = $1", pid)
        assert title == "Big jar"


async def test_a_pull_announces_a_product_never_announced_once(pool: asyncpg.Pool) -> None:
    """A product listed before ADR 0920 (revision 0, no `product.sync.changed` yet) is
    announced by its next pull, unchanged or not, so a re-pull backfills Home's counts; once
    announced, a re-pull of it is quiet again (ADR 0941)."""
    pid = PRODUCT.shopify_product_id
    async with pool.acquire() as conn:
        await link(conn, "tt-9")  # listed, but nothing announced it (as before ADR 0920)
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
        for _ in range(2):  # what `pulling.store_pulled` does with each pulled batch
            async with conn.transaction():
                upserted = await store.upsert_products(conn, "c1", [(PRODUCT, "Jars")])
                await announce_products(conn, SETTINGS, "c1", upserted.announce)
        sent = await conn.fetch("SELECT key, value FROM outbox WHERE topic = $1",
                                SETTINGS.topic(ProductSyncChanged.topic()))  # fmt: skip
    assert [r["key"] for r in sent] == [pid]
    event = ProductSyncChanged.model_validate(json.loads(sent[0]["value"])["payload"])
    assert (event.revision, [(r.tiktok_shop_id, r.status.value) for r in event.regions]) == (
        1,
        [(SHOP, "synced")],
    )
