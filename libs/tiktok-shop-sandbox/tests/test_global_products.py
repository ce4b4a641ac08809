"""Global products publish into the seller's market shops; compliance entities are stored."""

from decimal import Decimal

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.common import ImageRef, TikTokModel
from tiktok_shop.models.products import Price, Weight
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.samples import PLAIN_CATEGORY, sample_png


def global_product(image: str, unit: str = "KILOGRAM") -> TikTokModel:
    return TikTokModel.model_validate(
        {
            "title": "Glass Storage Jar With Bamboo Lid 1L",
            "description": "<p>Airtight jar.</p>",
            "category_id": PLAIN_CATEGORY,
            "main_images": [ImageRef(uri=image)],
            "package_weight": Weight(value=Decimal("0.8"), unit=unit),
            "skus": [
                {"seller_sku": "G-JAR-1", "price": Price(amount=Decimal("10"), currency="USD")}
            ],
        }
    )


async def test_publishing_creates_a_pending_product_in_the_market_shop(
    client: TikTokShopClient, shop: ShopHandle, control: SandboxControl
) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.global_products.create(global_product(image))
    target = TikTokModel.model_validate(
        {
            "region": "US",
            "skus": [
                {
                    "related_global_sku_id": created.global_skus[0].id,
                    "price": {"amount": "12.00", "currency": "USD"},
                    "inventory": {"warehouse_id": shop.warehouse_id, "quantity": 4},
                }
            ],
        }
    )
    result = await client.global_products.publish(created.global_product_id, [target])
    with pytest.raises(BusinessError) as twice:
        await client.global_products.publish(created.global_product_id, [target])
    local = await client.products.get(result.products[0].id)
    assert [(r.region, r.status) for r in result.publish_result] == [("US", "SUCCESS")]
    assert local.status == "PENDING"
    assert twice.value.code == 12019212


async def test_global_products_take_metric_units_only(client: TikTokShopClient) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    with pytest.raises(BusinessError) as error:
        await client.global_products.create(global_product(image, unit="POUND"))
    assert error.value.code == 12019011


async def test_manufacturers_and_responsible_persons_get_ids(client: TikTokShopClient) -> None:
    entity = TikTokModel.model_validate({"name": "Jar Works GmbH", "email": "ops@jar.example"})
    manufacturer_id = await client.global_products.create_manufacturer(entity)
    person_id = await client.global_products.create_responsible_person(entity)
    found = await client.global_products.search_manufacturers("jar works")
    assert [m.id for m in found] == [manufacturer_id]
    assert len(manufacturer_id) == 24
    assert len(person_id) == 24
    assert manufacturer_id != person_id
