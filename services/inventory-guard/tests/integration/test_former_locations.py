"""Upgrading to one owner of the inventory location (issue 9, ADR 0360): the former settings
catalog-sync and order-relay hand over are adopted for a region whose locations the guard
never set (the first one wins, the card is published to every replica); a connection that
had a card before the upgrade keeps the guard's setting, which was already the one in effect."""

import json

import pytest
from connector_contracts import Envelope, FormerInventoryLocation, new_envelope
from connector_devstack.infra import Infra
from connector_devstack.migrating import schema_before
from connector_runtime.outbox import Effects
from inventory_guard import store
from inventory_guard.locations import on_former_location

pytestmark = pytest.mark.integration

BEFORE = "inventory_guard:0004_former_locations.sql"


def shop(shop_id: str, region: str) -> dict[str, str]:
    return {
        "shop_id": shop_id,
        "region": region,
        "cipher": f"ci-{shop_id}",
        "access_token": "t",
        "status": "authorized",
    }


def former(cid: str, location: str, source: str, **where: str) -> Envelope[FormerInventoryLocation]:
    payload = FormerInventoryLocation(
        connection_id=cid, location_id=location, source=source, **where
    )
    return new_envelope(payload, connection_id=cid)


async def test_former_locations_are_adopted_once_per_region_never_over_a_card(
    infra: Infra,
) -> None:
    packages = ["connector_connections", "inventory_guard"]
    async with schema_before(infra, packages, BEFORE) as old:
        await old.pool.executemany(
            "INSERT INTO connections (connection_id, revision, name, status,"
            " shopify_shop_domain, tiktok_region, tiktok_shops)"
            " VALUES ($1, 1, $1, 'active', $2, 'US', $3::jsonb)",
            [
                ("c1", "a.myshopify.com", json.dumps([shop("s-us", "US"), shop("s-de", "DE")])),
                ("c0", "b.myshopify.com", json.dumps([shop("s-gb", "GB")])),
            ],
        )
        # c0's merchant chose its locations in the guard before: its card was in effect.
        await old.pool.execute(
            "INSERT INTO location_revisions (connection_id, revision) VALUES ('c0', 1)"
        )
        await old.upgrade()
        handed = [
            former("c1", "gid://shopify/Location/1", "catalog-sync"),  # the default region's
            former("c1", "gid://shopify/Location/2", "catalog-sync", region="de"),
            former("c1", "gid://shopify/Location/3", "order-relay", tiktok_shop_id="s-us"),
            former("c0", "gid://shopify/Location/4", "order-relay", tiktok_shop_id="s-gb"),
        ]
        async with old.pool.acquire() as conn:
            for envelope in handed:
                async with conn.transaction():
                    await on_former_location(envelope, Effects(conn, old.settings, envelope))
            us = await store.load_store_settings(conn, "c1", "s-us")
            de = await store.load_store_settings(conn, "c1", "s-de")
            gb = await store.load_store_settings(conn, "c0", "s-gb")
            cards = await conn.fetch("SELECT key, value FROM outbox ORDER BY id")
    assert us.location_ids == ("gid://shopify/Location/1",)  # the first handed over wins
    assert de.location_ids == ("gid://shopify/Location/2",)
    assert gb.location_ids == ()
    assert [c["key"] for c in cards] == ["c1", "c1"]  # one card per adoption, none for c0
    last = json.loads(cards[-1]["value"])["payload"]
    assert last["revision"] == 2
    assert {r["region"]: r["location_ids"] for r in last["regions"]} == {
        "US": ["gid://shopify/Location/1"],
        "DE": ["gid://shopify/Location/2"],
    }
