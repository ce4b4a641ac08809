"""Editing listing data at one level keeps the rest of it, through the gateway, to TikTok Shop."""

from typing import Any

import httpx
import pytest
from connector_devstack.polling import poll

pytestmark = pytest.mark.e2e

ACME = "7082427311584347906"  # an authorized brand of the sandbox
TEAS = "7082427311584347905"


def test_an_edit_changes_only_the_fields_it_names(catalog_world: Any) -> None:
    """Guide: "Certificates/Required Attributes" (Choose Brand, Fill in Attributes), "Categories"
    (Bulk Upload Certifications/Attributes, Bulk Choose Brand at the Category Level) and
    "Settings: Product Settings" (Custom Attributes: default package)."""
    world = catalog_world
    world.seed_clean("Storage Jar", 1, products=1, seed=41)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.send("PUT", "/settings", {"listing": {"brand_id": TEAS}})
    assert world.get("/settings")["listing"]["package"]["weight"] == 1  # not wiped by the brand
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    key, pid = pulled["category_key"], pulled["shopify_product_id"]
    numeric = pid.rsplit("/", 1)[-1]

    charts = world.get(f"/categories/{key}/size-charts")
    template = next(t for t in charts["templates"] if t["name"] == "Womenswear sizes")
    world.send("PUT", f"/categories/{key}/size-chart", {"template_id": template["template_id"]})
    world.send("PUT", f"/categories/{key}", {"listing": {"brand_id": ACME}})
    assert world.get(f"/categories/{key}/size-charts")["template_id"] == template["template_id"]

    occasion = {"attribute_id": "100392", "value_ids": ["1001534"], "custom_values": []}
    world.send("PATCH", f"/products/{numeric}", {"listing": {"attributes": [occasion]}})
    world.send("PATCH", f"/products/{numeric}", {"edits": {"title": "Jar, by the connector"}})
    world.send("PATCH", f"/products/{numeric}", {"listing": {"brand_id": TEAS}})
    edited = world.product(pid)
    assert edited["listing"]["attributes"] == [occasion]
    assert edited["listing"]["brand_id"] == TEAS
    assert edited["edits"]["title"] == "Jar, by the connector"
    # An explicit null clears one field: the product inherits the category's brand again.
    world.send("PATCH", f"/products/{numeric}", {"listing": {"brand_id": None}})
    assert world.product(pid)["listing"]["brand_id"] is None

    world.send("PUT", "/settings", {"sync_rules": {"create": {"title": "connector"}}})
    world.wait_task(world.send("POST", "/push", {"product_ids": [pid]}, status=202)["task_id"])
    synced = world.product(pid)
    assert synced["status"] == "synced", synced
    listed = world.tiktok_control("GET", f"/products/{synced['tiktok_product_id']}")
    assert listed["title"] == "Jar, by the connector"
    assert listed["brand"]["id"] == ACME  # the category's, as the product's was cleared
    assert listed["size_chart"] == {"template": {"id": template["template_id"]}}
    (wedding,) = [a for a in listed["product_attributes"] if a["id"] == "100392"]
    assert [v["id"] for v in wedding["values"]] == ["1001534"]
    assert listed["package_weight"]["value"] == "1"


PERSON = {
    "name": "EU Rep Ltd",
    "email": "rep@example.ie",
    "address": "1 Main St, Dublin",
    "postal_code": "D01 F5P2",
    "country": "IE",
    "phone_number": {"country_code": "+353", "local_number": "15551234"},
}


def test_a_product_level_delete_of_the_last_person_does_not_fall_back(catalog_world: Any) -> None:
    """Guide: "Fill in Compliances" (Delete: select the Responsible Person/Manufacturer and click
    "x"; product level has priority over category and store level) and "Qualification Center"
    (Unlink Product)."""
    world = catalog_world
    world.seed_clean("Storage Jar", 1, products=2, seed=42)
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    store_rp = world.send("POST", "/compliance/responsible_persons", PERSON, status=201)
    own_rp = world.send("POST", "/compliance/responsible_persons", PERSON, status=201)
    world.send(
        "PUT",
        "/settings",
        {"listing": {"package": {"weight": 1}, "responsible_person_ids": [store_rp["id"]]}},
    )
    first, second = sorted(p["shopify_product_id"] for p in world.products())
    base = f"/compliance/responsible_persons/{own_rp['id']}"
    world.send("POST", f"{base}/link", {"product_ids": [first]})
    world.send("POST", f"{base}/unlink", {"all_products": True})  # the product-level "x"
    assert world.product(first)["listing"]["responsible_person_ids"] == []
    assert world.product(second)["listing"]["responsible_person_ids"] is None  # inherits

    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    listed = {
        p["shopify_product_id"]: world.tiktok_control("GET", f"/products/{p['tiktok_product_id']}")
        for p in world.products(status="synced")
    }
    assert listed[first]["responsible_person_ids"] == []
    assert listed[second]["responsible_person_ids"] == [store_rp["id"]]


