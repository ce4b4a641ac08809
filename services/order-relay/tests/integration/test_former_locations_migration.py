"""Upgrading to inventory-guard owning the inventory location (issue 9, ADR 0360): a region's
former location leaves its order settings (which still load, as saved otherwise) for
`former_inventory_locations`, from which the hand-over job sends it to the guard once."""

import json
from types import SimpleNamespace

import pytest
from connector_connections import hand_over_former_locations
from connector_contracts import FormerInventoryLocation
from connector_devstack.infra import Infra
from connector_devstack.migrating import schema_before
from order_relay import config_store
from order_relay.core.settings import OrderSettings

pytestmark = pytest.mark.integration

BEFORE = "order_relay:0012_former_inventory_locations.sql"


async def test_a_regions_former_location_is_handed_over_and_its_settings_still_load(
    infra: Infra,
) -> None:
    saved = {"payment_method": "Bank", "inventory_location_id": "gid://shopify/Location/7"}
    async with schema_before(infra, ["connector_connections", "order_relay"], BEFORE) as old:
        await old.pool.executemany(
            "INSERT INTO order_settings (connection_id, tiktok_shop_id, settings)"
            " VALUES ($1, $2, $3)",
            [
                ("c1", "701", json.dumps(saved)),
                ("c1", "702", json.dumps({"payment_method": "Card"})),
                ("c2", "", json.dumps({"inventory_location_id": "gid://shopify/Location/8"})),
            ],
        )
        await old.upgrade()
        runtime = SimpleNamespace(pool=old.pool, settings=old.settings)
        await hand_over_former_locations(runtime, "order-relay")
        async with old.pool.acquire() as conn:
            de = await config_store.load_settings(conn, "c1", OrderSettings(), "701")
        sent = await old.pool.fetch("SELECT value FROM outbox ORDER BY id")
        left = await old.pool.fetchval("SELECT count(*) FROM former_inventory_locations")
    assert de == OrderSettings(payment_method="Bank")
    handed = [
        FormerInventoryLocation.model_validate(json.loads(r["value"])["payload"]) for r in sent
    ]
    assert sorted((h.connection_id, h.tiktok_shop_id, h.location_id) for h in handed) == [
        ("c1", "701", "gid://shopify/Location/7"),
        ("c2", None, "gid://shopify/Location/8"),
    ]
    assert {h.source for h in handed} == {"order-relay"}
    assert left == 0
