"""Products deleted in Shopify end deactivated on TikTok Shop: after a review that was still
running, and in every market a Global Product was published to."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

import asyncpg
import pytest
from catalog_sync import store
from catalog_sync.core.global_products import GlobalStatus, RegionPublication
from catalog_sync.core.models import SourceProduct, SourceVariant
from catalog_sync.deleting import after_review, on_product_deleted
from catalog_sync.reviews import on_review
from connector_connections import PlatformClients
from connector_devstack.infra import Infra
from connector_runtime import db
from tiktok_shop.models.common import ErrorsResult, ItemError
from tiktok_shop.models.global_products import GlobalProductDetail, LocalProductLink
from tiktok_shop.models.shops import AuthorizedShop

pytestmark = pytest.mark.integration

PID = "gid://shopify/Product/1"
PRODUCT = SourceProduct(
    shopify_product_id=PID,
    title="Jar",
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    variants=[SourceVariant(shopify_variant_id="gid://shopify/ProductVariant/1", price=Decimal(1))],
)


@dataclass
class FakeTikTok:
    """TikTok as far as deletions go: product statuses per shop, like the sandbox's rules."""

    statuses: dict[str, str]
    shop: str = "DE"
    calls: list[tuple[str, list[str]]] = field(default_factory=list)
    markets: list[LocalProductLink] = field(default_factory=list)

    @property
    def products(self) -> "FakeTikTok":
        return self

    @property
    def global_products(self) -> "FakeTikTok":
        return self

    def with_shop(self, cipher: str) -> "FakeTikTok":
        return FakeTikTok(self.statuses, cipher.removeprefix("cipher-"), self.calls, self.markets)

    async def authorized_shops(self) -> list[AuthorizedShop]:
        return [
            AuthorizedShop.model_validate({"id": r, "region": r, "cipher": f"cipher-{r}"})
            for r in ("DE", "FR", "IT")
        ]

    async def get(self, global_product_id: str) -> GlobalProductDetail:
        return GlobalProductDetail(id=global_product_id, products=self.markets)

    async def deactivate(self, ids: list[str]) -> ErrorsResult:
        self.calls.append((self.shop, ids))
        errors = []
        for pid in ids:
            if self.statuses.get(pid) in ("ACTIVATE", "SELLER_DEACTIVATED"):
                self.statuses[pid] = "SELLER_DEACTIVATED"
            else:
                message = "The product in its current status is not available for this operation."
                errors.append(ItemError(code=12052901, message=message, detail={"product_id": pid}))
        return ErrorsResult(errors=errors)


def clients(tiktok: FakeTikTok) -> PlatformClients:
    return cast(PlatformClients, type("Clients", (), {"tiktok": tiktok})())


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.package_migrations("connector_connections") + db.package_migrations(
        "catalog_sync"
    )
    await db.migrate(pool, schema, migrations)
    async with pool.acquire() as conn:
        await store.upsert_products(conn, "c1", [(PRODUCT, "Jars")])
    yield pool
    await pool.close()


async def listed_under_review(conn: asyncpg.Connection, tiktok_id: str) -> None:
    await store.record_listed(conn, "c1", PID, tiktok_id, "PENDING", "AUDITING", [], "t")


async def review(
    conn: asyncpg.Connection, tiktok: FakeTikTok, tiktok_id: str, approved: bool
) -> None:
    """What the review handler does: apply the review, then finish a deletion it waited for."""
    async with conn.transaction():
        record = await on_review(conn, tiktok_id, approved, [] if approved else ["Blurry."])
        if record is not None and record.deleted:
            await after_review(conn, clients(tiktok), record, approved)


