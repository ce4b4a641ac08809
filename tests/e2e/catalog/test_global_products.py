"""EU Global Products: pull into the global list, global categories, sync as global products,
publish to two regions with translation consent; in each region a product is published once,
locally or globally."""

import asyncio
import json
from typing import Any

import httpx
import pytest
from connector_devstack.sandboxes import add_region_sync
from connector_devstack.topics import read_all

pytestmark = pytest.mark.e2e


def pushed_events(world: Any, product_id: str, at_least: int) -> list[dict[str, Any]]:
    """`product.pushed` payloads of one product of this connection."""
    topic = f"{world.infra.prefix}product.pushed"
    bootstrap = world.infra.broker.bootstrap_servers
    envelopes = [
        json.loads(r.value)
        for r in asyncio.run(read_all(bootstrap, topic, at_least=at_least, within=60))
    ]
    return [
        e["payload"]
        for e in envelopes
        if e["connection_id"] == world.connection_id
        and e["payload"]["shopify_product_id"] == product_id
    ]


def add_regions(world: Any, regions: list[str]) -> None:
    """The same seller opens shops in more EU markets and adds them to the connection."""
    for region in regions:
        added = add_region_sync(world.gateway.url, world.sandboxes, world.merchant, region)
        assert added.response.status_code == 200, added.response.text


def test_global_product_is_published_to_two_regions(eu_world: Any) -> None:
    world = eu_world
    add_regions(world, ["FR", "IT"])
    world.seed_clean("Storage Jar", 2, products=3, seed=31)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/global/pull", {}, status=202)["task_id"])
    listed = world.get("/global/products")
    assert listed["counts"]["global_not_synced"] == 3
    (category,) = world.get("/global/categories")
    assert (category["mapping"]["source_key"], category["mapping"]["tiktok_category_id"]) == (
        "Storage Jar",
        "600010",
    )

    first, second, local = sorted(p["shopify_product_id"] for p in listed["products"])
    world.wait_task(world.send("POST", "/push", {"product_ids": [local]}, status=202)["task_id"])
    assert world.product(local)["status"] == "synced"  # listed locally in DE

    world.wait_task(
        world.send("POST", "/global/sync", {"all_products": True}, status=202)["task_id"]
    )
    by_id = {p["shopify_product_id"]: p for p in world.get("/global/products")["products"]}
    assert {by_id[p]["global_status"] for p in (first, second, local)} == {"global_synced"}
    assert by_id[first]["global_product_id"]
    # Listed locally in DE: not publishable to DE from Global Products, and the reason says so.
    world.wait_task(
        world.send(
            "POST",
            "/global/publish",
            {"product_ids": [local], "regions": ["DE"], "translation_consent": True},
            status=202,
        )["task_id"]
    )
    refused_de = {p["shopify_product_id"]: p for p in world.get("/global/products")["products"]}
    assert "already listed in DE" in refused_de[local]["reason"], refused_de[local]

    refused = httpx.post(
        f"{world.api}/global/publish",
        json={"product_ids": [first], "regions": ["FR"], "translation_consent": False},
        timeout=30,
    )
    assert refused.status_code == 422
    # IT's "Product price" rule is TikTok Shop: its product.pushed says so (ADR 0533).
    it_rules = {"sync_rules": {"update": {"price": "tiktok"}}}
    put = httpx.put(f"{world.api}/settings", params={"region": "IT"}, json=it_rules, timeout=30)
    assert put.status_code == 200, put.text
    task = world.send(
        "POST",
        "/global/publish",
        {"product_ids": [first], "regions": ["FR", "IT"], "translation_consent": True},
        status=202,
    )
    world.wait_task(task["task_id"])
    published = {p["shopify_product_id"]: p for p in world.get("/global/products")["products"]}[
        first
    ]["published"]
    assert {r: p["status"] for r, p in published.items()} == {"FR": "published", "IT": "published"}
    variants = {v["shopify_variant_id"] for v in world.product(first)["variants"]}
    events = world.poll(lambda: pushed_events(world, first, 1), lambda es: len(es) >= 2, 90)
    pushed = {e["tiktok_product_id"]: e for e in events}
    for region in ("FR", "IT"):
        on_tiktok = world.tiktok_control("GET", f"/products/{published[region]['product_id']}")
        assert len(on_tiktok["skus"]) == 2
        # The order relay learns each region's SKUs from one product.pushed per region.
        event = pushed[published[region]["product_id"]]
        links = {link["tiktok_sku_id"]: link for link in event["skus"]}
        assert set(links) == {s["id"] for s in on_tiktok["skus"]}
        assert {link["shopify_variant_id"] for link in links.values()} == variants
        for sku in on_tiktok["skus"]:
            assert links[sku["id"]]["seller_sku"] == sku["seller_sku"]
        assert (event["region"], event["sync_stock"], event["sync_price"]) == (
            region,
            True,
            region != "IT",
        )
    assert set(pushed) == {published["FR"]["product_id"], published["IT"]["product_id"]}
    not_in_fr = world.get("/global/products", not_published_to="FR")["products"]
    assert sorted(p["shopify_product_id"] for p in not_in_fr) == sorted([second, local])

    # Syncing a global product again edits it in place (same global product and SKU ids).
    before = by_id[first]
    global_path = f"/global_products/{before['global_product_id']}"
    before_skus = world.tiktok_control("GET", global_path)["global_skus"]
    assert len(before_skus) == 2
    numeric = first.rsplit("/", 1)[-1]
    world.send(
        "PATCH",
        f"/products/{numeric}",
        {"edits": {"title": "Jar, edited"}, "sync_rules": {"create": {"title": "connector"}}},
    )
    task = world.send("POST", "/global/sync", {"product_ids": [first]}, status=202)
    assert world.wait_task(task["task_id"])["done"] == 1
    after = {p["shopify_product_id"]: p for p in world.get("/global/products")["products"]}[first]
    assert (after["global_status"], after["reason"]) == ("global_synced", None), after
    assert after["global_product_id"] == before["global_product_id"]
    on_tiktok = world.tiktok_control("GET", global_path)
    assert on_tiktok["title"] == "Jar, edited"
    assert on_tiktok["global_skus"] == before_skus

    # The reverse: published to DE from Global Products, it cannot be pushed locally to DE.
    body = {"product_ids": [second], "regions": ["DE"], "translation_consent": True}
    world.wait_task(world.send("POST", "/global/publish", body, status=202)["task_id"])
    world.wait_task(world.send("POST", "/push", {"product_ids": [second]}, status=202)["task_id"])
    local_push = world.product(second)
    assert local_push["status"] == "sync_failed"
    assert "published to DE from Global Products" in local_push["reason"], local_push


