"""A TikTok review that overtakes the commit of the push linking its product is not lost."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg
import pytest
from catalog_sync import store
from catalog_sync.core.models import SourceProduct, SourceVariant
from catalog_sync.reviews import apply_pending_review, on_review
from connector_devstack.infra import Infra
from connector_runtime import db

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
