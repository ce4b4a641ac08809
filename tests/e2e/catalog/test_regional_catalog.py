"""Regional catalog (issue 9): one connection with a US and a GB shop. The same Shopify product
is pushed locally to each region: each push goes through that region's own shop with that
region's settings (GB's store-level brand; the package defaults every region shares), and each
region records its own TikTok product, status and SKU links; deleting the product in Shopify
deactivates the listing of every region."""

from typing import Any

import httpx
import pytest
from connector_devstack.sandboxes import add_region_sync

pytestmark = pytest.mark.e2e


def in_region(world: Any, method: str, path: str, region: str, body: Any = None) -> Any:
    """Call the connection's catalog API with `?region=` (asserting success)."""
    response = httpx.request(
        method, f"{world.api}{path}", params={"region": region}, json=body, timeout=60
    )
    assert response.status_code in (200, 202), response.text
    return response.json()


def sku_warehouses(product: Any) -> set[str]:
    """The warehouses a TikTok product's stock is in."""
    return {i["warehouse_id"] for s in product["skus"] for i in s["inventory"]}


def shop_warehouses(world: Any, shop_id: str) -> set[str]:
    """A sandbox shop's own warehouses."""
    return {w["id"] for w in world.tiktok_control("GET", f"/shops/{shop_id}")["warehouses"]}


def test_a_push_to_each_region_uses_its_own_shop_and_settings(catalog_world: Any) -> None:
    world = catalog_world
    gb = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, "GB")
    assert gb.response.status_code == 200, gb.response.text
    settings_url = f"{world.api}/settings"
    world.poll(
        lambda: httpx.get(settings_url, params={"region": "GB"}).status_code, lambda s: s == 200
    )
    brands = f"{world.api}/tiktok/brands"
    world.poll(lambda: httpx.get(brands, params={"name": "Acme"}).status_code, lambda s: s == 200)
    (acme,) = world.get("/tiktok/brands", name="Acme")

    world.seed_clean("Storage Jar", 1, products=1, seed=61)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 2}}})  # every region's
    in_region(world, "PUT", "/settings", "GB", {"listing": {"brand_id": acme["id"]}})
    pull_task = world.send("POST", "/pull", {}, status=202)["task_id"]
    world.wait_task(pull_task)
    (pulled,) = world.products()
    pid = pulled["shopify_product_id"]
    numeric = pid.rsplit("/", 1)[-1]
    # TikTok's listing check for GB runs through GB's shop, with GB's settings.
    assert in_region(world, "GET", f"/products/{numeric}/precheck", "GB")["ready"] is True
    pushes = {}
    for region in ("US", "GB"):
        task = in_region(world, "POST", "/push", region, {"product_ids": [pid]})
        pushes[region] = world.wait_task(task["task_id"])["task_id"]

    us_view = in_region(world, "GET", f"/products/{numeric}", "US")
    gb_view = in_region(world, "GET", f"/products/{numeric}", "gb")
    assert (us_view["status"], gb_view["status"]) == ("synced", "synced"), (us_view, gb_view)
    assert us_view["tiktok_product_id"] != gb_view["tiktok_product_id"]
    assert world.product(pid)["tiktok_product_id"] == us_view["tiktok_product_id"]  # default
    us_skus = {s["tiktok_sku_id"] for s in us_view["skus"]}
    gb_skus = {s["tiktok_sku_id"] for s in gb_view["skus"]}
    assert us_skus
    assert gb_skus
    assert not us_skus & gb_skus

    on_us = world.tiktok_control("GET", f"/products/{us_view['tiktok_product_id']}")
    on_gb = world.tiktok_control("GET", f"/products/{gb_view['tiktok_product_id']}")
    # Each listing is in its own shop (its stock in that shop's warehouses, its price in its
    # currency) with its region's settings: GB's brand, the shared package weight.
    assert sku_warehouses(on_us) <= shop_warehouses(world, world.merchant.tiktok_shop_id)
    assert sku_warehouses(on_gb) <= shop_warehouses(world, gb.shop_id)
    assert sku_warehouses(on_us)
    assert sku_warehouses(on_gb)
    assert {s["price"]["currency"] for s in on_gb["skus"]} == {"GBP"}
    assert {s["price"]["currency"] for s in on_us["skus"]} == {"USD"}
    assert (on_us["brand"], on_gb["brand"]) == (None, {"id": acme["id"]})
    assert on_us["package_weight"] == on_gb["package_weight"]
    assert on_gb["package_weight"]["value"] == "2"

    # Each region lists and counts its own listing state.
    gb_page = in_region(world, "GET", "/products", "GB")
    assert gb_page["counts"]["synced"] == 1
    assert [p["tiktok_product_id"] for p in gb_page["products"]] == [gb_view["tiktok_product_id"]]
    gb_tasks = {t["task_id"] for t in in_region(world, "GET", "/tasks", "GB")}
    assert gb_tasks == {pushes["GB"], pull_task}  # its pushes and the connection's pulls
    assert {pushes["US"], pushes["GB"]} <= {t["task_id"] for t in world.get("/tasks")}
    unknown = httpx.get(f"{world.api}/products", params={"region": "FR"}, timeout=30)
    assert unknown.status_code == 404
    assert "FR is not a region of" in unknown.json()["detail"]

    # Deleted in Shopify: each region's listing is deactivated through its own shop.
    world.shopify_control("DELETE", f"/products?product_id={pid}")
    for region, view in (("US", us_view), ("GB", gb_view)):
        deleted = world.poll(
            lambda r=region: in_region(world, "GET", f"/products/{numeric}", r),
            # TikTok's status webhook may record the deactivation before the deletion's own
            # transaction commits with its reason: wait for the deletion's outcome.
            lambda p: p["tiktok_status"] == "SELLER_DEACTIVATED" and p["deleted"] is True,
            60,
        )
        assert deleted["deleted"] is True, deleted
        assert deleted["reason"] == "Deleted in Shopify; deactivated on TikTok Shop."
        on_tiktok = world.tiktok_control("GET", f"/products/{view['tiktok_product_id']}")
        assert on_tiktok["status"] == "SELLER_DEACTIVATED", region


