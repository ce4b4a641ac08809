"""What the connector records and shows is what TikTok Shop said: product and audit statuses
after creates, edits and the status rule's activate / deactivate, brands, and categories chosen
by hand; each through the gateway against the sandboxes."""

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def wait_authorized(world: Any) -> None:
    """catalog-sync has the TikTok side of the connection (before, a TikTok call is a 500:
    see the report; the replica arrives in two steps)."""
    url = f"{world.api}/tiktok/categories"
    world.poll(
        lambda: httpx.get(url, params={"keyword": "Jar"}).status_code, lambda s: s == 200, 60
    )


def listed(world: Any, tiktok_product_id: str) -> Any:
    """The product as TikTok Shop has it (sandbox control plane)."""
    return world.tiktok_control("GET", f"/products/{tiktok_product_id}")


def push(world: Any, pid: str) -> Any:
    """Push one product and return it as the connector then shows it."""
    world.wait_task(world.send("POST", "/push", {"product_ids": [pid]}, status=202)["task_id"])
    return world.product(pid)


def shown_as_said(world: Any, pid: str) -> Any:
    """The connector shows TikTok's own product status and audit status."""
    product = world.product(pid)
    on_tiktok = listed(world, product["tiktok_product_id"])
    assert (product["tiktok_status"], product["audit_status"]) == (
        on_tiktok["status"],
        on_tiktok["audit"]["status"],
    ), (product, on_tiktok)
    return product


def repull(world: Any, pid: str, status: str) -> None:
    """The merchant sets the Shopify status; a pull brings it in."""
    world.shopify_control("POST", "/product-status", {"product_id": pid, "status": status})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])


def test_statuses_are_what_tiktok_said_through_the_status_rule(catalog_world: Any) -> None:
    """Guide: "Settings: Product Settings" (Sync Rules: Product status, Update: Origin sets the
    TikTok Shop status from Shopify) and "Updating Products"."""
    world = catalog_world
    shop_id = world.merchant.tiktok_shop_id
    world.tiktok_control("PUT", f"/shops/{shop_id}/audit_hold", {"hold": True})
    world.seed_clean("Storage Jar", 1, products=1, seed=51)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid = pulled["shopify_product_id"]
    created = push(world, pid)
    assert created["status"] == "synced", created
    tiktok_id = created["tiktok_product_id"]
    assert shown_as_said(world, pid)["tiktok_status"] == "PENDING"
    world.tiktok_control("POST", f"/products/{tiktok_id}/audit", {"approved": True})
    world.poll(lambda: world.product(pid), lambda p: p["audit_status"] == "APPROVED", 60)
    assert shown_as_said(world, pid)["tiktok_status"] == "ACTIVATE"

    # Draft in Shopify under the "origin" status rule: the update deactivates it on TikTok,
    # which keeps reviewing the edited version meanwhile.
    numeric = pid.rsplit("/", 1)[-1]
    world.send("PATCH", f"/products/{numeric}", {"sync_rules": {"update": {"status": "origin"}}})
    repull(world, pid, "DRAFT")
    push(world, pid)
    drafted = shown_as_said(world, pid)
    assert (drafted["tiktok_status"], drafted["audit_status"]) == ("SELLER_DEACTIVATED", "AUDITING")
    # The edit's approval leaves the status the rule set.
    world.tiktok_control("POST", f"/products/{tiktok_id}/audit", {"approved": True})
    world.poll(lambda: world.product(pid), lambda p: p["audit_status"] == "APPROVED", 60)
    assert shown_as_said(world, pid)["tiktok_status"] == "SELLER_DEACTIVATED"

    repull(world, pid, "ACTIVE")
    push(world, pid)
    assert shown_as_said(world, pid)["tiktok_status"] == "ACTIVATE"


def test_brands_are_searched_created_and_used_as_tiktok_says(catalog_world: Any) -> None:
    """Guide: "Choose Brand" (Search by brand name -> Confirm -> re-push) and "Categories:
    Update attributes, brand for products by CSV" (the search brand module)."""
    world = catalog_world
    wait_authorized(world)
    (acme,) = world.get("/tiktok/brands", name="Acme")
    (lumen,) = world.get("/tiktok/brands", name="Lumen")
    assert (acme["authorized"], acme["usable"]) == (True, True)
    assert (lumen["authorized"], lumen["usable"]) == (False, False)  # a T1 brand, unauthorized

    made = world.send("POST", "/tiktok/brands", {"name": "Silk Test Jars"}, status=201)
    # TikTok holds no trademark authorization for a custom brand; it may still be used.
    assert (made["authorized"], made["usable"]) == (False, True), made
    assert [b["id"] for b in world.get("/tiktok/brands", name="Silk Test")] == [made["id"]]
    refused = httpx.post(f"{world.api}/tiktok/brands", json={"name": "Jars 123456"}, timeout=30)
    assert refused.status_code == 422
    assert "5 or more consecutive numbers" in refused.json()["detail"]

    world.seed_clean("Storage Jar", 1, products=1, seed=52)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid = pulled["shopify_product_id"]
    numeric = pid.rsplit("/", 1)[-1]
    world.send("PATCH", f"/products/{numeric}", {"listing": {"brand_id": lumen["id"]}})
    refused_brand = push(world, pid)
    assert refused_brand["status"] == "sync_failed"
    assert "not authorized to sell this brand" in refused_brand["reason"]
    world.send("PATCH", f"/products/{numeric}", {"listing": {"brand_id": made["id"]}})
    synced = push(world, pid)
    assert synced["status"] == "synced", synced
    assert listed(world, synced["tiktok_product_id"])["brand"] == {"id": made["id"]}


def test_a_category_searched_and_mapped_by_hand_is_the_one_listed(catalog_world: Any) -> None:
    """Guide: "Categories" (Automatically suggests a category in TTS; can be changed or mapped
    to TikTok Shop categories manually)."""
    world = catalog_world
    world.seed_clean("Storage Jar", 1, products=1, seed=53)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    key, pid = pulled["category_key"], pulled["shopify_product_id"]
    (suggested,) = [c for c in world.get("/categories") if c["mapping"]["source_key"] == key]
    assert suggested["mapping"]["tiktok_category_id"] == "600010"

    found = world.get("/tiktok/categories", keyword="Candles")
    candles = next(c for c in found if c["name"] == "Candles & Holders")
    assert candles["is_leaf"]
    chosen = world.send(
        "PUT",
        f"/categories/{key}",
        {"tiktok_category_id": candles["id"], "tiktok_category_name": candles["name"]},
    )
    assert (chosen["mapping"]["tiktok_category_id"], chosen["mapping"]["origin"]) == (
        candles["id"],
        "merchant",
    )
    missing = push(world, pid)  # the new leaf requires Material
    assert missing["status"] == "sync_failed"
    assert "Material" in missing["reason"], missing
    wax = {"attribute_id": "101001", "value_ids": ["1010012"]}
    world.send("PUT", f"/categories/{key}", {"listing": {"attributes": [wax]}})
    synced = push(world, pid)
    assert synced["status"] == "synced", synced
    on_tiktok = listed(world, synced["tiktok_product_id"])
    assert on_tiktok["category_chains"][0]["id"] == candles["id"]
