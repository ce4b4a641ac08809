"""Upgrading a database of the previous version. A product's listing state becomes its
connection's default shop's local listing (other regions see it not synced); older tasks are
the connection's. A connection's
product settings become its default shop's (sync rules, listing data, warehouse) and the connection's shared ones (package
defaults, categories source, auto-pull, pull mark); a connection without a shop keeps
them under '' and reads them from any region until that region saves its own."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from catalog_sync import store
from catalog_sync.core.models import CategoriesSource, PackageSetting, SourceProduct
from catalog_sync.core.status import SyncStatus
from catalog_sync.core.sync_rules import SyncRules
from connector_devstack.infra import Infra
from connector_runtime import db

pytestmark = pytest.mark.integration

BEFORE = "catalog_sync:0009_region_settings.sql"
PULLED = datetime(2026, 11, 1, tzinfo=UTC)
LISTING = {
    "brand_id": "B-1",
    "attributes": [{"attribute_id": "100", "custom_values": ["Wax"]}],
    "package": {"length": 10, "width": 8, "height": 5, "weight": 1},
}
RULES = {"update": {"title": "tiktok"}}


async def test_saved_settings_move_to_the_default_shop(infra: Infra) -> None:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "catalog_sync"])
    upgrade = [name for name, _ in migrations].index(BEFORE)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region, tiktok_shop_id) VALUES"
                " ('c1', 1, 'Candles', 'active', 'c.myshopify.com', 'US', 'shop-us'),"
                " ('c2', 1, 'Soaps', 'active', 's.myshopify.com', 'US', NULL)"
            )
            await conn.execute(
                "INSERT INTO catalog_settings (connection_id, categories_source, auto_pull,"
                " inventory_location_id, sync_rules, listing, warehouse_id,"
                " last_pulled_updated_at, region_locations) VALUES"
                " ('c1', 'standard_category', true, 'loc-1', $1, $2, 'WH-1', $3, '{\"GB\": \"loc-gb\"}'),"
                " ('c2', 'product_type', false, NULL, $1, '{\"brand_id\": \"B-2\"}', NULL, NULL,"
                " '{}')",
                json.dumps(RULES),
                json.dumps(LISTING),
                PULLED,
            )
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            us = await store.load_settings(conn, "c1", "shop-us")
            gb = await store.load_settings(conn, "c1", "shop-gb")
            shopless = await store.load_settings(conn, "c2", None)
            later_region = await store.load_settings(conn, "c2", "shop-de")
    finally:
        await pool.close()
    package = PackageSetting(length=10, width=8, height=5, weight=1)
    assert us.sync_rules == SyncRules.model_validate(RULES)
    assert us.warehouse_id == "WH-1"
    assert us.listing.brand_id == "B-1"
    assert us.listing.attributes[0].attribute_id == "100"
    assert us.listing.package == package
    assert us.categories_source is CategoriesSource.STANDARD_CATEGORY
    assert us.auto_pull
    # The locations are inventory-guard's now: handed over (test_former_locations_migration).
    assert us.last_pulled_updated_at == PULLED
    # Another region of c1 has the defaults for its own settings, the shared ones as saved.
    assert gb.sync_rules == SyncRules()
    assert gb.warehouse_id is None
    assert gb.listing.brand_id is None
    assert gb.listing.package == package
    assert gb.categories_source is CategoriesSource.STANDARD_CATEGORY
    assert shopless.listing.brand_id == "B-2"
    assert shopless.listing.package is None
    assert later_region.listing.brand_id == "B-2"  # saved before any shop: read until it saves


LISTED = "catalog_sync:0010_local_listings.sql"


async def test_listing_state_moves_to_the_default_shops_local_listing(infra: Infra) -> None:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "catalog_sync"])
    upgrade = [name for name, _ in migrations].index(LISTED)
    source = SourceProduct(
        shopify_product_id="gid://shopify/Product/1",
        title="Jar",
        product_type="Jars",
        updated_at=PULLED,
    )
    unsynced = source.model_copy(update={"shopify_product_id": "gid://shopify/Product/2"})
    links = [{"shopify_variant_id": "v1", "tiktok_sku_id": "sku-1", "seller_sku": "J-1"}]
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO connections (connection_id, revision, name, status,"
                " shopify_shop_domain, tiktok_region, tiktok_shop_id) VALUES"
                " ('c1', 1, 'Candles', 'active', 'c.myshopify.com', 'US', 'shop-us')"
            )
            # As the previous version stored them (the store's upsert is the current schema's).
            for product in (source, unsynced):
                await conn.execute(
                    "INSERT INTO products (connection_id, shopify_product_id, source, title,"
                    " category_key, shopify_updated_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)",
                    "c1", product.shopify_product_id, product.model_dump_json(), product.title,
                    "Jars", product.updated_at,
                )  # fmt: skip
            await conn.execute(
                "INSERT INTO tasks (task_id, connection_id, kind) VALUES ('task-1', 'c1', 'push')"
            )
            await conn.execute(
                "UPDATE products SET status = 'synced', tiktok_product_id = 'tt-1',"
                " tiktok_status = 'ACTIVATE', audit_status = 'APPROVED', sku_links = $2,"
                " last_push_task_id = 'task-1', pushed_at = now()"
                " WHERE shopify_product_id = $1",
                source.shopify_product_id,
                json.dumps(links),
            )
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            us = await store.load_product(conn, "c1", source.shopify_product_id, "shop-us")
            gb = await store.load_product(conn, "c1", source.shopify_product_id, "shop-gb")
            by_tiktok = await store.product_by_tiktok_id(conn, "tt-1")
            counts = await store.status_counts(conn, "c1", "shop-us")
            rows = await conn.fetchval("SELECT count(*) FROM local_listings")
            tasks = await store.list_tasks(conn, "c1", 10, "shop-gb")
    finally:
        await pool.close()
    assert us is not None
    assert gb is not None
    assert by_tiktok is not None
    assert (us.status, us.tiktok_product_id, us.tiktok_status, us.audit_status) == (
        SyncStatus.SYNCED,
        "tt-1",
        "ACTIVATE",
        "APPROVED",
    )
    assert [link.tiktok_sku_id for link in us.sku_links] == ["sku-1"]
    assert (us.last_push_task_id, us.tiktok_shop_id) == ("task-1", "shop-us")
    assert (gb.status, gb.tiktok_product_id, gb.sku_links) == (SyncStatus.NOT_SYNCED, None, [])
    assert by_tiktok.tiktok_shop_id == "shop-us"
    assert (counts["synced"], counts["not_synced"]) == (1, 1)
    assert rows == 1  # a product never pushed has no listing row
    # Tasks from before regions are the connection's: every region lists them.
    assert [(t.task_id, t.tiktok_shop_id) for t in tasks] == [("task-1", None)]
