"""Qualification Center (responsible persons / manufacturers linked to products) and the
category-level CSV bulk edit, through the public API."""

import csv
import io
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

PERSON = {
    "name": "EU Rep Ltd",
    "email": "rep@example.ie",
    "address": "1 Main St, Dublin",
    "postal_code": "D01 F5P2",
    "country": "IE",
    "phone_number": {"country_code": "+353", "local_number": "15551234"},
}


def test_qualification_center_links_products_and_csv_fills_attributes(catalog_world: Any) -> None:
    world = catalog_world
    world.seed_clean("Candle", 1, products=6, seed=21)
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    products = sorted(world.products(), key=lambda p: p["shopify_product_id"])
    ids = [p["shopify_product_id"] for p in products]

    person = world.send("POST", "/compliance/responsible_persons", PERSON, status=201)
    maker = world.send(
        "POST", "/compliance/manufacturers", PERSON | {"registered_trade_name": "Rep"}, status=201
    )
    base = f"/compliance/responsible_persons/{person['id']}"
    assert len(world.send("POST", f"{base}/link", {"all_products": True})) == 6
    assert len(world.send("POST", f"{base}/unlink", {"product_ids": [ids[0]]})) == 5
    world.send("POST", f"/compliance/manufacturers/{maker['id']}/link", {"product_ids": ids[:2]})
    world.send("PUT", base, PERSON | {"name": "EU Rep Renamed"})
    (listed,) = world.get("/compliance/responsible_persons")
    assert (listed["details"]["name"], listed["linked_products"]) == ("EU Rep Renamed", 5)
    # The edit reached TikTok Shop (Partial Edit Responsible Person), address as an object.
    on_tiktok = world.tiktok_control("GET", f"/compliance/responsible_persons/{person['id']}")
    profile = on_tiktok["regional_profiles"][0]
    assert profile["name"] == "EU Rep Renamed"
    assert profile["address"]["postal_code"] == "D01 F5P2"
    # TikTok refuses a non-EU phone for a responsible person: the reason comes back, and
    # neither TikTok's nor the connector's copy changes.
    refused = httpx.put(
        f"{world.api}{base}",
        json=PERSON
        | {"name": "Not Saved", "phone_number": {"country_code": "+1", "local_number": "5551234"}},
        timeout=30,
    )
    assert refused.status_code == 422, refused.text
    assert "Invalid EU phone country code" in refused.json()["detail"]
    (unchanged,) = world.get("/compliance/responsible_persons")
    assert unchanged["details"]["name"] == "EU Rep Renamed"
    maker_path = f"/compliance/manufacturers/{maker['id']}"
    world.send("PUT", maker_path, PERSON | {"registered_trade_name": "Rep GmbH"})
    maker_on_tiktok = world.tiktok_control("GET", maker_path)["regional_profiles"][0]
    assert (maker_on_tiktok["registered_trade_name"], maker_on_tiktok["address"]) == (
        "Rep GmbH",
        PERSON["address"],
    )
    unknown = httpx.put(f"{world.api}/compliance/manufacturers/nope", json=PERSON, timeout=30)
    assert unknown.status_code == 404
    assert world.product(ids[1])["listing"]["manufacturer_ids"] == [maker["id"]]
    bad = httpx.post(
        f"{world.api}/compliance/manufacturers", json=PERSON | {"email": "nope"}, timeout=30
    )
    assert bad.status_code == 422
    assert "email" in bad.text

    template = httpx.get(f"{world.api}/categories/Candle/csv", timeout=30)
    assert template.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(template.text)))
    material = header.index("Material [101001] *")
    for row in rows:
        row[material] = "Wax"
    rows[-1][header.index("brand_id")] = "Acme"  # a name, not a TikTok brand id
    rows.append(["123", "not a candle", "", "", ""])
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    uploaded = httpx.post(
        f"{world.api}/categories/Candle/csv",
        files={"file": ("candles.csv", out.getvalue(), "text/csv")},
        timeout=30,
    )
    assert uploaded.status_code == 202, uploaded.text
    result = uploaded.json()
    assert (result["valid_rows"], result["error_rows"]) == (5, 2)
    world.wait_task(result["task_id"])
    errors = httpx.get(f"{world.gateway.url}{result['error_file_url']}", timeout=30)
    error_rows = list(csv.reader(io.StringIO(errors.text)))
    assert error_rows[0][-1] == "errors"
    assert len(error_rows) == 3
    assert "brand search" in error_rows[1][-1]
    assert "not in this category" in error_rows[2][-1]

    world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
    statuses = {p["shopify_product_id"]: p for p in world.products()}
    failed = [p for p in statuses.values() if p["status"] != "synced"]
    assert len(failed) == 1
    assert "'Material'" in failed[0]["reason"]