def test_a_global_product_deleted_in_shopify_is_deactivated_in_every_market(
    eu_world: Any,
) -> None:
    world = eu_world
    add_regions(world, ["FR", "IT"])
    world.seed_clean("Storage Jar", 2, products=1, seed=32)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/global/pull", {}, status=202)["task_id"])
    world.wait_task(
        world.send("POST", "/global/sync", {"all_products": True}, status=202)["task_id"]
    )
    (listed,) = world.get("/global/products")["products"]
    pid = listed["shopify_product_id"]
    body = {"product_ids": [pid], "regions": ["FR", "IT"], "translation_consent": True}
    world.wait_task(world.send("POST", "/global/publish", body, status=202)["task_id"])
    (published,) = world.get("/global/products")["products"]
    markets = {r: p["product_id"] for r, p in published["published"].items()}
    assert set(markets) == {"FR", "IT"}
    for product_id in markets.values():  # each market's review approves it
        world.poll(
            lambda p=product_id: world.tiktok_control("GET", f"/products/{p}")["status"],
            lambda s: s == "ACTIVATE",
            60,
        )

    world.shopify_control("DELETE", f"/products?product_id={pid}")
    deleted = world.poll(lambda: world.product(pid), lambda p: p["deleted"] and p["reason"], 60)
    assert deleted["reason"] == "Deleted in Shopify; deactivated on TikTok Shop in FR, IT.", deleted
    for product_id in markets.values():
        on_tiktok = world.tiktok_control("GET", f"/products/{product_id}")
        assert on_tiktok["status"] == "SELLER_DEACTIVATED"
    assert world.get("/global/products")["products"] == []


