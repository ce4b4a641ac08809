"""Upgrading a database from before per-region categories (ADR 0350): a connection's category
mappings and their listing data become its default shop's, so another region of it has none
(TikTok's recommendation for that market maps it); Global Categories stay the connection's; a
connection without a shop keeps them under '' (read by any region until it maps the category
itself); the cached category requirements become the default shop's."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from catalog_sync import store
from catalog_sync.core.categories import CategoryMapping
from catalog_sync.core.models import CategoryRequirements, ListingLayer, SourceProduct
from connector_devstack.infra import Infra
from connector_runtime import db

pytestmark = pytest.mark.integration

BEFORE = "catalog_sync:0012_region_categories.sql"
CANDLE = SourceProduct(
    shopify_product_id="gid://shopify/Product/1",
    title="Beeswax Candle",
    product_type="Candle",
    updated_at=datetime(2026, 11, 1, tzinfo=UTC),
)
LISTING = {"brand_id": "B-1", "attributes": [{"attribute_id": "101001", "custom_values": ["Wax"]}]}


async def old_rows(conn: db.Connection) -> None:
    """What the previous version stored: mappings and requirements per connection."""
    await conn.execute(
        "INSERT INTO connections (connection_id, revision, name, status, shopify_shop_domain,"
        " tiktok_region, tiktok_shop_id) VALUES"
        " ('c1', 1, 'Candles', 'active', 'c.myshopify.com', 'US', 'shop-us'),"
        " ('c2', 1, 'Soaps', 'active', 's.myshopify.com', 'US', NULL)"
    )
    # As the previous version stored it (the store's upsert is the current schema's).
    await conn.execute(
        "INSERT INTO products (connection_id, shopify_product_id, source, title, category_key,"
        " shopify_updated_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)",
        "c1", CANDLE.shopify_product_id, CANDLE.model_dump_json(), CANDLE.title, "Candle",
        CANDLE.updated_at,
    )  # fmt: skip
    await conn.execute(
        "INSERT INTO category_mappings (connection_id, source_key, tiktok_category_id,"
        " tiktok_category_name, origin, listing) VALUES"
        " ('c1', 'Candle', '600020', 'Candles & Holders', 'merchant', $1),"
        " ('c1', 'global:Candle', '600020', 'Candles & Holders', 'recommended', '{}'),"
        " ('c2', 'Soap', '700010', 'Skincare', 'merchant', '{}')",
        json.dumps(LISTING),
    )
    await conn.execute(
        "INSERT INTO category_requirements (connection_id, category_id, requirements)"
        " VALUES ('c1', '600020', $1)",
        CategoryRequirements(category_id="600020").model_dump_json(),
    )


async def test_category_mappings_move_to_the_default_shop(infra: Infra) -> None:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    migrations = db.service_migrations(["connector_connections", "catalog_sync"])
    upgrade = [name for name, _ in migrations].index(BEFORE)
    try:
        await db.migrate(pool, schema, migrations[:upgrade])
        async with pool.acquire() as conn:
            await old_rows(conn)
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            us = await store.load_mappings(conn, "c1", "shop-us")
            gb = await store.load_mappings(conn, "c1", "shop-gb")
            us_unmapped = await store.category_keys_without_mapping(conn, "c1", "shop-us")
            gb_unmapped = await store.category_keys_without_mapping(conn, "c1", "shop-gb")
            shopless = await store.load_mappings(conn, "c2", None)
            later_region = await store.load_mappings(conn, "c2", "shop-de")
            us_cached = await store.load_requirements(conn, "c1", "shop-us", "600020")
            gb_cached = await store.load_requirements(conn, "c1", "shop-gb", "600020")
    finally:
        await pool.close()
    mapping, listing = us["Candle"]
    assert (mapping.tiktok_category_id, mapping.origin) == ("600020", "merchant")
    assert listing.brand_id == "B-1"
    assert listing.attributes[0].custom_values == ["Wax"]
    assert "Candle" not in gb  # GB's tree is its own: its recommendation maps it
    assert us_unmapped == []
    assert gb_unmapped == [("Candle", "Beeswax Candle")]
    # Global Categories are one per connection: every region reads them.
    assert us["global:Candle"][0].tiktok_category_id == "600020"
    assert gb["global:Candle"][0].tiktok_category_id == "600020"
    assert shopless["Soap"][0].tiktok_category_id == "700010"
    assert later_region["Soap"][0].tiktok_category_id == "700010"
    assert us_cached == CategoryRequirements(category_id="600020")
    assert gb_cached is None


async def test_a_region_saving_a_category_does_not_change_another_region(infra: Infra) -> None:
    schema = f"catalog_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 2)
    try:
        await db.migrate(
            pool, schema, db.service_migrations(["connector_connections", "catalog_sync"])
        )
        async with pool.acquire() as conn:
            await store.upsert_products(conn, "c1", [(CANDLE, "Candle")])
            await store.save_mapping(conn, "c1", "shop-us", us_candle())
            await store.save_category_listing(
                conn, "c1", "shop-gb", "Candle", ListingLayer(brand_id="B-GB")
            )
            us = await store.load_mappings(conn, "c1", "shop-us")
            gb = await store.load_mappings(conn, "c1", "shop-gb")
            gb_unmapped = await store.category_keys_without_mapping(conn, "c1", "shop-gb")
    finally:
        await pool.close()
    assert gb_unmapped == [("Candle", "Beeswax Candle")]  # its data saved, its leaf still wanted
    assert us["Candle"][0].tiktok_category_id == "600020"
    assert us["Candle"][1].brand_id is None
    assert gb["Candle"][0].tiktok_category_id is None
    assert gb["Candle"][1].brand_id == "B-GB"


def us_candle() -> CategoryMapping:
    """US's leaf for candles."""
    return CategoryMapping(source_key="Candle", tiktok_category_id="600020", origin="merchant")
