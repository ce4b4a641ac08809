"""Global products publish into the seller's market shops; compliance entities are stored."""

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.common import TikTokModel
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import global_product, sample_png


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


MANUFACTURER = {
    "name": "Jar Works GmbH",
    "email": "ops@jar.example",
    "phone_number": {"country_code": "+49", "local_number": "301234567"},
    "address": "Hauptstr. 1, 10115 Berlin",
}
PERSON = {
    "name": "EU Rep Ltd",
    "email": "rep@example.ie",
    "phone_number": {"country_code": "+353", "local_number": "15551234"},
    "address": {"street_address_line1": "1 Main St, Dublin", "postal_code": "D01", "country": "IE"},
}


async def test_partial_edits_replace_the_fields_given_and_keep_the_others(
    client: TikTokShopClient,
) -> None:
    api = client.global_products
    maker = await api.create_manufacturer(TikTokModel.model_validate(MANUFACTURER))
    person = await api.create_responsible_person(TikTokModel.model_validate(PERSON))
    await api.edit_manufacturer(maker, TikTokModel.model_validate({"name": "Jar Works AG"}))
    moved = PERSON["address"] | {"street_address_line1": "2 Quay St, Dublin"}  # type: ignore[operator]
    await api.edit_responsible_person(person, TikTokModel.model_validate({"address": moved}))
    (found_maker,) = await api.search_manufacturers("jar works ag")
    (found_person,) = await api.search_responsible_persons("quay st")
    maker_profile = found_maker.regional_profiles[0].to_body()
    assert (maker_profile["name"], maker_profile["email"]) == ("Jar Works AG", "ops@jar.example")
    assert found_person.regional_profiles[0].to_body()["name"] == "EU Rep Ltd"


@pytest.mark.parametrize(
    ("kind", "fields", "code"),
    [
        ("manufacturer", {"name": ""}, 38023033),
        ("manufacturer", {"name": "x" * 256}, 38023044),
        ("manufacturer", {"email": "nope"}, 38023042),
        (
            "manufacturer",
            {"phone_number": {"country_code": "353", "local_number": "1555123"}},
            38023046,
        ),
        ("manufacturer", {"phone_number": {"availability": "MAYBE"}}, 38023060),
        ("manufacturer", {"address": "x" * 501}, 38023043),
        ("person", {"phone_number": {"country_code": "+1", "local_number": "5551234"}}, 38023028),
        (
            "person",
            {"phone_number": {"country_code": "+353", "local_number": "123456789012"}},
            38023041,
        ),
        ("person", {"address": "1 Main St, Dublin"}, 38023024),
        ("person", {"address": PERSON["address"] | {"country": "US"}}, 38023026),  # type: ignore[operator]
    ],
)
async def test_partial_edits_refuse_invalid_fields(
    client: TikTokShopClient, kind: str, fields: dict[str, object], code: int
) -> None:
    api = client.global_products
    if kind == "manufacturer":
        entity_id = await api.create_manufacturer(TikTokModel.model_validate(MANUFACTURER))
        edit = api.edit_manufacturer
    else:
        entity_id = await api.create_responsible_person(TikTokModel.model_validate(PERSON))
        edit = api.edit_responsible_person
    with pytest.raises(BusinessError) as error:
        await edit(entity_id, TikTokModel.model_validate(fields))
    assert error.value.code == code


async def test_partial_edit_of_an_unknown_or_foreign_entity_is_refused(
    client: TikTokShopClient, control: SandboxControl, sandbox_url: str
) -> None:
    api = client.global_products
    with pytest.raises(BusinessError) as unknown:
        await api.edit_manufacturer("0" * 24, TikTokModel.model_validate({"name": "X"}))
    person = await api.create_responsible_person(TikTokModel.model_validate(PERSON))
    other = await control.new_shop()
    async with client_for(sandbox_url, other) as stranger:
        with pytest.raises(BusinessError) as foreign:
            await stranger.global_products.edit_responsible_person(
                person, TikTokModel.model_validate({"name": "Mine now"})
            )
    assert (unknown.value.code, foreign.value.code) == (38023051, 38023052)


async def test_get_global_product_lists_its_local_products_per_market(
    client: TikTokShopClient, shop: ShopHandle
) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.global_products.create(global_product(image))
    target = TikTokModel.model_validate(
        {"region": "US", "skus": [{"related_global_sku_id": created.global_skus[0].id}]}
    )
    result = await client.global_products.publish(created.global_product_id, [target])
    detail = await client.global_products.get(created.global_product_id)
    with pytest.raises(BusinessError) as unknown:
        await client.global_products.get("1" * 19)
    assert [(p.region, p.id) for p in detail.products] == [("US", result.products[0].id)]
    assert detail.title == "Glass Storage Jar With Bamboo Lid 1L"
    assert unknown.value.code == 12052260
