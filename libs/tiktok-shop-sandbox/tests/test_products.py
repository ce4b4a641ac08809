"""Product listing rules, asynchronous audit, stock and price, as the platform enforces them."""

import asyncio
import time
from decimal import Decimal

import httpx
import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.products import (
    AttributeValue,
    Certification,
    Dimensions,
    Price,
    ProductAttribute,
    ProductInput,
    SkuPriceUpdate,
    SkuStock,
    WarehouseStock,
    Weight,
)
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import SandboxServer, WebhookReceiver, client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product
from tiktok_shop_sandbox.settings import SandboxSettings


@pytest.fixture
async def image(client: TikTokShopClient) -> str:
    return (await client.catalog.upload_image(sample_png())).uri


async def rejection(client: TikTokShopClient, product: ProductInput) -> tuple[int, str]:
    with pytest.raises(BusinessError) as error:
        await client.products.create(product)
    return error.value.code, error.value.message


async def wait_status(client: TikTokShopClient, product_id: str, status: str) -> None:
    deadline = time.monotonic() + 10
    while (await client.products.get(product_id)).status != status:
        assert time.monotonic() < deadline, f"product never reached {status}"
        await asyncio.sleep(0.05)


async def test_valid_product_is_pending_then_activated_with_webhooks(
    client: TikTokShopClient, shop: ShopHandle, image: str, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, _ = receiver
    created = await client.products.create(sample_product(image, shop.warehouse_id, "JAR-1L"))
    pending = await client.products.get(created.product_id)
    await wait_status(client, created.product_id, "ACTIVATE")
    await hooks.wait_for(lambda got: len(got) >= 2)
    types = sorted(b["type"] for b in hooks.bodies())
    assert pending.status == "PENDING"
    assert [s.seller_sku for s in created.skus] == ["JAR-1L"]
    assert types == [5, 37]


async def test_prohibited_title_fails_audit_with_a_reason(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    product = sample_product(image, shop.warehouse_id, "FAKE-1", title="Replica Storage Jar 1L")
    created = await client.products.create(product)
    await wait_status(client, created.product_id, "FAILED")
    failed = await client.products.get(created.product_id)
    assert failed.product_sync_fail_reasons == [
        "The product title contains a prohibited word: 'replica'."
    ]


async def test_us_shops_must_use_category_version_v2(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    product = sample_product(image, shop.warehouse_id, "JAR-2", category_version="v1")
    assert (await rejection(client, product))[0] == 12052217


async def test_a_us_shop_sees_only_the_v2_category_tree(client: TikTokShopClient) -> None:
    listed = {c.id for c in await client.catalog.categories(category_version="v2")}
    with pytest.raises(BusinessError) as outside:
        await client.catalog.attributes("600030", category_version="v2")
    assert "600010" in listed
    assert "600030" not in listed  # GB, DE, ... list their jars there; US shops cannot
    assert outside.value.code == 12052230


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": "x" * 256}, 12052051),
        ({"category_id": "600001"}, 12052024),
        ({"category_id": "123"}, 12052023),
        ({"category_id": "600030"}, 12052230),  # a leaf of the v1 tree only (non-US markets)
        ({"main_images": []}, 12052028),
        ({"main_images": [ImageRef(uri="not-uploaded")]}, 12052300),
        ({"brand_id": "7082427311584347907"}, 12052201),
        ({"package_weight": Weight(value=Decimal("0"))}, 12052181),
        ({"package_dimensions": Dimensions(length="10.5", width="10", height="10")}, 12052005),
        ({"description": ""}, 12052015),
    ],
)
async def test_invalid_products_are_rejected_with_platform_codes(
    client: TikTokShopClient,
    shop: ShopHandle,
    image: str,
    change: dict[str, object],
    code: int,
) -> None:
    product = sample_product(image, shop.warehouse_id, "JAR-3").model_copy(update=change)
    assert (await rejection(client, product))[0] == code


async def test_ten_main_images_are_too_many(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    product = sample_product(image, shop.warehouse_id, "JAR-4")
    product.main_images = [ImageRef(uri=image)] * 10
    assert (await rejection(client, product))[0] == 12052306


@pytest.mark.parametrize("seller_sku", ["HAS SPACE", "x" * 51])
async def test_bad_seller_skus_are_rejected(
    client: TikTokShopClient, shop: ShopHandle, image: str, seller_sku: str
) -> None:
    product = sample_product(image, shop.warehouse_id, seller_sku)
    assert (await rejection(client, product))[0] in {12019059, 12052054}


async def test_duplicate_seller_sku_in_the_shop_is_rejected(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    await client.products.create(sample_product(image, shop.warehouse_id, "DUP-1"))
    code, message = await rejection(client, sample_product(image, shop.warehouse_id, "DUP-1"))
    assert code == 12019059
    assert "already used" in message


async def test_required_attribute_brand_certification_and_dimensions_are_enforced(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    charger = sample_product(image, shop.warehouse_id, "CHG-1").model_copy(
        update={"category_id": "800020"}
    )
    no_brand = await rejection(client, charger)
    charger.brand_id = "7082427311584347906"
    no_cert = await rejection(client, charger)
    charger.certifications = [Certification(id="602400", images=[ImageRef(uri=image)])]
    no_dims = await rejection(client, charger)
    charger.package_dimensions = Dimensions(length="10", width="8", height="4")
    created = await client.products.create(charger)
    candle = sample_product(image, shop.warehouse_id, "CDL-1").model_copy(
        update={"category_id": "600020"}
    )
    no_material = await rejection(client, candle)
    candle.product_attributes = [
        ProductAttribute(id="101001", values=[AttributeValue(id="1010012")])
    ]
    assert no_brand[0] == 12052208
    assert no_cert == (
        12052105,
        "required qualification miss: 'FCC Certificate' is required for this category.",
    )
    assert no_dims[0] == 12052116
    assert no_material[0] == 12052104
    assert "'Material'" in no_material[1]
    assert created.product_id
    assert (await client.products.create(candle)).product_id


async def test_same_idempotency_key_returns_the_first_product(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    product = sample_product(image, shop.warehouse_id, "IDEM-1").model_copy(
        update={"idempotency_key": "create-IDEM-1"}
    )
    first = await client.products.create(product)
    second = await client.products.create(product)
    assert first.product_id == second.product_id


async def test_inventory_needs_an_active_product_and_every_warehouse() -> None:
    # A sandbox of its own whose audits wait for the test: with the suite's 0.2 s audit, a
    # loaded machine could finish the review before the first update is sent.
    with SandboxServer(SandboxSettings(audit_delay_seconds=3600)) as url:
        async with SandboxControl(url) as control:
            await _inventory_rules(control, url)


async def _inventory_rules(control: SandboxControl, sandbox_url: str) -> None:
    shop = await control.new_shop(warehouse_count=2)
    async with client_for(sandbox_url, shop) as tts:
        [first, second] = [
            w.id for w in await tts.logistics.warehouses() if w.type == "SALES_WAREHOUSE"
        ]
        image = (await tts.catalog.upload_image(sample_png())).uri
        product = sample_product(image, first, "INV-1")
        product.skus[0].inventory.append(WarehouseStock(warehouse_id=second, quantity=5))
        created = await tts.products.create(product)
        sku_id = created.skus[0].id
        with pytest.raises(BusinessError) as pending:
            await tts.products.update_inventory(
                created.product_id,
                [SkuStock(id=sku_id, inventory=[WarehouseStock(warehouse_id=first, quantity=1)])],
            )
        await control.finish_audit(created.product_id, True, [])
        with pytest.raises(BusinessError) as partial:
            await tts.products.update_inventory(
                created.product_id,
                [SkuStock(id=sku_id, inventory=[WarehouseStock(warehouse_id=first, quantity=1)])],
            )
        both = [
            WarehouseStock(warehouse_id=first, quantity=7),
            WarehouseStock(warehouse_id=second, quantity=0),
        ]
        result = await tts.products.update_inventory(
            created.product_id, [SkuStock(id=sku_id, inventory=both)]
        )
        stored = await control.product(created.product_id)
    assert (pending.value.code, partial.value.code, result.errors) == (12052901, 12019028, [])
    assert {i["warehouse_id"]: i["quantity"] for i in stored["skus"][0]["inventory"]} == {
        first: 7,
        second: 0,
    }


async def test_price_update_changes_the_sku_price_in_the_shop_currency(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    created = await client.products.create(sample_product(image, shop.warehouse_id, "PRICE-1"))
    sku_id = created.skus[0].id
    with pytest.raises(BusinessError) as wrong_currency:
        await client.products.update_price(
            created.product_id,
            [SkuPriceUpdate(id=sku_id, price=Price(amount=Decimal("9.99"), currency="EUR"))],
        )
    await client.products.update_price(
        created.product_id,
        [SkuPriceUpdate(id=sku_id, price=Price(amount=Decimal("9.99"), currency="USD"))],
    )
    stored = await control.product(created.product_id)
    assert wrong_currency.value.code == 12052084
    assert stored["skus"][0]["price"]["sale_price"] == "9.99"


async def test_deactivate_activate_and_delete_report_per_product_errors(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    created = await client.products.create(sample_product(image, shop.warehouse_id, "LIFE-1"))
    await control.finish_audit(created.product_id, True, [])
    off = await client.products.deactivate([created.product_id, "1"])
    status_off = (await client.products.get(created.product_id)).status
    on = await client.products.activate([created.product_id])
    await client.products.delete([created.product_id])
    with pytest.raises(BusinessError) as gone:
        await client.products.get(created.product_id)
    assert [e.code for e in off.errors] == [12052048]
    assert on.errors == []
    assert status_off == "SELLER_DEACTIVATED"
    assert gone.value.code == 12052032


async def test_search_finds_products_by_seller_sku(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    created = await client.products.create(sample_product(image, shop.warehouse_id, "FIND-ME"))
    await client.products.create(sample_product(image, shop.warehouse_id, "OTHER-1"))
    page = await client.products.search({"seller_skus": ["FIND-ME"]})
    assert [p.id for p in page.items] == [created.product_id]


async def test_category_tree_attributes_rules_and_brands(
    client: TikTokShopClient,
) -> None:
    categories = await client.catalog.categories(category_version="v2")
    attributes = await client.catalog.attributes("600020", category_version="v2")
    rules = await client.catalog.rules("800020", category_version="v2")
    recommended = await client.catalog.recommend_category(
        "Scented soy candle", category_version="v2"
    )
    brand_id = await client.catalog.create_brand("Sandbox Brand")
    with pytest.raises(BusinessError) as duplicate:
        await client.catalog.create_brand("Sandbox Brand")
    brands = await client.catalog.brands(brand_name="sandbox")
    assert any(c.is_leaf for c in categories)
    assert any(not c.is_leaf for c in categories)
    assert [a.name for a in attributes if a.is_required] == ["Material"]
    assert rules.package_dimension.is_required
    assert [c.name for c in rules.product_certifications] == ["FCC Certificate"]
    assert recommended.leaf_category_id == "600020"
    assert duplicate.value.code == 12052205
    assert [b.id for b in brands.items] == [brand_id]


async def test_tiny_main_images_are_refused(client: TikTokShopClient) -> None:
    with pytest.raises(BusinessError) as error:
        await client.catalog.upload_image(sample_png(100, 100))
    assert error.value.code == 12038014


async def test_edit_keeps_sku_ids_by_seller_sku_and_is_audited_again(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    product = sample_product(image, shop.warehouse_id, "EDIT-1")
    created = await client.products.create(product)
    await control.finish_audit(created.product_id, True, [])
    product.title = "Glass Storage Jar With Bamboo Lid 2L"
    edited = await client.products.edit(created.product_id, product)
    after = await client.products.get(created.product_id)
    assert [s.id for s in edited.skus] == [s.id for s in created.skus]
    # A live product stays live while its edit is reviewed; the edit answers the audit status.
    assert edited.audit is not None
    assert edited.audit.status == "AUDITING"
    assert after.audit is not None
    assert (after.title, after.status) == (product.title, "ACTIVATE")
    assert after.audit.status == "AUDITING"


async def test_inventory_search_reports_each_sku_per_warehouse_of_the_shops_own_products(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    created = await client.products.create(sample_product(image, shop.warehouse_id, "SEARCH-1"))
    await control.finish_audit(created.product_id, True, [])
    sku_id = created.skus[0].id
    stock = [WarehouseStock(warehouse_id=shop.warehouse_id, quantity=13)]
    await client.products.update_inventory(
        created.product_id, [SkuStock(id=sku_id, inventory=stock)]
    )
    (found,) = await client.products.inventory_search([created.product_id, "1729000000000000000"])
    (sku,) = found.skus
    assert (found.product_id, sku.id, sku.seller_sku) == (created.product_id, sku_id, "SEARCH-1")
    assert sku.total_available_quantity == 13
    assert [(w.warehouse_id, w.available_quantity) for w in sku.warehouse_inventory] == [
        (shop.warehouse_id, 13)
    ]
    with pytest.raises(ValueError, match=r"1\.\.100"):
        await client.products.inventory_search([str(n) for n in range(101)])


async def test_seeded_products_are_live_at_once_and_pass_create_rules(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    def body(seller_sku: str) -> dict[str, object]:
        return sample_product(image, shop.warehouse_id, seller_sku).to_body()

    made = await control.seed_products(shop.shop_id, [body(f"SEED-{i}") for i in range(3)])
    listed = await client.products.get(made[0]["product_id"])
    refusals = []
    # A seller SKU a stored product holds, then one used twice in the batch itself.
    for batch in ([body("SEED-8"), body("SEED-1")], [body("SEED-9"), body("SEED-9")]):
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await control.seed_products(shop.shop_id, batch)
        refusals.append(refused.value.response.json()["detail"][:19])
    # All or none: the refused batches stored nothing, so their first SKUs are still free.
    later = await control.seed_products(shop.shop_id, [body("SEED-8"), body("SEED-9")])
    assert [[s["seller_sku"] for s in p["skus"]] for p in made] == [
        ["SEED-0"],
        ["SEED-1"],
        ["SEED-2"],
    ]
    assert listed.status == "ACTIVATE"
    assert refusals == ["product 1: 12019059", "product 1: 12019059"]
    assert len(later) == 2
