"""Wire behaviour of the GraphQL endpoint: auth, validation, cost, throttling, limits, routing."""

from __future__ import annotations

import httpx
from shopify_sandbox import SandboxSettings, create_app
from shopify_sandbox.control_client import SandboxControl
from shopify_sandbox.testing import RawAdmin, SandboxShop, provision_shop, serve


def test_wrong_token_gets_401_with_shopify_error_shape(admin: RawAdmin) -> None:
    response = admin.post("{ shop { name } }", token="shpat_nope")
    assert response.status_code == 401
    assert response.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }


def test_invalid_query_gets_graphql_validation_errors(admin: RawAdmin) -> None:
    body = admin.post("{ products(first: 1) { nodes { nope } } }").json()
    assert body["errors"][0]["message"] == "Cannot query field 'nope' on type 'Product'."
    assert body["errors"][0]["locations"]


def test_connection_without_first_or_last_is_an_error(admin: RawAdmin) -> None:
    body = admin.post("{ products { nodes { id } } }").json()
    assert body["errors"][0]["message"] == "you must provide one of first or last"


def test_cost_extension_reports_requested_and_actual_cost(
    admin: RawAdmin, env: SandboxShop
) -> None:
    env.control.seed(env.shop, products=3, variants_per_product=1)
    body = admin.post("{ products(first: 10) { nodes { id title } } }").json()
    cost = body["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["actualQueryCost"]) == (12, 5)
    status = cost["throttleStatus"]
    assert (status["maximumAvailable"], status["restoreRate"]) == (2000, 100)
    assert status["currentlyAvailable"] >= 1988


def test_query_over_the_limit_is_max_cost_exceeded(admin: RawAdmin) -> None:
    body = admin.post(
        "{ products(first: 250) { nodes { variants(first: 100) { nodes { id } } } } }"
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert body["extensions"]["cost"]["actualQueryCost"] is None


def test_requests_over_the_bucket_are_throttled_in_the_documented_shape(
    admin: RawAdmin, env: SandboxShop
) -> None:
    env.control.seed(env.shop, products=20, variants_per_product=1)
    env.control.set_plan(env.shop, bucket_size=30, restore_rate=1)
    assert "errors" not in admin.post("{ products(first: 20) { nodes { id } } }").json()
    response = admin.post("{ products(first: 20) { nodes { id } } }")
    assert response.status_code == 200
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["extensions"]["cost"]["requestedQueryCost"] == 22
    assert body["extensions"]["cost"]["actualQueryCost"] is None


def test_throttled_status_can_be_429_with_retry_after() -> None:
    with serve(create_app(SandboxSettings(throttled_http_status=429))) as url:
        control = SandboxControl(url)
        shop = provision_shop(control)
        control.seed(shop.shop, products=20, variants_per_product=1)
        control.set_plan(shop.shop, bucket_size=30, restore_rate=1)
        admin = RawAdmin(url, shop)
        admin.post("{ products(first: 20) { nodes { id } } }")
        response = admin.post("{ products(first: 20) { nodes { id } } }")
        control.close()
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1


def test_input_arrays_over_250_are_rejected(admin: RawAdmin) -> None:
    ids = [f"gid://shopify/Product/{i}" for i in range(251)]
    body = admin.post("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}).json()
    assert body["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"


LEVELS_BY_IDS = """query($ids: [ID!]!, $first: Int!) { nodes(ids: $ids) { id
  ... on InventoryItem { inventoryLevels(first: $first) { nodes { id location { id } } } } } }"""


def test_a_read_by_ids_is_priced_per_id_and_its_type_condition(
    admin: RawAdmin, env: SandboxShop
) -> None:
    env.control.seed(env.shop, products=2, variants_per_product=1)
    items = sorted({lv["inventory_item_gid"] for lv in env.control.inventory(env.shop)})
    ids = [*items, "gid://shopify/InventoryItem/999999999"]
    body = admin.post(LEVELS_BY_IDS, {"ids": ids, "first": 5}).json()
    # Per id: the item 1 + its levels 2 + 5 x (level 1 + location 1); per returned node: the
    # two sandbox locations' levels, and 1 for the unknown id's null.
    per_item_actual = 1 + 2 + len(env.locations) * 2
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 3 * (1 + 2 + 5 * 2)
    assert cost["actualQueryCost"] == 2 * per_item_actual + 1
    assert body["data"]["nodes"][2] is None


def test_a_read_by_ids_over_the_cost_limit_is_refused(admin: RawAdmin, env: SandboxShop) -> None:
    ids = [f"gid://shopify/InventoryItem/{i}" for i in range(250)]
    body = admin.post(LEVELS_BY_IDS, {"ids": ids, "first": 2}).json()
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"  # 250 x 7 points


def test_shop_can_be_routed_by_host_header(sandbox_url: str, env: SandboxShop) -> None:
    response = httpx.post(
        f"{sandbox_url}/admin/api/2026-04/graphql.json",
        json={"query": "{ shop { myshopifyDomain } }"},
        headers={"X-Shopify-Access-Token": env.token, "Host": env.shop},
    )
    assert response.json()["data"] == {"shop": {"myshopifyDomain": env.shop}}


def test_injected_http_error_is_returned_before_execution(
    admin: RawAdmin, env: SandboxShop
) -> None:
    env.control.add_fault(kind="http_error", operation="shop", shop=env.shop, status=502, times=1)
    assert admin.post("{ shop { name } }").status_code == 502
    assert admin.post("{ shop { name } }").status_code == 200