def region_categories(world: Any, region: str) -> dict[str, Any]:
    """A region's category mappings by Shopify category."""
    return {c["mapping"]["source_key"]: c for c in in_region(world, "GET", "/categories", region)}


def tree_ids(world: Any, region: str, keyword: str) -> set[str]:
    """The ids of a region's TikTok category tree matching a keyword."""
    params = {"region": region, "keyword": keyword}
    response = httpx.get(f"{world.api}/tiktok/categories", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()}


def test_a_product_type_maps_to_its_own_category_in_each_region(catalog_world: Any) -> None:
    world = catalog_world
    gb = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, "GB")
    assert gb.response.status_code == 200, gb.response.text
    brands = f"{world.api}/tiktok/brands"
    world.poll(lambda: httpx.get(brands, params={"name": "Acme"}).status_code, lambda s: s == 200)
    world.poll(
        lambda: httpx.get(f"{world.api}/categories", params={"region": "GB"}).status_code,
        lambda s: s == 200,
    )
    (acme,) = world.get("/tiktok/brands", name="Acme")
    world.seed_clean("Storage Jar", 1, products=1, seed=62)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 2}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid, key = pulled["shopify_product_id"], pulled["category_key"]

    # Each region got TikTok's recommendation from its own market (GB's through GB's shop).
    for region in ("US", "GB"):
        mapping = region_categories(world, region)[key]["mapping"]
        assert (mapping["tiktok_category_id"], mapping["origin"]) == ("600010", "recommended")
    # GB's (v1) tree has a leaf the US (v2) tree has not: the merchant maps GB's jars there,
    # with GB's own category-level brand.
    assert "600030" in tree_ids(world, "GB", "Jars")
    assert "600030" not in tree_ids(world, "US", "Jars")
    gb_jars = {
        "tiktok_category_id": "600030",
        "tiktok_category_name": "Jars & Canisters",
        "listing": {"brand_id": acme["id"]},
    }
    saved = in_region(world, "PUT", f"/categories/{key}", "GB", gb_jars)
    assert (saved["mapping"]["origin"], saved["listing"]["brand_id"]) == ("merchant", acme["id"])
    us_mapping = region_categories(world, "US")[key]
    assert us_mapping["mapping"]["tiktok_category_id"] == "600010"
    assert us_mapping["listing"]["brand_id"] is None
    assert region_categories(world, "GB")[key]["mapping"]["tiktok_category_id"] == "600030"
    unknown = httpx.put(f"{world.api}/categories/{key}", params={"region": "FR"}, json=gb_jars)
    assert unknown.status_code == 404
    assert "FR is not a region of" in unknown.json()["detail"]

    numeric = pid.rsplit("/", 1)[-1]
    for region in ("US", "GB"):
        task = in_region(world, "POST", "/push", region, {"product_ids": [pid]})
        world.wait_task(task["task_id"])
    listed = {r: in_region(world, "GET", f"/products/{numeric}", r) for r in ("US", "GB")}
    assert {v["status"] for v in listed.values()} == {"synced"}, listed
    on_us = world.tiktok_control("GET", f"/products/{listed['US']['tiktok_product_id']}")
    on_gb = world.tiktok_control("GET", f"/products/{listed['GB']['tiktok_product_id']}")
    # Each sandbox product is in its own region's category, with that region's category data.
    assert [c["id"] for c in on_us["category_chains"]] == ["600010"]
    assert [c["id"] for c in on_gb["category_chains"]] == ["600030"]
    assert (on_us["brand"], on_gb["brand"]) == (None, {"id": acme["id"]})