def test_a_pdf_certificate_reaches_tiktok_with_the_listing(catalog_world: Any) -> None:
    """Guide: "Certificates/Required Attributes" (Certificates: upload the required
    certification) and "Categories" (Bulk Upload Certifications at the Category Level)."""
    world = catalog_world
    world.seed_clean("Charger", 1, products=1, seed=43)
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    key, pid = pulled["category_key"], pulled["shopify_product_id"]
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    uploaded = httpx.post(
        f"{world.api}/uploads",
        files={"file": ("FCC grant.pdf", pdf, "application/pdf")},
        data={"use": "certification_file"},
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id, name = uploaded.json()["file_id"], uploaded.json()["name"]
    assert name.endswith(".pdf")
    not_pdf = httpx.post(
        f"{world.api}/uploads",
        files={"file": ("grant.pdf", b"not a pdf", "application/pdf")},
        data={"use": "certification_file"},
        timeout=30,
    )
    assert not_pdf.status_code == 422, not_pdf.text

    package = {"weight": 1, "length": 10, "width": 10, "height": 5}
    world.send("PUT", "/settings", {"listing": {"package": package, "brand_id": ACME}})
    fcc = {"certification_id": "602400", "file_ids": [file_id]}
    world.send("PUT", f"/categories/{key}", {"listing": {"certifications": [fcc]}})
    world.wait_task(world.send("POST", "/push", {"product_ids": [pid]}, status=202)["task_id"])
    synced = world.product(pid)
    assert synced["status"] == "synced", synced
    listed = world.tiktok_control("GET", f"/products/{synced['tiktok_product_id']}")
    (certificate,) = listed["certifications"]
    assert certificate["id"] == "602400"
    assert certificate["files"] == [{"id": file_id, "name": name, "format": "PDF"}]


def test_qualification_center_lists_page_and_filter_linked_and_not_linked(
    catalog_world: Any,
) -> None:
    """Guide: "Qualification Center" (View List: the list is paginated; Product Detail Module:
    filters by Category, Product ID or Product Name; Link New Products: all products not
    currently linked to the selected RP/Manufacturer)."""
    world = catalog_world
    world.seed_clean("Storage Jar", 1, products=2, seed=44)
    world.seed_clean("Candle", 1, products=1, seed=45)
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    by_type = sorted(world.products(), key=lambda p: (p["product_type"], p["shopify_product_id"]))
    candle, jar, other_jar = by_type
    first = world.send("POST", "/compliance/manufacturers", PERSON, status=201)
    second = world.send("POST", "/compliance/manufacturers", PERSON | {"name": "B"}, status=201)
    base = f"{world.api}/compliance/manufacturers"
    page = httpx.get(base, params={"limit": 1, "offset": 1}, timeout=30)
    assert page.headers["X-Total-Count"] == "2"
    assert [e["id"] for e in page.json()] == [second["id"]]

    world.send(
        "POST",
        f"/compliance/manufacturers/{first['id']}/link",
        {"product_ids": [jar["shopify_product_id"]]},
    )

    def products(**params: Any) -> tuple[list[str], str]:
        response = httpx.get(f"{base}/{first['id']}/products", params=params, timeout=30)
        assert response.status_code == 200, response.text
        return [p["shopify_product_id"] for p in response.json()], response.headers["X-Total-Count"]

    assert products() == ([jar["shopify_product_id"]], "1")
    not_linked = sorted([candle["shopify_product_id"], other_jar["shopify_product_id"]])
    listed, total = products(linked="false")
    assert (sorted(listed), total) == (not_linked, "2")
    assert products(linked="false", category="Candle") == ([candle["shopify_product_id"]], "1")
    numeric = other_jar["shopify_product_id"].rsplit("/", 1)[-1]
    assert products(linked="false", product_id=numeric) == ([other_jar["shopify_product_id"]], "1")
    assert products(linked="false", q=other_jar["title"][-6:]) == (
        [other_jar["shopify_product_id"]],
        "1",
    )
    one, total = products(linked="false", limit=1)
    assert (len(one), total) == (1, "2")


def test_optimize_info_applies_undoes_and_optimizes_the_main_image_on_tiktok(
    catalog_world: Any,
) -> None:
    """Guide: "Product Details: Optimize Info" (Apply AI-generated Title/Description, click to
    add the generated keywords to the Title, "AI Optimize" the main image and "Undo AI
    Optimize"; only the main image, other images follow the 'Product media' sync rule)."""
    world = catalog_world
    world.seed_clean("Storage Jar", 1, products=1, seed=46)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}, "brand_id": TEAS}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    (pulled,) = world.products()
    pid = pulled["shopify_product_id"]
    base = f"/products/{pid.rsplit('/', 1)[-1]}/optimization"
    world.wait_task(world.send("POST", "/push", {"product_ids": [pid]}, status=202)["task_id"])
    tiktok_id = world.product(pid)["tiktok_product_id"]

    def listed() -> Any:
        return world.tiktok_control("GET", f"/products/{tiktok_id}")

    world.poll(listed, lambda p: p["status"] == "ACTIVATE", 60)
    original = listed()
    first_image = original["main_images"][0]["uri"]
    shown = world.get(base)
    assert "IMAGE" in {d["field"] for d in shown["suggestions"]["diagnoses"]}
    assert shown["suggestions"]["quality_tier"] in {"POOR", "FAIR"}
    assert "Shopify store" in shown["other_images"]  # the media rule is Shopify's
    title, keyword = shown["suggestions"]["titles"][0], shown["suggestions"]["seo_words"][0]

    applied = world.send("POST", f"{base}/apply", {"title": title, "keywords": [keyword]})
    assert listed()["title"] == applied["listing"]["title"] == f"{title} {keyword}"
    (change,) = applied["applied"]
    assert (change["previous"], change["kept_on_update"]) == (original["title"], False)
    undone = world.send("POST", f"{base}/undo", {"fields": ["title"]})
    assert (listed()["title"], undone["applied"]) == (original["title"], [])
    nothing = world.send("POST", f"{base}/undo", {"fields": ["title"]}, status=409)
    assert "Nothing applied" in nothing["detail"]

    optimized = world.send("POST", f"{base}/main-image", {})
    new_image = optimized["listing"]["main_image_uri"]
    assert new_image != first_image
    assert listed()["main_images"][0]["uri"] == new_image
    # An update from Shopify (media rule: Shopify) keeps the optimized copy of its main image.
    world.wait_task(world.send("POST", "/push", {"product_ids": [pid]}, status=202)["task_id"])
    assert world.product(pid)["status"] == "synced"
    assert listed()["main_images"][0]["uri"] == new_image
    reverted = world.send("DELETE", f"{base}/main-image", None)
    assert listed()["main_images"][0]["uri"] == first_image == reverted["listing"]["main_image_uri"]


