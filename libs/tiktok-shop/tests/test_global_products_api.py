"""Global products and compliance calls against httpx.MockTransport: paths, bodies, errors."""

import json

import httpx
import pytest
from tiktok_shop import BusinessError, RetryPolicy, TikTokShopClient
from tiktok_shop.models.common import TikTokModel


def client_answering(seen: list[httpx.Request], data: object, code: int = 0) -> TikTokShopClient:
    """A client whose transport records each request and answers `data` (or a `code` error)."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"code": code, "message": "Resource not found" if code else "Success"}
        return httpx.Response(200, json=body | {"request_id": "r1", "data": data})

    return TikTokShopClient(
        app_key="key1",
        app_secret="s3cret",
        access_token="tok",
        shop_cipher="ROW_cipher",
        base_url="https://tts.test",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(max_attempts=2, backoff_base=0.001, backoff_max=0.01),
    )


async def test_partial_edits_post_the_fields_to_the_entity_path_without_shop_cipher() -> None:
    seen: list[httpx.Request] = []
    async with client_answering(seen, {}) as client:
        api = client.global_products
        await api.edit_manufacturer("m1", TikTokModel.model_validate({"name": "Jar AG"}))
        await api.edit_responsible_person(
            "rp1", TikTokModel.model_validate({"email": "rep@example.ie", "locale": None})
        )
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/product/202409/compliance/manufacturers/m1/partial_edit"),
        ("POST", "/product/202409/compliance/responsible_persons/rp1/partial_edit"),
    ]
    assert [json.loads(r.content) for r in seen] == [
        {"name": "Jar AG"},
        {"email": "rep@example.ie"},
    ]
    assert all("shop_cipher" not in r.url.params for r in seen)


async def test_a_refused_partial_edit_raises_the_platform_code() -> None:
    seen: list[httpx.Request] = []
    async with client_answering(seen, None, code=38023051) as client:
        with pytest.raises(BusinessError) as error:
            await client.global_products.edit_manufacturer(
                "gone", TikTokModel.model_validate({"name": "X"})
            )
    assert (error.value.code, error.value.message) == (38023051, "Resource not found")
    assert len(seen) == 1  # a business error is never retried


async def test_get_global_product_reads_its_local_products() -> None:
    seen: list[httpx.Request] = []
    data = {
        "id": "g1",
        "title": "Jar",
        "products": [
            {"region": "FR", "id": "p1", "sku_mappings": []},
            {"region": "IT", "id": "p2"},
        ],
    }
    async with client_answering(seen, data) as client:
        detail = await client.global_products.get("g1")
    assert (seen[0].method, seen[0].url.path) == ("GET", "/product/202309/global_products/g1")
    assert "shop_cipher" not in seen[0].url.params
    assert [(p.region, p.id) for p in detail.products] == [("FR", "p1"), ("IT", "p2")]
