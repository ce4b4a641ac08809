"""Optimize Info as TikTok offers it: US and UK shops, live products, strict parameters."""

import asyncio
import time

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop import endpoints as ep
from tiktok_shop.models.common import ImageRef, TikTokModel
from tiktok_shop.models.optimization import ImageToOptimize, OptimizedImage
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product


async def live_product(client: TikTokShopClient, shop: ShopHandle) -> tuple[str, str]:
    """A product TikTok approved, and its main image's uri."""
    image = (await client.catalog.upload_image(sample_png())).uri
    product = sample_product(image, shop.warehouse_id, "OPT-1")
    if shop.region != "US":  # the UK's v1 tree and its currency
        local = {"category_id": "600030", "category_version": "v1"}
        product = sample_product(image, shop.warehouse_id, "OPT-1", currency="GBP")
        product = product.model_copy(update=local)
    created = await client.products.create(product)
    deadline = time.monotonic() + 10
    while (await client.products.get(created.product_id)).status != "ACTIVATE":
        assert time.monotonic() < deadline, "never approved"
        await asyncio.sleep(0.05)
    return created.product_id, image


async def optimized(client: TikTokShopClient, uri: str) -> OptimizedImage:
    """Call Optimized Images until it is no longer PROCESSING."""
    while True:
        (answer,) = await client.optimization.optimize_images([ImageToOptimize(uri=uri)])
        if answer.optimize_status != "PROCESSING":
            return answer
        await asyncio.sleep(0.05)


async def code_of(call: object) -> int:
    with pytest.raises(BusinessError) as error:
        await call  # type: ignore[misc]
    return error.value.code


async def test_a_live_us_product_gets_titles_descriptions_seo_words_and_a_diagnosis(
    client: TikTokShopClient, shop: ShopHandle
) -> None:
    product_id, _ = await live_product(client, shop)
    (suggested,) = await client.optimization.suggestions([product_id])
    (words,) = await client.optimization.seo_words([product_id])
    (diagnosis,) = await client.optimization.diagnoses([product_id])
    fields = {s.field: [i.text for i in s.items] for s in suggested.suggestions}
    title = (await client.products.get(product_id)).title
    assert fields["TITLE"][0].startswith(title)
    assert len(fields["TITLE"][0]) > len(title)
    assert fields["DESCRIPTION"][0].startswith("<p>")
    assert words.seo_words
    assert all(w.text not in title.lower() for w in words.seo_words)
    assert {d.field for d in diagnosis.diagnoses} >= {"IMAGE"}
    assert diagnosis.listing_quality is not None
    assert diagnosis.listing_quality.remaining_recommendations == sum(
        len(d.diagnosis_results) for d in diagnosis.diagnoses
    )


async def test_a_product_under_review_gets_no_suggestions(
    client: TikTokShopClient, shop: ShopHandle
) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.products.create(sample_product(image, shop.warehouse_id, "OPT-2"))
    (suggested,) = await client.optimization.suggestions([created.product_id])
    assert suggested.suggestions == []


async def test_the_main_image_is_optimized_after_processing_and_not_twice(
    client: TikTokShopClient, shop: ShopHandle
) -> None:
    product_id, image = await live_product(client, shop)
    (first,) = await client.optimization.optimize_images([ImageToOptimize(uri=image)])
    done = await optimized(client, image)
    again = await optimized(client, image)
    ignored = await optimized(client, done.optimized_uri)
    edit = TikTokModel.model_validate({"main_images": [ImageRef(uri=done.optimized_uri)]})
    await client.products.partial_edit(product_id, edit)
    (diagnosis,) = await client.optimization.diagnoses([product_id])
    assert first.optimize_status == "PROCESSING"
    assert done.optimize_status == "SUCCESS"
    assert done.optimized_uri != image
    assert again.optimized_uri == done.optimized_uri  # one optimized copy per image
    assert ignored.optimize_status == "IGNORE"
    assert not ignored.optimized_uri
    assert "IMAGE" not in {d.field for d in diagnosis.diagnoses}


async def test_bad_parameters_get_the_platform_codes(
    client: TikTokShopClient, shop: ShopHandle
) -> None:
    product_id, image = await live_product(client, shop)
    api = client.optimization
    too_many = [product_id] * 21  # past the client's own guard, to see the platform's answer
    assert await code_of(api._products(ep.PRODUCT_SUGGESTIONS, too_many, limit=21)) == 12019120
    assert await code_of(api.suggestions(["7300000000999999999"])) == 12052260
    wrong_mode = ImageToOptimize(uri=image, optimization_mode=["BLUR"])
    assert await code_of(api.optimize_images([wrong_mode])) == 12019070
    unknown = ImageToOptimize(uri="tos-maliva-i-sandbox-us/404")
    assert await code_of(api.optimize_images([unknown])) == 12052722
    assert await code_of(api.optimize_images([ImageToOptimize(uri="http://x/y.jpg")])) == 12019065


async def test_optimize_info_is_refused_outside_the_us_and_uk(
    sandbox_url: str, control: SandboxControl
) -> None:
    de, gb = await control.new_shop(region="DE"), await control.new_shop(region="GB")
    async with client_for(sandbox_url, de) as german, client_for(sandbox_url, gb) as british:
        product_id, image = await live_product(british, gb)
        (diagnosis,) = await british.optimization.diagnoses([product_id])
        refused = [
            await code_of(german.optimization.suggestions(["1"])),
            await code_of(german.optimization.seo_words(["1"])),
            await code_of(german.optimization.diagnoses(["1"])),
            await code_of(german.optimization.optimize_images([ImageToOptimize(uri=image)])),
        ]
    assert refused == [12019114] * 4  # "Seller has no permission"
    assert diagnosis.listing_quality is None  # the quality tier is said for US shops only
    assert diagnosis.diagnoses
