"""inventory-guard end to end: Shopify stock changes reach TikTok through the gateway's
inventory_levels/update webhook, and the low-inventory policy acts on TikTok's products.

gateway, catalog-sync and inventory-guard run as processes against both sandboxes; products are
pulled and pushed through the catalog API, so the SKU links come from catalog-sync itself.
"""

import asyncio
import json
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.services import ServiceProcess
from tiktok_shop import TikTokShopClient
from tiktok_shop.models.products import SkuStock, WarehouseStock

pytestmark = pytest.mark.e2e

Json = dict[str, Any]


@pytest.fixture(scope="module")
def guard(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """inventory-guard, shared by the module's tests."""
    return start_module_service(
        "inventory-guard", inventory_coalesce_seconds="0.2", inventory_sweep_interval_seconds="3"
    )


@pytest.fixture
def world(guard: ServiceProcess, catalog_world: Any) -> Any:
    """A connected merchant with gateway, catalog-sync and inventory-guard running."""
    return catalog_world


class Stock:
    """One pushed, live product of a world: its Shopify levels, TikTok SKUs and guard state."""

    def __init__(self, world: Any, variants: int, seed: int) -> None:
        self.world = world
        world.seed_clean("Storage Jar", variants, products=1, seed=seed)
        world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
        world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
        world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
        (product,) = world.products(status="synced")
        self.pid: str = product["shopify_product_id"]
        self.tiktok_id: str = product["tiktok_product_id"]
        self.levels = {lv["sku"]: lv for lv in world.shopify_control("GET", "/inventory")}
        self.skus = {s["seller_sku"]: s["tiktok_sku_id"] for s in product["skus"]}
        self.state()  # the guard knows it
        self.wait(lambda p: p["status"] == "ACTIVATE")

    @property
    def api(self) -> str:
        return f"{self.world.gateway.url}/api/v1/inventory/{self.world.connection_id}"

    def state(self) -> Json:
        """The guard's stock state of the product in the merchant's one region."""
        url = f"{self.api}/products/{self.pid.rsplit('/', 1)[-1]}"
        got = self.world.poll(lambda: httpx.get(url, timeout=30), lambda r: r.status_code == 200)
        (region,) = got.json()["regions"]
        return region  # type: ignore[no-any-return]

    def tiktok(self) -> Json:
        """The product as the TikTok sandbox holds it."""
        return self.world.tiktok_control("GET", f"/products/{self.tiktok_id}")  # type: ignore[no-any-return]

    def tiktok_stock(self) -> dict[str, int]:
        """TikTok quantity per seller SKU (summed over warehouses)."""
        return {
            s["seller_sku"]: sum(i["quantity"] for i in s["inventory"])
            for s in self.tiktok()["skus"]
        }

    def wait(self, done: Callable[[Json], bool], timeout: float = 60) -> Json:
        """Poll TikTok's product until `done`."""
        return self.world.poll(self.tiktok, done, timeout)  # type: ignore[no-any-return]

    def set_shopify(self, sku: str, available: int) -> None:
        """The merchant sets a variant's available stock in Shopify admin (webhook follows)."""
        set_level(self.world, self.levels[sku], available)

    def expect(self, stock: dict[str, int], within: float = 60) -> None:
        """TikTok shows exactly these quantities per seller SKU (within a minute)."""
        seen = self.world.poll(self.tiktok_stock, lambda s: s == stock, within)
        assert seen == stock

    def settings(self, body: Json) -> None:
        """Replace the region's store-level settings."""
        shop = self.world.merchant.tiktok_shop_id
        response = httpx.put(f"{self.api}/settings/{shop}", json=body, timeout=30)
        assert response.status_code == 200, response.text

    def product_settings(self, body: Json) -> None:
        """Replace this product's overrides in the region."""
        shop, numeric = self.world.merchant.tiktok_shop_id, self.pid.rsplit("/", 1)[-1]
        url = f"{self.api}/products/{numeric}/settings/{shop}"
        response = httpx.put(url, json=body, timeout=30)
        assert response.status_code == 200, response.text


def test_shopify_stock_changes_reach_tiktok_as_absolute_quantities(world: Any) -> None:
    stock = Stock(world, variants=2, seed=41)
    a, b = sorted(stock.skus)
    stock.set_shopify(a, 17)
    stock.set_shopify(b, 3)
    stock.expect({a: 17, b: 3})
    for n in range(10):  # a burst on one SKU: the last figure wins
        stock.set_shopify(a, 30 + n)
    stock.expect({a: 39, b: 3})
    state = stock.state()
    assert state["reason"] is None
    assert state["last_sync_at"]
    assert {s["tiktok_quantity"] for s in state["skus"]} == {39, 3}
    assert (world.poll(lambda: stock.state()["pending_since"], lambda p: p is None)) is None


def test_deactivate_mode_takes_the_product_off_and_back_on(world: Any) -> None:
    stock = Stock(world, variants=2, seed=42)
    a, b = sorted(stock.skus)
    stock.set_shopify(a, 20)
    stock.set_shopify(b, 20)
    stock.expect({a: 20, b: 20})
    stock.settings({"threshold": {"quantity": 5, "mode": "deactivate"}})
    stock.set_shopify(b, 4)
    stock.wait(lambda p: p["status"] == "SELLER_DEACTIVATED")
    assert stock.state()["guard_deactivated"] is True
    stock.set_shopify(b, 12)
    stock.wait(lambda p: p["status"] == "ACTIVATE")
    stock.expect({a: 20, b: 12})
    assert stock.state()["guard_deactivated"] is False


def test_out_of_stock_mode_zeroes_the_low_sku_and_a_product_override_beats_it(world: Any) -> None:
    stock = Stock(world, variants=2, seed=43)
    a, b = sorted(stock.skus)
    stock.settings({"threshold": {"quantity": 5, "mode": "out_of_stock"}})
    stock.set_shopify(a, 20)
    stock.set_shopify(b, 4)
    stock.expect({a: 20, b: 0})
    assert stock.tiktok()["status"] == "ACTIVATE"
    stock.product_settings({"threshold": {"quantity": 2, "mode": "out_of_stock"}})
    stock.expect({a: 20, b: 4})
    stock.product_settings({"exclude_threshold": True})
    stock.set_shopify(b, 1)
    stock.expect({a: 20, b: 1})
    assert stock.state()["policy"] == "excluded"


def test_stock_rules_keep_back_a_buffer_and_cap_what_tiktok_sees(world: Any) -> None:
    stock = Stock(world, variants=1, seed=44)
    (a,) = stock.skus
    stock.settings({"rules": {"buffer_percent": "10", "cap": 50}})
    stock.set_shopify(a, 30)
    stock.expect({a: 27})
    stock.set_shopify(a, 500)
    stock.expect({a: 50})


def test_a_product_the_merchant_deactivated_is_left_alone(world: Any) -> None:
    stock = Stock(world, variants=1, seed=45)
    (a,) = stock.skus
    stock.settings({"threshold": {"quantity": 5, "mode": "deactivate"}})
    stock.set_shopify(a, 20)
    stock.expect({a: 20})
    deactivate_by_hand(world, stock.tiktok_id)
    stock.wait(lambda p: p["status"] == "SELLER_DEACTIVATED")
    stock.set_shopify(a, 2)
    stock.set_shopify(a, 40)
    world.poll(lambda: stock.state()["tiktok_status"], lambda s: s == "SELLER_DEACTIVATED")
    assert stock.tiktok()["status"] == "SELLER_DEACTIVATED"
    assert stock.state()["guard_deactivated"] is False


def test_the_sweep_repairs_a_dropped_webhook_and_stock_tiktok_added_back(world: Any) -> None:
    stock = Stock(world, variants=2, seed=46)
    a, b = sorted(stock.skus)
    stock.set_shopify(a, 8)
    stock.set_shopify(b, 9)
    stock.expect({a: 8, b: 9})
    world.shopify_control("PUT", "/webhook-faults", {"drop_probability": 1.0})
    try:
        stock.set_shopify(a, 2)  # Shopify's webhook never arrives
        # Only a sweep brings it: the guard sweeps every region it knows, a few at a time
        # (every connection this module's earlier tests pushed products for, ADR 0410), so
        # allow it three minutes.
        stock.expect({a: 2, b: 9}, within=180)
    finally:
        world.shopify_control("PUT", "/webhook-faults", {})
    url = f"{world.sandboxes.shopify_url}/_sandbox/webhooks/deliveries"
    params = {"shop": world.shop_domain, "topic": "inventory_levels/update"}
    drops = httpx.get(url, params=params, timeout=30).json()
    assert any(d["state"] == "dropped" for d in drops)


def test_the_inventory_location_counts_and_its_card_reaches_catalog_sync(world: Any) -> None:
    stock = Stock(world, variants=1, seed=47)
    (a,) = stock.skus
    stock.set_shopify(a, 12)
    stock.expect({a: 12})
    stock.settings({"location_ids": ["gid://shopify/Location/999999"]})  # holds none of it
    stock.expect({a: 0})
    stock.settings({"location_ids": [stock.levels[a]["location_gid"]]})
    stock.expect({a: 12})
    card = world.poll(lambda: asyncio.run(catalog_card(world)), lambda c: c and c[1] == 2)
    assert card is not None
    assert card[0] == stock.levels[a]["location_gid"]


def test_a_location_set_in_the_guard_is_the_stock_a_catalog_push_creates_with(
    world: Any,
) -> None:
    world.seed_clean("Storage Jar", 1, products=1, seed=52)
    (level,) = world.shopify_control("GET", "/inventory")
    assert level["available"] > 0
    nowhere = "gid://shopify/Location/999999"  # a location that holds none of it
    url = f"{world.gateway.url}/api/v1/inventory/{world.connection_id}/settings"
    body = {"location_ids": [nowhere]}
    shop = world.merchant.tiktok_shop_id
    # 404 until the guard's replica knows the connection.
    saved = world.poll(lambda: httpx.put(f"{url}/{shop}", json=body), lambda r: r.is_success)
    assert saved.status_code == 200, saved.text
    card = world.poll(lambda: asyncio.run(catalog_card(world)), lambda c: c and c[0] == nowhere)
    assert card is not None
    # "Product stock" updates left to TikTok: the guard leaves the stock the push created.
    settings = {"package": {"weight": 1}}
    world.send(
        "PUT", "/settings", {"listing": settings, "sync_rules": {"update": {"stock": "tiktok"}}}
    )
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    (product,) = world.products(status="synced")
    found = world.tiktok_control("GET", f"/products/{product['tiktok_product_id']}")
    assert [i["quantity"] for s in found["skus"] for i in s["inventory"]] == [0]


async def catalog_card(world: Any) -> tuple[str, int] | None:
    """catalog-sync's replica of the location card: the default region's first location."""
    conn = await asyncpg.connect(world.infra.database_url)
    try:
        row = await conn.fetchrow(
            "SELECT card, revision FROM catalog_sync.inventory_locations WHERE connection_id = $1",
            world.connection_id,
        )
    finally:
        await conn.close()
    if row is None:
        return None
    regions = json.loads(row["card"])["regions"]
    return regions[0]["location_ids"][0], row["revision"]


def test_update_stock_from_the_catalog_puts_shopify_stock_back_on_tiktok(world: Any) -> None:
    stock = Stock(world, variants=1, seed=48)
    (a,) = stock.skus
    stock.set_shopify(a, 15)
    stock.expect({a: 15})
    set_tiktok_stock_by_hand(world, stock.tiktok_id, stock.skus[a], 2)
    stock.expect({a: 2})
    handed = world.send("POST", "/products/update-stock", {"product_ids": [stock.pid]}, status=202)
    assert handed["requested"] == 1
    stock.expect({a: 15})


def test_a_tiktok_sale_not_yet_in_shopify_is_never_put_back_on_sale(world: Any) -> None:
    stock = Stock(world, variants=1, seed=49)
    (a,) = stock.skus
    stock.set_shopify(a, 10)
    stock.expect({a: 10})
    lines = [{"sku_id": stock.skus[a], "quantity": 2}]
    shop_id = world.merchant.tiktok_shop_id
    order = world.tiktok_control("POST", f"/shops/{shop_id}/orders", {"lines": lines})
    stock.expect({a: 8})  # TikTok took the sold units off its own stock
    stock.set_shopify(a, 11)  # another Shopify change before the order reaches Shopify
    stock.expect({a: 9})  # 11 minus the 2 the unrelayed order holds, not 11
    world.tiktok_control("POST", f"/orders/{order['id']}/status", {"status": "CANCELLED"})
    stock.expect({a: 11})  # the order holds nothing any more: Shopify's figure again


def set_level(world: Any, level: Json, available: int) -> None:
    """The merchant sets an item's available stock at a location in Shopify admin."""
    world.shopify_control(
        "POST",
        "/inventory",
        {
            "inventory_item_id": level["inventory_item_gid"],
            "location_id": level["location_gid"],
            "available": available,
        },
    )


def listed_tasks(world: Any, kind: str) -> list[Json]:
    """The connection's tasks of one type, as the gateway's one task list shows them."""
    url = f"{world.gateway.url}/api/v1/tasks"
    params = {"connection_id": world.connection_id, "type": kind}
    return httpx.get(url, params=params, timeout=30).json()["tasks"]  # type: ignore[no-any-return]


def listed_task(world: Any, task_id: str, status: str = "completed") -> Json:
    """One task in the task list once it shows `status` (404 until its first task.changed)."""
    url = f"{world.gateway.url}/api/v1/tasks/{task_id}"
    seen = world.poll(
        lambda: httpx.get(url, timeout=30),
        lambda r: r.status_code == 200 and r.json()["status"] == status,
        120,
    )
    assert seen.status_code == 200, seen.text
    return seen.json()  # type: ignore[no-any-return]


def test_update_stock_of_all_pages_is_a_task_with_each_products_outcome(world: Any) -> None:
    world.seed_clean("Storage Jar", 1, products=2, seed=50)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    ok, broken = sorted(world.products(status="synced"), key=lambda p: p["shopify_product_id"])
    levels = {lv["sku"]: lv for lv in world.shopify_control("GET", "/inventory")}
    guard = f"{world.gateway.url}/api/v1/inventory/{world.connection_id}"
    for product, available in ((ok, 15), (broken, 25)):
        numeric = product["shopify_product_id"].rsplit("/", 1)[-1]
        world.poll(lambda n=numeric: httpx.get(f"{guard}/products/{n}"), lambda r: r.is_success)
        (sku,) = product["skus"]
        set_level(world, levels[sku["seller_sku"]], available)
        tiktok_quantity(world, product, lambda q, a=available: q == a)
    faults = f"{world.sandboxes.tiktok_url}/_sandbox/faults"
    rule = {
        "path_pattern": f"/product/*/products/{broken['tiktok_product_id']}/inventory/update",
        "server_error_probability": 1.0,
    }
    httpx.put(faults, json=[rule], timeout=30).raise_for_status()
    try:
        shop = world.merchant.tiktok_shop_id
        started = httpx.post(
            f"{guard}/regions/{shop}/update-stock", json={"scope": "all"}, timeout=30
        )
        assert started.status_code == 202, started.text
        assert started.json()["total"] == 2
        task = listed_task(world, started.json()["task_id"])
        assert (task["done"], task["failed"], task["total"]) == (1, 1, 2)
        assert (task["service"], task["type"], task["region"]) == (
            "inventory-guard",
            "update_stock",
            world.merchant.region,
        )
        (line,) = task["items"]
        assert line["item_id"] == broken["shopify_product_id"]
        assert line["reason"]
        assert [r["count"] for r in task["reasons"]] == [1]
        assert tiktok_quantity(world, ok, lambda q: q == 15) == 15
        numeric = broken["shopify_product_id"].rsplit("/", 1)[-1]
        (region,) = httpx.get(f"{guard}/products/{numeric}", timeout=30).json()["regions"]
        assert region["reason"] == line["reason"]  # the product says why, as the task does
        assert any(t["task_id"] == task["task_id"] for t in listed_tasks(world, "update_stock"))
    finally:
        httpx.delete(faults, timeout=30).raise_for_status()
    # The push itself keeps retrying: once TikTok takes it, the stock is Shopify's again.
    assert tiktok_quantity(world, broken, lambda q: q == 25, within=120) == 25


def tiktok_quantity(
    world: Any, product: Json, done: Callable[[int], bool], within: float = 60
) -> int:
    """The one SKU's TikTok quantity (summed over warehouses), polled until `done`."""

    def quantity() -> int:
        found = world.tiktok_control("GET", f"/products/{product['tiktok_product_id']}")
        return sum(i["quantity"] for s in found["skus"] for i in s["inventory"])

    return world.poll(quantity, done, within)  # type: ignore[no-any-return]


def test_a_threshold_or_mode_change_re_evaluates_every_product_as_a_task(world: Any) -> None:
    stock = Stock(world, variants=2, seed=51)
    a, b = sorted(stock.skus)
    stock.set_shopify(a, 20)
    stock.set_shopify(b, 3)
    stock.expect({a: 20, b: 3})
    stock.settings({"rules": {"cap": 500}})  # not the threshold: no task
    stock.settings({"rules": {"cap": 500}, "threshold": {"quantity": 5, "mode": "out_of_stock"}})
    stock.expect({a: 20, b: 0})
    (first,) = world.poll(lambda: listed_tasks(world, "stock_reevaluate"), lambda t: len(t) == 1)
    task = listed_task(world, first["task_id"])
    assert (task["done"], task["failed"], task["total"]) == (1, 0, 1)
    assert task["summary"] == "Re-evaluate stock after a low-inventory threshold change"
    stock.settings({"rules": {"cap": 500}, "threshold": {"quantity": 5, "mode": "deactivate"}})
    stock.wait(lambda p: p["status"] == "SELLER_DEACTIVATED")
    tasks = world.poll(lambda: listed_tasks(world, "stock_reevaluate"), lambda t: len(t) == 2)
    for listed in tasks:
        assert listed_task(world, listed["task_id"])["done"] == 1
    assert stock.state()["guard_deactivated"] is True


def seller_client(world: Any) -> TikTokShopClient:
    """The seller's own Open API client (Seller Center, as far as the sandbox is concerned)."""
    shop = world.merchant
    tokens = world.tiktok_control("POST", f"/shops/{shop.tiktok_shop_id}/tokens", {})
    return TikTokShopClient(
        app_key="sandbox-app-key",
        app_secret="sandbox-app-secret",
        access_token=tokens["access_token"],
        shop_cipher=shop.tiktok_shop_cipher,
        base_url=world.sandboxes.tiktok_url,
    )


def set_tiktok_stock_by_hand(world: Any, product_id: str, sku_id: str, quantity: int) -> None:
    """The seller edits the SKU's stock in Seller Center."""

    async def edit() -> None:
        async with seller_client(world) as client:
            product = await client.products.get(product_id)
            sku = next(s for s in product.skus if s.id == sku_id)
            stock = [
                WarehouseStock(warehouse_id=w.warehouse_id, quantity=quantity)
                for w in sku.inventory
            ]
            await client.products.update_inventory(
                product_id, [SkuStock(id=sku_id, inventory=stock)]
            )

    asyncio.run(edit())


def deactivate_by_hand(world: Any, tiktok_product_id: str) -> None:
    """The seller deactivates the product in Seller Center (here: the Open API, own token)."""

    async def deactivate() -> None:
        async with seller_client(world) as client:
            await client.products.deactivate([tiktok_product_id])

    asyncio.run(deactivate())
