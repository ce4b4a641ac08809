"""Warehouses and shipping templates, as Get Warehouse List / Get Available Shipping Template
list them per shop and Create Product enforces them."""

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product


async def test_templates_are_listed_per_shop_with_the_reason_one_is_unusable(
    client: TikTokShopClient, control: SandboxControl, sandbox_url: str
) -> None:
    templates = await client.logistics.shipping_templates()
    by_name = {t.template.template_name: t for t in templates}
    assert by_name["Standard shipping"].template.is_default
    assert by_name["Express shipping"].template_is_available
    bulky = by_name["Bulky items"]
    assert (bulky.template_is_available, bulky.unavailable_reasons) == (
        False,
        ["Ship by seller is banned"],
    )
    other = await control.new_shop()
    async with client_for(sandbox_url, other) as theirs:
        their_ids = {t.template.template_id for t in await theirs.logistics.shipping_templates()}
    assert not their_ids & {t.template.template_id for t in templates}


async def test_create_takes_only_a_usable_template_of_the_shop(
    client: TikTokShopClient, control: SandboxControl, shop: ShopHandle, sandbox_url: str
) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    templates = {
        t.template.template_name: t.template for t in await client.logistics.shipping_templates()
    }
    other = await control.new_shop()
    async with client_for(sandbox_url, other) as theirs:
        foreign = (await theirs.logistics.shipping_templates())[0].template.template_id
    for n, (template_id, words) in enumerate(
        [
            (foreign, "does not belong to this shop"),
            (templates["Bulky items"].template_id, "banned"),
        ]
    ):
        body = sample_product(image, shop.warehouse_id, f"TPL-{n}")
        with pytest.raises(BusinessError) as error:
            await client.products.create(
                body.model_copy(update={"shipping_template_id": template_id})
            )
        assert error.value.code == 12052406
        assert words in error.value.message
    express = templates["Express shipping"].template_id
    body = sample_product(image, shop.warehouse_id, "TPL-OK")
    created = await client.products.create(
        body.model_copy(update={"shipping_template_id": express})
    )
    assert (await client.products.get(created.product_id)).shipping_template_id == express


async def test_an_added_sales_warehouse_is_listed_and_takes_stock(
    client: TikTokShopClient, control: SandboxControl, shop: ShopHandle
) -> None:
    added = await control.add_warehouse(shop.shop_id, "East coast")
    listed = {w.id: w for w in await client.logistics.warehouses()}
    assert listed[added["id"]].type == "SALES_WAREHOUSE"
    assert not listed[added["id"]].is_default
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.products.create(sample_product(image, added["id"], "EAST-1"))
    product = await control.product(created.product_id)
    assert [i["warehouse_id"] for i in product["skus"][0]["inventory"]] == [added["id"]]
