"""EU Global Products after the first sync: Global Categories count their products, a global
edit TikTok refuses is "Global Update Failed" with TikTok's reason, and a published region's
product shows the status TikTok gave it."""

from typing import Any

import pytest
from connector_devstack.sandboxes import add_region_sync

pytestmark = pytest.mark.e2e


def global_products(world: Any) -> dict[str, Any]:
    """The Global Products list by Shopify product id."""
    return {p["shopify_product_id"]: p for p in world.get("/global/products")["products"]}


def test_a_refused_global_edit_is_global_update_failed(eu_world: Any) -> None:
    """Guide: "Global Products Overview" (Product Status Categories: Global Update Failed;
    Global Categories) and "Update Global Products"."""
    world = eu_world
    # The seller's FR shop joins the connection ("Add Country/Region"): the connector reads
    # what TikTok says of a region's product through that region's own grant.
    fr_shop = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, "FR")
    assert fr_shop.response.status_code == 200, fr_shop.response.text
    # Reviews wait in FR, so the status recorded at publishing is still TikTok's when read.
    world.tiktok_control("PUT", f"/shops/{fr_shop.shop_id}/audit_hold", {"hold": True})
    world.seed_clean("Storage Jar", 1, products=2, seed=61)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/global/pull", {}, status=202)["task_id"])
    (category,) = world.get("/global/categories")
    assert (category["mapping"]["source_key"], category["product_count"]) == ("Storage Jar", 2)

    world.wait_task(
        world.send("POST", "/global/sync", {"all_products": True}, status=202)["task_id"]
    )
    first, second = sorted(global_products(world))
    assert global_products(world)[first]["global_status"] == "global_synced"

    # Global products take metric units only: TikTok refuses the edit, the product says why.
    numeric = first.rsplit("/", 1)[-1]
    world.send(
        "PATCH",
        f"/products/{numeric}",
        {"listing": {"package": {"weight": 2, "weight_unit": "POUND"}}},
    )
    task = world.send("POST", "/global/sync", {"product_ids": [first]}, status=202)
    assert world.wait_task(task["task_id"])["failed"] == 1
    refused = world.get("/global/products", status="global_update_failed")["products"]
    assert [p["shopify_product_id"] for p in refused] == [first]
    assert "use KILOGRAM" in refused[0]["reason"], refused[0]
    assert world.get("/global/products")["counts"]["global_update_failed"] == 1

    task = world.send(
        "POST",
        "/global/publish",
        {"product_ids": [second], "regions": ["FR"], "translation_consent": True},
        status=202,
    )
    world.wait_task(task["task_id"])
    fr = global_products(world)[second]["published"]["FR"]
    on_tiktok = world.tiktok_control("GET", f"/products/{fr['product_id']}")
    assert (fr["status"], fr["tiktok_status"]) == ("published", on_tiktok["status"]), fr
