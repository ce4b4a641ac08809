"""Upgrading to inventory-guard owning the inventory location (issue 9, ADR 0360): the
connection's former location and Global Products' location per market leave the product
settings for `former_inventory_locations`, and the hand-over job sends each to the guard once
(through the outbox) and forgets it."""

import json
from types import SimpleNamespace

import pytest
from catalog_sync import store
from connector_connections import hand_over_former_locations
from connector_contracts import FormerInventoryLocation
from connector_devstack.infra import Infra
from connector_devstack.migrating import schema_before

pytestmark = pytest.mark.integration

BEFORE = "catalog_sync:0016_former_inventory_locations.sql"


async def test_former_locations_are_handed_over_once_and_leave_the_settings(
    infra: Infra,
) -> None:
    async with schema_before(infra, ["connector_connections", "catalog_sync"], BEFORE) as old:
        await old.pool.execute(
            "INSERT INTO catalog_settings (connection_id, categories_source, auto_pull,"
            " inventory_location_id, region_locations) VALUES"
            " ('c1', 'product_type', true, 'gid://shopify/Location/1',"
            ' \'{"de": "gid://shopify/Location/2", "FR": "gid://shopify/Location/3"}\'),'
            " ('c2', 'product_type', false, NULL, '{}')"
        )
        await old.upgrade()
        async with old.pool.acquire() as conn:
            c1 = await store.load_settings(conn, "c1", None)
        runtime = SimpleNamespace(pool=old.pool, settings=old.settings)
        await hand_over_former_locations(runtime, "catalog-sync")
        await hand_over_former_locations(runtime, "catalog-sync")  # nothing left: none twice
        sent = await old.pool.fetch("SELECT value FROM outbox ORDER BY id")
        left = await old.pool.fetchval("SELECT count(*) FROM former_inventory_locations")
    assert c1.auto_pull  # the rest of the settings as saved
    handed = [
        FormerInventoryLocation.model_validate(json.loads(r["value"])["payload"]) for r in sent
    ]
    assert [(h.connection_id, h.tiktok_shop_id, h.region, h.location_id) for h in handed] == [
        ("c1", None, None, "gid://shopify/Location/1"),
        ("c1", None, "DE", "gid://shopify/Location/2"),
        ("c1", None, "FR", "gid://shopify/Location/3"),
    ]
    assert {h.source for h in handed} == {"catalog-sync"}
    assert left == 0
