"""Promotion activities: period and discount limits, product rules, conflicts (17029xxx)."""

import time
from decimal import Decimal

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.promotions import ActivityInput, ActivityProduct, ActivitySku
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.samples import sample_png, sample_product

DAY = 86400


def activity(title: str, activity_type: str = "DIRECT_DISCOUNT", days: int = 7) -> ActivityInput:
    begin = int(time.time()) + 3600
    return ActivityInput(
        title=title,
        activity_type=activity_type,
        product_level="PRODUCT",
        begin_time=begin,
        end_time=begin + days * DAY,
    )


@pytest.fixture
async def product_id(client: TikTokShopClient, shop: ShopHandle, control: SandboxControl) -> str:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.products.create(sample_product(image, shop.warehouse_id, "PROMO-1"))
    await control.finish_audit(created.product_id, True, [])
    return created.product_id


async def create_error(client: TikTokShopClient, body: ActivityInput) -> int:
    with pytest.raises(BusinessError) as error:
        await client.promotions.create(body)
    return error.value.code


async def test_activity_is_draft_until_products_join_then_not_started(
    client: TikTokShopClient, product_id: str
) -> None:
    created = await client.promotions.create(activity("Spring sale"))
    updated = await client.promotions.update_products(
        created.activity_id, [ActivityProduct(id=product_id, discount="15")]
    )
    got = await client.promotions.get(created.activity_id)
    assert created.status == "DRAFT"
    assert updated.status == "NOT_START"
    assert [(p.id, p.discount) for p in got.products] == [(product_id, "15")]


async def test_period_title_and_type_rules(client: TikTokShopClient) -> None:
    await client.promotions.create(activity("Taken title"))
    past = activity("Past").model_copy(update={"begin_time": int(time.time()) - 10})
    assert await create_error(client, activity("Too long", days=46)) == 17029007
    assert await create_error(client, activity("Flash", "FLASHSALE", days=4)) == 17029008
    assert await create_error(client, past) == 17029005
    assert await create_error(client, activity("Taken title")) == 17029004
    assert await create_error(client, activity("x" * 51)) == 17029002
    assert await create_error(client, activity("Odd", "COUPON")) == 17029036


async def test_discount_limits_and_price_vs_discount_fields(
    client: TikTokShopClient, product_id: str
) -> None:
    direct = await client.promotions.create(activity("Direct"))
    fixed = await client.promotions.create(activity("Fixed", "FIXED_PRICE"))
    cases = [
        (direct.activity_id, ActivityProduct(id=product_id, discount="95")),
        (direct.activity_id, ActivityProduct(id=product_id, activity_price_amount=Decimal("5"))),
        (fixed.activity_id, ActivityProduct(id=product_id, discount="10")),
        (fixed.activity_id, ActivityProduct(id=product_id, activity_price_amount=Decimal("99"))),
        (direct.activity_id, ActivityProduct(id="1", discount="10")),
        (
            direct.activity_id,
            ActivityProduct(id=product_id, discount="10", skus=[ActivitySku(id="1")]),
        ),
    ]
    codes = []
    for activity_id, entry in cases:
        with pytest.raises(BusinessError) as error:
            await client.promotions.update_products(activity_id, [entry])
        codes.append(error.value.code)
    assert codes == [17029020, 17029029, 17029030, 17029034, 17029017, 17029013]


async def test_a_product_cannot_be_in_two_upcoming_activities(
    client: TikTokShopClient, product_id: str
) -> None:
    first = await client.promotions.create(activity("First"))
    second = await client.promotions.create(activity("Second"))
    await client.promotions.update_products(
        first.activity_id, [ActivityProduct(id=product_id, discount="10")]
    )
    with pytest.raises(BusinessError) as error:
        await client.promotions.update_products(
            second.activity_id, [ActivityProduct(id=product_id, discount="10")]
        )
    await client.promotions.remove_products(first.activity_id, [product_id])
    await client.promotions.update_products(
        second.activity_id, [ActivityProduct(id=product_id, discount="10")]
    )
    assert error.value.code == 17029022


async def test_back_to_back_activities_share_a_product_overlapping_ones_do_not(
    client: TikTokShopClient, product_id: str
) -> None:
    now = int(time.time())
    first = await client.promotions.create(
        activity("Now").model_copy(update={"begin_time": now + 60, "end_time": now + 7 * DAY})
    )
    entry = [ActivityProduct(id=product_id, discount="10")]
    await client.promotions.update_products(first.activity_id, entry)
    period = {"begin_time": now + 7 * DAY, "end_time": now + 14 * DAY}
    following = await client.promotions.create(activity("Next").model_copy(update=period))
    await client.promotions.update_products(following.activity_id, entry)  # no overlap
    period = {"begin_time": now + 7 * DAY - 60, "end_time": now + 14 * DAY}
    early = await client.promotions.create(activity("Early").model_copy(update=period))
    with pytest.raises(BusinessError) as error:
        await client.promotions.update_products(early.activity_id, entry)
    assert error.value.code == 17029022
    stretch = {"begin_time": now + 60, "end_time": now + 7 * DAY + 60}
    stretched_input = activity("Now").model_copy(update=stretch)
    with pytest.raises(BusinessError) as stretched:  # stretching one over the next: refused
        await client.promotions.update(first.activity_id, stretched_input)
    assert stretched.value.code == 17029022


async def test_deactivated_activity_cannot_change(
    client: TikTokShopClient, product_id: str
) -> None:
    created = await client.promotions.create(activity("Short lived"))
    await client.promotions.deactivate(created.activity_id)
    with pytest.raises(BusinessError) as error:
        await client.promotions.update_products(
            created.activity_id, [ActivityProduct(id=product_id, discount="10")]
        )
    page = await client.promotions.search({"status": "DEACTIVATED"})
    assert error.value.code == 17029010
    assert [a.id for a in page.items] == [created.activity_id]