async def test_a_product_deleted_under_review_is_deactivated_when_the_review_approves_it(
    pool: asyncpg.Pool,
) -> None:
    tiktok = FakeTikTok({"tt-1": "PENDING"})
    async with pool.acquire() as conn:
        await listed_under_review(conn, "tt-1")
        async with conn.transaction():
            assert await on_product_deleted(conn, clients(tiktok), "c1", PID)
        waiting = await store.load_product(conn, "c1", PID)
        tiktok.statuses["tt-1"] = "ACTIVATE"  # TikTok approves: webhooks 5 and 37
        for _ in range(2):
            await review(conn, tiktok, "tt-1", approved=True)
        done = await store.load_product(conn, "c1", PID)
    assert waiting is not None
    assert done is not None
    assert (waiting.deleted, waiting.tiktok_status, waiting.status.value) == (
        True,
        "PENDING",
        "synced",
    )
    assert "deactivates it as soon as the review ends" in (waiting.reason or "")
    assert (done.tiktok_status, done.status.value, done.audit_status) == (
        "SELLER_DEACTIVATED",
        "synced",
        "APPROVED",
    )
    assert done.reason == "Deleted in Shopify; deactivated on TikTok Shop."
    assert tiktok.statuses["tt-1"] == "SELLER_DEACTIVATED"
    assert len(tiktok.calls) == 2  # the refused try, then one after the approval (not its twin)


async def test_a_product_deleted_under_review_and_rejected_stays_off_sale(
    pool: asyncpg.Pool,
) -> None:
    tiktok = FakeTikTok({"tt-2": "PENDING"})
    async with pool.acquire() as conn:
        await listed_under_review(conn, "tt-2")
        async with conn.transaction():
            await on_product_deleted(conn, clients(tiktok), "c1", PID)
        tiktok.statuses["tt-2"] = "FAILED"
        for _ in range(2):
            await review(conn, tiktok, "tt-2", approved=False)
        record = await store.load_product(conn, "c1", PID)
    assert record is not None
    assert (record.tiktok_status, record.audit_status) == ("FAILED", "FAILED")
    assert record.reason == (
        "Deleted in Shopify; TikTok Shop's review rejected it, so it is not on sale."
    )
    assert len(tiktok.calls) == 1


async def test_a_deleted_global_product_is_deactivated_in_every_market_it_was_published_to(
    pool: asyncpg.Pool,
) -> None:
    # FR was published through the connector; IT's publish answer was lost, TikTok knows it.
    tiktok = FakeTikTok(
        {"fr-1": "ACTIVATE", "it-1": "ACTIVATE"},
        markets=[LocalProductLink(region="IT", id="it-1")],
    )
    async with pool.acquire() as conn:
        await store.record_global(conn, "c1", PID, GlobalStatus.SYNCED, None, "g-1", {})
        published = RegionPublication(status="published", product_id="fr-1")
        await store.record_publication(conn, "c1", PID, "FR", published)
        async with conn.transaction():
            await on_product_deleted(conn, clients(tiktok), "c1", PID)
        record = await store.load_product(conn, "c1", PID)
    assert record is not None
    assert sorted(tiktok.calls) == [("FR", ["fr-1"]), ("IT", ["it-1"])]  # each market's shop
    assert tiktok.statuses == {"fr-1": "SELLER_DEACTIVATED", "it-1": "SELLER_DEACTIVATED"}
    assert record.reason == "Deleted in Shopify; deactivated on TikTok Shop in FR, IT."
    assert {r: p.tiktok_status for r, p in record.published.items()} == {
        "FR": "SELLER_DEACTIVATED",
        "IT": "SELLER_DEACTIVATED",
    }


async def test_a_market_that_refuses_is_named_with_tiktoks_words(pool: asyncpg.Pool) -> None:
    tiktok = FakeTikTok({"fr-1": "ACTIVATE", "it-1": "PENDING"})
    async with pool.acquire() as conn:
        await store.record_global(conn, "c1", PID, GlobalStatus.SYNCED, None, "g-1", {})
        for region in ("FR", "IT"):
            published = RegionPublication(status="published", product_id=f"{region.lower()}-1")
            await store.record_publication(conn, "c1", PID, region, published)
        async with conn.transaction():
            await on_product_deleted(conn, clients(tiktok), "c1", PID)
        record = await store.load_product(conn, "c1", PID)
    assert record is not None
    assert record.status.value == "update_failed"
    assert "deactivated on TikTok Shop in FR, but not in IT: The product in its current" in (
        record.reason or ""
    )
    assert record.published["IT"].tiktok_status is None
