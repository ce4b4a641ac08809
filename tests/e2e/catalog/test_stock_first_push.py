"""inventory-guard end to end: a SKU whose Shopify stock has not changed since it was linked
goes to TikTok as Shopify's figure, not as 0 (ADR 0450).

Shopify sends `inventory_levels/update` only when a level changes, so a catalog that existed
before the connection gives the guard no figure at all until the first sweep. gateway,
catalog-sync and inventory-guard run as processes against both sandboxes; the guard's sweep is
an hour away, so only the link and the Shopify changes made here move TikTok's stock.
"""

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from connector_devstack.services import ServiceProcess
from tiktok_shop_sandbox.samples import sample_png, sample_product

pytestmark = pytest.mark.e2e

Json = dict[str, Any]


@pytest.fixture(scope="module")
def guard(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """inventory-guard with its sweep an hour away (the default)."""
    return start_module_service("inventory-guard", inventory_coalesce_seconds="0.2")


@pytest.fixture
def world(guard: ServiceProcess, catalog_world: Any) -> Any:
    """A connected merchant with gateway, catalog-sync and inventory-guard running."""
    return catalog_world


def shopify_stock(world: Any) -> dict[str, int]:
    """Shopify's available stock per SKU, as seeded (no webhook was ever sent for it)."""
    return {lv["sku"]: lv["available"] for lv in world.shopify_control("GET", "/inventory")}


def tiktok_stock(world: Any, tiktok_product_id: str) -> dict[str, int]:
    """TikTok's quantity per seller SKU (summed over warehouses), as the sandbox holds it."""
    found = world.tiktok_control("GET", f"/products/{tiktok_product_id}")
    return {s["seller_sku"]: sum(i["quantity"] for i in s["inventory"]) for s in found["skus"]}


def guard_state(world: Any, shopify_product_id: str, done: Callable[[Json], bool]) -> Json:
    """The guard's state of the product in the merchant's one region, once `done`."""
    numeric = shopify_product_id.rsplit("/", 1)[-1]
    url = f"{world.gateway.url}/api/v1/inventory/{world.connection_id}/products/{numeric}"

    def region() -> Json | None:
        found = httpx.get(url, timeout=30)
        return found.json()["regions"][0] if found.status_code == 200 else None

    state: Json = world.poll(region, lambda r: r is not None and done(r))
    return state


def guard_synced(world: Any, shopify_product_id: str) -> Json:
    """The guard's state of the product once it has sent the product's stock to TikTok."""
    return guard_state(world, shopify_product_id, lambda r: r["last_sync_at"] is not None)


def test_a_pushed_product_keeps_its_shopify_stock_until_and_after_a_change(world: Any) -> None:
    world.seed_clean("Storage Jar", 2, products=1, seed=61)
    before = shopify_stock(world)
    a, b = sorted(before)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    (product,) = world.products(status="synced")
    tiktok_id = product["tiktok_product_id"]
    world.poll(
        lambda: world.tiktok_control("GET", f"/products/{tiktok_id}")["status"],
        lambda s: s == "ACTIVATE",
    )
    state = guard_synced(world, product["shopify_product_id"])
    # The guard's first push after the link: every SKU as Shopify has it, none as 0.
    assert tiktok_stock(world, tiktok_id) == before
    assert {s["tiktok_quantity"] for s in state["skus"]} == set(before.values())

    # Another SKU of the product changes: the call carries both, the unchanged one as Shopify's.
    level = next(lv for lv in world.shopify_control("GET", "/inventory") if lv["sku"] == a)
    body = {
        "inventory_item_id": level["inventory_item_gid"],
        "location_id": level["location_gid"],
        "available": before[a] + 10,
    }
    world.shopify_control("POST", "/inventory", body)
    want = {a: before[a] + 10, b: before[b]}
    assert world.poll(lambda: tiktok_stock(world, tiktok_id), lambda s: s == want, 60) == want


def list_by_hand(world: Any, seller_sku: str) -> str:
    """The seller lists a product in Seller Center (25 in stock) and TikTok approves it."""

    async def create() -> str:
        async with world.seller_client() as client:
            image = (await client.catalog.upload_image(sample_png())).uri
            warehouse = (await client.logistics.warehouses())[0].id
            made = await client.products.create(sample_product(image, warehouse, seller_sku))
            return str(made.product_id)

    tiktok_id = asyncio.run(create())
    world.tiktok_control("POST", f"/products/{tiktok_id}/audit", {"approved": True, "reasons": []})
    return tiktok_id


def test_a_listing_linked_by_sku_gets_shopify_stock_not_zero(world: Any) -> None:
    world.seed_clean("Storage Jar", 1, products=1, seed=62)
    before = shopify_stock(world)
    (sku,) = before
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    tiktok_id = list_by_hand(world, sku)
    assert tiktok_stock(world, tiktok_id) == {sku: 25}
    task = world.wait_task(world.send("POST", "/link-by-sku", {}, status=202)["task_id"])
    assert task["done"] == 1, task
    (product,) = world.products(status="synced")
    guard_synced(world, product["shopify_product_id"])
    assert tiktok_stock(world, tiktok_id) == before


def test_while_shopify_cannot_be_read_a_linked_listing_keeps_its_stock_and_says_why(
    world: Any,
) -> None:
    world.seed_clean("Storage Jar", 1, products=1, seed=63)
    before = shopify_stock(world)
    (sku,) = before
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    tiktok_id = list_by_hand(world, sku)
    faults = f"{world.sandboxes.shopify_url}/_sandbox/faults"
    rule = {"kind": "http_error", "status": 503, "operation": "inventoryLevelsBatch"}
    httpx.post(faults, json={**rule, "shop": world.shop_domain}, timeout=30).raise_for_status()
    try:
        world.wait_task(world.send("POST", "/link-by-sku", {}, status=202)["task_id"])
        (product,) = world.products(status="synced")
        state = guard_state(world, product["shopify_product_id"], lambda r: bool(r["reason"]))
        assert "Shopify's stock of this product could not be read" in state["reason"]
        assert state["last_sync_at"] is None
        assert tiktok_stock(world, tiktok_id) == {sku: 25}  # left as it was, not 0
    finally:
        httpx.delete(faults, timeout=30).raise_for_status()
    # The push retries; once Shopify answers, TikTok shows Shopify's figure.
    assert world.poll(lambda: tiktok_stock(world, tiktok_id), lambda s: s == before, 120) == before
