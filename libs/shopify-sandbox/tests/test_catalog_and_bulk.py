"""Seeding is deterministic and bulk operations produce JSONL linked by `__parentId` (B4)."""

from __future__ import annotations

import json
import time

import httpx
from shopify_sandbox.testing import RawAdmin, SandboxShop, provision_shop

RUN = "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { message code } } }"
POLL = "query($id: ID!) { node(id: $id) { ... on BulkOperation { status url objectCount rootObjectCount } } }"
INNER = "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }"


def _finished(admin: RawAdmin, op_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 10
    while True:
        node = admin.data(POLL, {"id": op_id})["node"]
        assert isinstance(node, dict)
        if node["status"] in ("COMPLETED", "FAILED"):
            return node
        assert time.monotonic() < deadline, "bulk operation did not finish"
        time.sleep(0.02)


def test_same_seed_gives_the_same_catalog(env: SandboxShop) -> None:
    other = provision_shop(env.control)
    first = env.control.seed(env.shop, products=20, variants_per_product=2, seed=42)
    second = env.control.seed(other.shop, products=20, variants_per_product=2, seed=42)
    assert first == second


def test_seed_plants_the_requested_data_problems(env: SandboxShop) -> None:
    summary = env.control.seed(
        env.shop,
        products=50,
        missing_product_type_ratio=0.5,
        missing_barcode_ratio=0.5,
        long_title_ratio=0.5,
        duplicate_sku_ratio=0.5,
        missing_images_ratio=0.5,
        seed=1,
    )
    for problem in (
        "missing_product_type",
        "missing_barcode",
        "long_titles",
        "duplicate_skus",
        "missing_images",
    ):
        assert summary[problem] > 0, problem


def test_bulk_query_completes_with_parent_linked_jsonl(admin: RawAdmin, env: SandboxShop) -> None:
    env.control.seed(env.shop, products=5, variants_per_product=3)
    started = admin.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    assert isinstance(started, dict)
    assert started["bulkOperation"]["status"] == "CREATED"
    done = _finished(admin, started["bulkOperation"]["id"])
    assert (done["status"], done["objectCount"], done["rootObjectCount"]) == (
        "COMPLETED",
        "20",
        "5",
    )
    lines = [json.loads(line) for line in httpx.get(str(done["url"])).text.splitlines()]
    products = {line["id"] for line in lines if "__parentId" not in line}
    variants = [line for line in lines if "__parentId" in line]
    assert len(products) == 5
    assert len(variants) == 15
    assert all(v["__parentId"] in products for v in variants)
    assert all("variants" not in line for line in lines)


MEDIA = (
    "{ products { edges { node { id media { edges { node { id mediaContentType"
    " ... on MediaImage { image { url } }"
    " ... on Video { filename sources { url mimeType format width height fileSize } } } } } } } } }"
)


def test_videos_are_media_child_rows_with_their_sources(admin: RawAdmin, env: SandboxShop) -> None:
    summary = env.control.seed(env.shop, products=10, video_ratio=0.5, seed=3)
    assert 0 < summary["with_video"] < 10
    started = admin.data(RUN, {"q": MEDIA})["bulkOperationRunQuery"]
    assert isinstance(started, dict)
    done = _finished(admin, started["bulkOperation"]["id"])
    lines = [json.loads(line) for line in httpx.get(str(done["url"])).text.splitlines()]
    products = {line["id"] for line in lines if "__parentId" not in line}
    videos = [line for line in lines if line.get("mediaContentType") == "VIDEO"]
    assert len(videos) == summary["with_video"]
    for video in videos:
        assert video["__parentId"] in products
        assert video["id"].startswith("gid://shopify/Video/")
        formats = {s["format"]: s for s in video["sources"]}
        assert set(formats) == {"mp4", "m3u8"}
        mp4 = formats["mp4"]
        assert mp4["mimeType"] == "video/mp4"
        assert 9 / 16 <= mp4["width"] / mp4["height"] <= 16 / 9
        assert mp4["fileSize"] > 0


def test_same_seed_without_videos_keeps_every_other_id(env: SandboxShop) -> None:
    other = provision_shop(env.control)
    with_videos = env.control.seed(env.shop, products=20, seed=9, video_ratio=1.0)
    without = env.control.seed(other.shop, products=20, seed=9, video_ratio=0.0)
    assert with_videos.pop("with_video") == 20
    assert without.pop("with_video") == 0
    assert with_videos == without


def test_merchant_adds_a_video_after_the_images(admin: RawAdmin, env: SandboxShop) -> None:
    product_id = env.control.seed(env.shop, products=1, video_ratio=0.0)["product_ids"][0]
    added = env.control.add_video(env.shop, product_id, filename="demo.mp4", width=1920)
    assert added["sources"][0]["url"].endswith("/demo.mp4")
    query = (
        "query($id: ID!) { product(id: $id) { featuredMedia { mediaContentType }"
        " media(first: 10) { nodes { id mediaContentType ... on Video { filename"
        " originalSource { width height } } } }"
        " variants(first: 1) { nodes { media(first: 5) { nodes { mediaContentType } } } } } }"
    )
    product = admin.data(query, {"id": product_id})["product"]
    assert isinstance(product, dict)
    media = product["media"]["nodes"]
    assert media[-1] == {
        "id": added["id"],
        "mediaContentType": "VIDEO",
        "filename": "demo.mp4",
        "originalSource": {"width": 1920, "height": 1080},
    }
    assert product["featuredMedia"]["mediaContentType"] == "IMAGE"
    variant_media = product["variants"]["nodes"][0]["media"]["nodes"]
    assert {m["mediaContentType"] for m in variant_media} == {"IMAGE"}


def test_bulk_query_without_connection_is_a_user_error(admin: RawAdmin) -> None:
    payload = admin.data(RUN, {"q": "{ shop { name } }"})["bulkOperationRunQuery"]
    assert isinstance(payload, dict)
    assert payload["userErrors"][0]["code"] == "INVALID"


def test_only_one_bulk_query_runs_at_a_time_before_2026_01(
    sandbox_url: str, env: SandboxShop
) -> None:
    old = RawAdmin(sandbox_url, env, version="2025-10")
    first = old.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    second = old.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    assert first["userErrors"] == []
    assert second["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"


def test_a_store_limited_to_one_slot_refuses_a_second_query_until_its_held_export_ends(
    admin: RawAdmin, env: SandboxShop
) -> None:
    env.control.set_bulk(env.shop, max_concurrent=1, held=True)
    first = admin.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    second = admin.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    op_id = first["bulkOperation"]["id"]
    assert second["bulkOperation"] is None
    (error,) = second["userErrors"]
    assert error["code"] == "OPERATION_IN_PROGRESS"
    assert error["message"] == (
        f"A bulk query operation for this app and shop is already in progress: {op_id}."
    )
    time.sleep(0.2)  # several bulk delays: held, it is still RUNNING
    node = admin.data(POLL, {"id": op_id})["node"]
    assert isinstance(node, dict)
    assert node["status"] == "RUNNING"
    released = env.control.set_bulk(env.shop, max_concurrent=1)
    assert released["held"] is False
    assert _finished(admin, op_id)["status"] == "COMPLETED"
    third = admin.data(RUN, {"q": INNER})["bulkOperationRunQuery"]
    assert isinstance(third, dict)
    assert third["userErrors"] == []


SET = (
    "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {"
    " metafields { id namespace key type value } userErrors { field message code elementIndex } } }"
)
METAFIELDS = (
    "{ products { edges { node { id metafields { edges { node { id namespace key type value } } }"
    " } } } }"
)


def test_metafields_are_set_all_or_nothing_and_served_by_reads_and_bulk(
    admin: RawAdmin, env: SandboxShop
) -> None:
    product_id = env.control.seed(env.shop, products=1, video_ratio=0.0)["product_ids"][0]
    material = {"ownerId": product_id, "namespace": "custom", "key": "material"}
    bad = [
        material | {"type": "single_line_text_field", "value": "Wax"},
        material | {"key": "weight", "type": "number_integer", "value": "heavy"},
    ]
    refused = admin.data(SET, {"m": bad})["metafieldsSet"]
    assert isinstance(refused, dict)
    assert refused["metafields"] is None
    (error,) = refused["userErrors"]
    assert (error["code"], error["elementIndex"], error["field"]) == (
        "INVALID_VALUE",
        1,
        ["metafields", "1", "value"],
    )
    untyped = admin.data(SET, {"m": [material | {"value": "Wax"}]})["metafieldsSet"]
    assert isinstance(untyped, dict)
    assert untyped["userErrors"][0]["code"] == "BLANK"  # a new metafield needs its type

    good = [
        material | {"type": "single_line_text_field", "value": "Wax"},
        material
        | {
            "key": "occasions",
            "type": "list.single_line_text_field",
            "value": '["Birthday", "Wedding"]',
        },
    ]
    saved = admin.data(SET, {"m": good})["metafieldsSet"]
    assert isinstance(saved, dict)
    assert saved["userErrors"] == []
    assert [m["id"].split("/")[3] for m in saved["metafields"]] == ["Metafield", "Metafield"]
    query = (
        'query($id: ID!) { product(id: $id) { metafield(namespace: "custom", key: "material")'
        ' { value } metafields(first: 5, keys: ["custom.occasions"]) { nodes { value } } } }'
    )
    product = admin.data(query, {"id": product_id})["product"]
    assert isinstance(product, dict)
    assert product["metafield"] == {"value": "Wax"}
    node_query = "query($id: ID!) { node(id: $id) { ... on Metafield { key value } } }"
    node = admin.data(node_query, {"id": saved["metafields"][0]["id"]})["node"]
    assert node == {"key": "material", "value": "Wax"}
    assert product["metafields"]["nodes"] == [{"value": '["Birthday", "Wedding"]'}]

    started = admin.data(RUN, {"q": METAFIELDS})["bulkOperationRunQuery"]
    assert isinstance(started, dict)
    done = _finished(admin, started["bulkOperation"]["id"])
    lines = [json.loads(line) for line in httpx.get(str(done["url"])).text.splitlines()]
    children = [line for line in lines if "__parentId" in line]
    assert {(c["key"], c["value"], c["__parentId"]) for c in children} == {
        ("material", "Wax", product_id),
        ("occasions", '["Birthday", "Wedding"]', product_id),
    }


def test_a_merchant_saving_metafields_in_admin_updates_the_product(env: SandboxShop) -> None:
    product_id = env.control.seed(env.shop, products=1, video_ratio=0.0)["product_ids"][0]
    url = f"{env.control.base_url}/_sandbox/shops/{env.shop}"
    (seeded,) = httpx.get(f"{url}/products").json()
    saved = env.control.set_metafields(
        env.shop,
        product_id,
        [
            {
                "namespace": "custom",
                "key": "material",
                "type": "single_line_text_field",
                "value": "Wax",
            }
        ],
    )
    assert [(m["key"], m["value"]) for m in saved] == [("material", "Wax")]
    (edited,) = httpx.get(f"{url}/products").json()
    assert edited["updated_at"] > seeded["updated_at"]  # seeded products were updated before
    refused = httpx.post(
        f"{url}/metafields",
        json={
            "product_id": product_id,
            "metafields": [
                {"namespace": "c", "key": "material", "type": "boolean", "value": "yes"}
            ],
        },
    )
    assert refused.status_code == 422
    codes = {e["code"] for e in refused.json()["detail"]}
    assert codes == {"TOO_SHORT", "INVALID_VALUE"}