def test_global_precheck_publish_failures_global_tag_and_local_field_rules(eu_world: Any) -> None:
    """Guide, Global Products: "Syncing Products to Global Products" (what a global sync would
    fail on, before submitting), "Publish Global Products to Local Regions" (the Global
    Published Failed tab with its reason, the Global tag on the Local Product page) and the
    "Global Product Fields Editing Guide" (fields a local listing cannot change; a global edit
    overwrites the local ones)."""
    world = eu_world
    add_regions(world, ["FR"])
    world.seed_clean("Storage Jar", 1, products=2, seed=36)
    world.wait_task(world.send("POST", "/global/pull", {}, status=202)["task_id"])
    first, second = sorted(
        p["shopify_product_id"] for p in world.get("/global/products")["products"]
    )
    # No package weight yet: the pre-validation says what would fail, and submits nothing.
    checked = world.send("POST", "/global/precheck", {"all_products": True})
    assert sorted(c["shopify_product_id"] for c in checked) == [first, second]
    assert {c["ready"] for c in checked} == {False}
    assert all("missing_weight" in {i["code"] for i in c["issues"]} for c in checked), checked
    assert world.get("/global/products")["counts"]["global_not_synced"] == 2
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    ready = world.send("POST", "/global/precheck", {"product_ids": [first]})
    assert [(c["ready"], c["issues"]) for c in ready] == [(True, [])]
    world.wait_task(
        world.send("POST", "/global/sync", {"all_products": True}, status=202)["task_id"]
    )

    # The seller has no ES shop: TikTok publishes to FR and refuses ES, with its reason.
    body = {"product_ids": [first], "regions": ["FR", "ES"], "translation_consent": True}
    world.wait_task(world.send("POST", "/global/publish", body, status=202)["task_id"])
    failed = world.get("/global/products", status="global_published_failed")
    assert [p["shopify_product_id"] for p in failed["products"]] == [first]
    assert failed["products"][0]["publish_failures"] == {"ES": "The publish region is inactive."}
    assert failed["counts"]["global_published_failed"] == 1
    assert world.get("/global/products")["counts"]["global_published_failed"] == 1

    # FR's Local Product page shows it with the Global tag.
    fr_page = httpx.get(f"{world.api}/products", params={"region": "FR"}, timeout=30).json()
    in_fr = {p["shopify_product_id"]: p for p in fr_page["products"]}
    assert (in_fr[first]["global_tag"], in_fr[second]["global_tag"]) == (True, False)
    fr_product = in_fr[first]["global_product_id"]
    assert fr_product

    # Its FR listing cannot change what only the global product may; its title it may.
    numeric = first.rsplit("/", 1)[-1]
    for listing, field in (
        ({"brand_id": "7082427311584347905"}, "Brand"),
        ({"package": {"weight": 3}}, "Package Weight"),
    ):
        refused = httpx.patch(
            f"{world.api}/products/{numeric}",
            params={"region": "FR"},
            json={"listing": listing},
            timeout=30,
        )
        assert refused.status_code == 422, refused.text
        assert field in refused.json()["detail"]
        assert "on the global product" in refused.json()["detail"]
    edited = httpx.patch(
        f"{world.api}/products/{numeric}",
        params={"region": "FR"},
        json={"edits": {"title": "Jar, FR title"}, "listing": {"attributes": []}},
        timeout=30,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["global_tag"] is True
    # DE does not list it from Global Products: its package may change there.
    de_edit = httpx.patch(
        f"{world.api}/products/{numeric}",
        params={"region": "DE"},
        json={"listing": {"package": {"weight": 1}}},
        timeout=30,
    )
    assert de_edit.status_code == 200, de_edit.text

    # A global edit overwrites what the FR product shows.
    world.send(
        "PATCH",
        f"/products/{numeric}",
        {"edits": {"title": "Jar, global edit"}, "sync_rules": {"create": {"title": "connector"}}},
    )
    world.wait_task(
        world.send("POST", "/global/sync", {"product_ids": [first]}, status=202)["task_id"]
    )
    assert world.tiktok_control("GET", f"/products/{fr_product}")["title"] == "Jar, global edit"
