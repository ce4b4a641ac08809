"""Levels of many items read in batches, one `nodes(ids:)` call each within the cost limit
(ADR 0420), against the sandbox's pricing of a read by ids."""

from __future__ import annotations

import math

from shopify import ShopifyClient
from shopify.inventory import MAX_QUERY_COST, levels_batch_size
from shopify_sandbox.testing import SandboxShop

UNKNOWN = "gid://shopify/InventoryItem/999999999"


def _items(env: SandboxShop, products: int) -> dict[str, dict[str, int]]:
    """Seed a catalog; every item's `available` by location, as the sandbox holds it."""
    env.control.seed(env.shop, products=products, variants_per_product=2)
    held: dict[str, dict[str, int]] = {}
    for level in env.control.inventory(env.shop):
        held.setdefault(level["inventory_item_gid"], {})[level["location_gid"]] = level["available"]
    return held


def _calls(env: SandboxShop, operation: str) -> list[dict[str, int]]:
    return [r for r in env.control.requests(env.shop) if operation in r["operations"]]


async def test_many_items_are_read_in_a_few_calls_under_the_cost_limit(
    env: SandboxShop, client: ShopifyClient
) -> None:
    held = _items(env, products=120)  # 240 items at 2 locations each
    items = [*sorted(held), UNKNOWN]
    size = levels_batch_size(len(env.locations))
    assert size < len(items)  # more than one batch

    read: dict[str, dict[str, int | None]] = {}
    batches = []
    async for batch in client.inventory.levels_of(items, levels_per_item=len(env.locations)):
        batches.append(len(batch))
        for item, levels in batch.items():
            read[item] = {lv.location_id: lv.available for lv in levels}

    assert read == held  # the unknown item is left out
    calls = _calls(env, "inventoryLevelsBatch")
    assert len(calls) == len(batches) == math.ceil(len(items) / size)
    assert all(c["requested"] <= MAX_QUERY_COST for c in calls)
    assert _calls(env, "inventoryLevels") == []  # no item needed a read of its own


async def test_items_at_more_locations_than_the_page_are_read_again_with_a_wider_page(
    env: SandboxShop, client: ShopifyClient
) -> None:
    held = _items(env, products=2)
    items = sorted(held)

    read = {
        item: {lv.location_id: lv.available for lv in levels}
        async for batch in client.inventory.levels_of(items, levels_per_item=1)
        for item, levels in batch.items()
    }

    assert read == held  # both locations of every item, though the first page held one
    assert len(_calls(env, "inventoryLevelsBatch")) == 2  # page 1, then page 2
    assert _calls(env, "inventoryLevels") == []


async def test_no_items_make_no_call(env: SandboxShop, client: ShopifyClient) -> None:
    assert [b async for b in client.inventory.levels_of([])] == []
    assert _calls(env, "inventoryLevelsBatch") == []