def test_optimize_info_is_not_offered_outside_the_us_and_uk(eu_world: Any) -> None:
    """Guide: "Product Details: Optimize Info" (For US/UK only)."""
    # The replica answers settings once it holds the connection; the shop's authorization is a
    # later revision of it (connection.changed), so wait for that before asking.
    refused = poll(
        lambda: httpx.get(f"{eu_world.api}/products/1/optimization", timeout=30),
        lambda r: "is not authorized" not in r.text,
        60,
    )
    assert refused.status_code == 409, refused.text
    assert "US and UK shops only" in refused.json()["detail"]


def test_a_category_metafield_mapping_fills_a_required_attribute_on_tiktok(
    catalog_world: Any,
) -> None:
    """Guide: "Categories" (Bulk Matefield Mapping at the Category Level: all products under the
    category will have the same metafield mapping) and "Certificates/Required Attributes" (Fill
    in Attributes: the product level has priority over the category level)."""
    world = catalog_world
    seeded = world.seed_clean("Candle", 1, products=2, seed=46, video_ratio=0)
    mapped_id, own_id = seeded["product_ids"]
    for product_id, value in ((mapped_id, "Beeswax"), (own_id, "Wax")):
        material = {"namespace": "custom", "key": "material", "type": "single_line_text_field"}
        world.shopify_control(
            "POST",
            "/metafields",
            {"product_id": product_id, "metafields": [material | {"value": value}]},
        )
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    path = "/categories/Candle/metafield-mappings"
    offered = world.get(path)
    assert offered["tiktok_category_id"] == "600020"  # Candles & Holders: Material is required
    assert offered["metafields"] == ["custom.material"]
    assert "101001" in {a["id"] for a in offered["attributes"]}

    refused = httpx.put(
        f"{world.api}{path}",
        json={
            "mappings": [
                {
                    "metafield": "custom.material",
                    "attribute_id": "101001",
                    "values": {"Beeswax": "999"},
                }
            ]
        },
        timeout=30,
    )
    assert refused.status_code == 422, refused.text
    assert [e["loc"] for e in refused.json()["detail"]] == [
        ["body", "mappings", 0, "values", "Beeswax"]
    ]
    mapping = {
        "metafield": "custom.material",
        "attribute_id": "101001",
        "values": {"Beeswax": "1010012"},
    }  # Wax; "Wax" itself matches by name
    assert world.send("PUT", path, {"mappings": [mapping]})["mappings"] == [mapping]
    silicone = {"attribute_id": "101001", "value_ids": ["1010013"], "custom_values": []}
    world.send(
        "PATCH", f"/products/{own_id.rsplit('/', 1)[-1]}", {"listing": {"attributes": [silicone]}}
    )

    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    materials = {}
    for product_id in (mapped_id, own_id):
        synced = world.product(product_id)
        assert synced["status"] == "synced", synced
        listed = world.tiktok_control("GET", f"/products/{synced['tiktok_product_id']}")
        (material,) = [a for a in listed["product_attributes"] if a["id"] == "101001"]
        materials[product_id] = [v["id"] for v in material["values"]]
    assert materials == {mapped_id: ["1010012"], own_id: ["1010013"]}  # the product's own wins
