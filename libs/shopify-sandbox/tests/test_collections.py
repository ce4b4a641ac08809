"""Custom collections: products list theirs only when asked, the cost counts them, and a
membership change sends the topic of the page the merchant edited on."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from shopify_sandbox.testing import RawAdmin, SandboxShop, eventually, serve

PRODUCT = "query($id: ID!) { product(id: $id) { id collections(first: 5) { nodes { id title } } } }"
SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri}) { userErrors { message } }
}"""


@pytest.fixture
def products(env: SandboxShop) -> list[str]:
    ids: list[str] = env.control.seed(env.shop, products=3, variants_per_product=1)["product_ids"]
    return ids


@pytest.fixture
def hooks(admin: RawAdmin) -> Iterator[list[str]]:
    """Topics delivered to an app subscribed to collection and product updates."""
    topics: list[str] = []
    app = FastAPI()

    @app.post("/hooks")
    async def hook(request: Request) -> Response:
        topics.append(request.headers["x-shopify-topic"])
        return Response(status_code=200)

    with serve(app) as url:
        for topic in ("COLLECTIONS_CREATE", "COLLECTIONS_UPDATE", "PRODUCTS_UPDATE"):
            admin.data(SUBSCRIBE, {"topic": topic, "uri": f"{url}/hooks"})
        yield topics


def test_a_product_lists_its_collections_with_their_cost(
    admin: RawAdmin, env: SandboxShop, products: list[str]
) -> None:
    sale = env.control.create_collection(env.shop, "Summer Sale!", products[:2])
    env.control.create_collection(env.shop, "Shoes", [products[1]])
    assert sale["id"].startswith("gid://shopify/Collection/")
    assert sale["handle"] == "summer-sale"

    body = admin.post(PRODUCT, {"id": products[0]}).json()
    assert body["data"]["product"]["collections"]["nodes"] == [
        {"id": sale["id"], "title": "Summer Sale!"}
    ]
    cost = body["extensions"]["cost"]
    # product 1 + collections 2 + 5 requested nodes; actual: the one collection returned.
    assert (cost["requestedQueryCost"], cost["actualQueryCost"]) == (8, 4)
    both = admin.data(PRODUCT, {"id": products[1]})["product"]["collections"]["nodes"]
    assert [c["title"] for c in both] == ["Summer Sale!", "Shoes"]
    assert admin.data(PRODUCT, {"id": products[2]})["product"]["collections"]["nodes"] == []


def test_collections_are_returned_only_when_requested(
    admin: RawAdmin, env: SandboxShop, products: list[str]
) -> None:
    env.control.create_collection(env.shop, "Sale", products[:1])
    plain = admin.data("query($id: ID!) { product(id: $id) { id tags } }", {"id": products[0]})
    assert "collections" not in plain["product"]
    unpaged = admin.post("query($id: ID!) { product(id: $id) { collections { nodes { id } } } }",
                         {"id": products[0]}).json()  # fmt: skip
    assert unpaged["errors"][0]["message"] == "you must provide one of first or last"


def test_a_collection_lists_its_products_and_is_a_node(
    admin: RawAdmin, env: SandboxShop, products: list[str]
) -> None:
    sale = env.control.create_collection(env.shop, "Sale", products[:2])
    query = """query($id: ID!) { node(id: $id) { ... on Collection {
      title productsCount { count } products(first: 10) { nodes { id } } } } }"""
    node = admin.data(query, {"id": sale["id"]})["node"]
    assert node["productsCount"] == {"count": 2}
    assert [p["id"] for p in node["products"]["nodes"]] == products[:2]


async def test_membership_changed_on_the_collection_page_sends_collections_update(
    admin: RawAdmin, env: SandboxShop, products: list[str], hooks: list[str]
) -> None:
    sale = env.control.create_collection(env.shop, "Sale", products[:1])
    env.control.change_collection(env.shop, sale["id"], add=[products[2]], remove=[products[0]])
    ids = admin.data(
        "query($id: ID!) { collection(id: $id) { products(first: 5) { nodes { id } } } }",
        {"id": sale["id"]},
    )["collection"]["products"]["nodes"]
    assert ids == [{"id": products[2]}]
    await eventually(lambda: hooks == ["collections/create", "collections/update"])
    # Shopify's collections/update body names no products: the app cannot tell who moved.
    update = env.control.deliveries(env.shop, "collections/update")[0]["payload"]
    assert update["admin_graphql_api_id"] == sale["id"]
    assert "products" not in update


async def test_membership_changed_on_a_product_page_sends_products_update(
    env: SandboxShop, products: list[str], hooks: list[str]
) -> None:
    sale = env.control.create_collection(env.shop, "Sale")
    env.control.change_collection(env.shop, sale["id"], add=[products[1]], via="product")
    await eventually(lambda: hooks == ["collections/create", "products/update"])
    [update] = env.control.deliveries(env.shop, "products/update")
    assert update["payload"]["admin_graphql_api_id"] == products[1]


def test_unknown_products_and_collections_are_refused(
    env: SandboxShop, products: list[str]
) -> None:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        env.control.create_collection(env.shop, "Sale", ["gid://shopify/Product/1"])
    assert refused.value.response.status_code == 422
    with pytest.raises(httpx.HTTPStatusError) as missing:
        env.control.change_collection(env.shop, "gid://shopify/Collection/1", add=products[:1])
    assert missing.value.response.status_code == 404


def test_a_deleted_product_leaves_its_collections(env: SandboxShop, products: list[str]) -> None:
    sale = env.control.create_collection(env.shop, "Sale", products[:2])
    env.control.delete_product(env.shop, products[0])
    [listed] = [c for c in env.control.collections(env.shop) if c["id"] == sale["id"]]
    assert listed["product_ids"] == [products[1]]