def refused(world: Any, region: str, body: Any) -> str:
    """A region's settings change the connector refuses (422): its reason."""
    response = httpx.put(f"{world.api}/settings", params={"region": region}, json=body, timeout=60)
    assert response.status_code == 422, response.text
    return str(response.json()["detail"])


def by_name(world: Any, path: str, region: str) -> dict[str, Any]:
    """A region's TikTok warehouses or shipping templates, by name."""
    return {t["name"]: t for t in in_region(world, "GET", path, region)}


def test_each_region_ships_from_its_chosen_warehouse_with_its_chosen_template(
    catalog_world: Any,
) -> None:
    """Guide, Settings: "TikTok Shop Warehouse Setting" and "TikTok Shop Template Settings",
    per region: the choices come from each region's shop on TikTok and every push there uses
    them; an update keeps a listed SKU's stock where TikTok has it."""
    world = catalog_world
    us_shop = world.merchant.tiktok_shop_id
    gb = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, "GB")
    assert gb.response.status_code == 200, gb.response.text
    world.poll(
        lambda: httpx.get(f"{world.api}/settings", params={"region": "GB"}).status_code,
        lambda s: s == 200,
    )
    # The seller opens a second US warehouse in Seller Center: the setting lists it.
    east = world.tiktok_control("POST", f"/shops/{us_shop}/warehouses", {"name": "East coast"})
    us_warehouses = by_name(world, "/tiktok/warehouses", "US")
    assert us_warehouses["East coast"]["selected"] is False
    assert us_warehouses["Sales warehouse 1"]["selected"] is True  # TikTok's default
    gb_warehouse = by_name(world, "/tiktok/warehouses", "GB")["Sales warehouse 1"]["id"]
    assert "not a warehouse of this TikTok shop" in refused(
        world, "US", {"warehouse_id": gb_warehouse}
    )
    returns = us_warehouses["Return warehouse"]["id"]
    assert "is a return warehouse" in refused(world, "US", {"warehouse_id": returns})
    in_region(world, "PUT", "/settings", "US", {"warehouse_id": east["id"]})
    assert by_name(world, "/tiktok/warehouses", "US")["East coast"]["selected"] is True

    us_templates = by_name(world, "/tiktok/shipping-templates", "US")
    gb_templates = by_name(world, "/tiktok/shipping-templates", "GB")
    bulky = us_templates["Bulky items"]
    assert (bulky["available"], bulky["unavailable_reasons"]) == (
        False,
        ["Ship by seller is banned"],
    )
    assert "Ship by seller is banned" in refused(world, "US", {"shipping_template_id": bulky["id"]})
    us_express = us_templates["Express shipping"]["id"]
    assert "not a shipping template of this TikTok shop" in refused(
        world, "GB", {"shipping_template_id": us_express}
    )
    in_region(world, "PUT", "/settings", "US", {"shipping_template_id": us_express})
    gb_standard = gb_templates["Standard shipping"]["id"]
    saved = in_region(world, "PUT", "/settings", "GB", {"shipping_template_id": gb_standard})
    assert (saved["shipping_template_id"], saved["warehouse_id"]) == (gb_standard, None)
    assert by_name(world, "/tiktok/shipping-templates", "US")["Express shipping"]["selected"]

    world.seed_clean("Storage Jar", 1, products=1, seed=63)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 2}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid = pulled["shopify_product_id"]
    numeric = pid.rsplit("/", 1)[-1]
    for region in ("US", "GB"):
        world.wait_task(
            in_region(world, "POST", "/push", region, {"product_ids": [pid]})["task_id"]
        )
    listed = {r: in_region(world, "GET", f"/products/{numeric}", r) for r in ("US", "GB")}
    assert {v["status"] for v in listed.values()} == {"synced"}, listed
    on_us = world.tiktok_control("GET", f"/products/{listed['US']['tiktok_product_id']}")
    on_gb = world.tiktok_control("GET", f"/products/{listed['GB']['tiktok_product_id']}")
    assert sku_warehouses(on_us) == {east["id"]}
    assert sku_warehouses(on_gb) <= shop_warehouses(world, gb.shop_id)
    assert (on_us["shipping_template_id"], on_gb["shipping_template_id"]) == (
        us_express,
        gb_standard,
    )

    # Back to TikTok's default warehouse: new SKUs go there, but the listed product's stock
    # stays where TikTok has it (TikTok refuses an edit that moves a SKU's warehouse).
    cleared = in_region(world, "PUT", "/settings", "US", {"warehouse_id": ""})
    assert cleared["warehouse_id"] is None
    world.wait_task(in_region(world, "POST", "/push", "US", {"product_ids": [pid]})["task_id"])
    updated = in_region(world, "GET", f"/products/{numeric}", "US")
    assert updated["status"] == "synced", updated
    on_us = world.tiktok_control("GET", f"/products/{listed['US']['tiktok_product_id']}")
    assert sku_warehouses(on_us) == {east["id"]}
    assert on_us["shipping_template_id"] == us_express
