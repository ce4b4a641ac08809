"""Promotions on the promotion clock: band for deal prices, 45-day maximum, webhook 39, 429."""

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from tiktok_shop import BusinessError, RateLimited, RetryPolicy, TikTokShopClient
from tiktok_shop.models.promotions import ActivityInput, ActivityProduct, ActivitySku
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import ReceivedWebhook, WebhookReceiver, client_for
from tiktok_shop_sandbox.promotion_control import PromotionControl
from tiktok_shop_sandbox.samples import sample_png, sample_product

DAY = 86400


@pytest.fixture
async def promotions(sandbox_url: str) -> AsyncIterator[PromotionControl]:
    async with PromotionControl(sandbox_url) as ctl:
        yield ctl


@pytest.fixture
async def product(
    client: TikTokShopClient, shop: ShopHandle, control: SandboxControl
) -> tuple[str, str]:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.products.create(sample_product(image, shop.warehouse_id, "CLOCK-1"))
    await control.finish_audit(created.product_id, True, [])
    got = await control.product(created.product_id)
    return created.product_id, str(got["skus"][0]["id"])


async def _fixed(
    client: TikTokShopClient, promotions: PromotionControl, shop: ShopHandle, title: str
) -> str:
    begin = await promotions.clock(shop.shop_id) + 60
    created = await client.promotions.create(
        ActivityInput(
            title=title,
            activity_type="FIXED_PRICE",
            product_level="VARIATION",
            begin_time=begin,
            end_time=begin + 45 * DAY,
        )
    )
    return created.activity_id


def _deal(product: tuple[str, str], price: str) -> ActivityProduct:
    return ActivityProduct(
        id=product[0],
        quantity_limit=-1,
        quantity_per_user=-1,
        skus=[
            ActivitySku(
                id=product[1],
                activity_price_amount=Decimal(price),
                quantity_limit=-1,
                quantity_per_user=-1,
            )
        ],
    )


async def test_a_deal_price_must_be_a_discount_between_5_and_90_percent(
    client: TikTokShopClient,
    promotions: PromotionControl,
    product: tuple[str, str],
    shop: ShopHandle,
) -> None:
    activity_id = await _fixed(client, promotions, shop, "Band")
    codes = []
    for price in ("12.50", "1.00"):  # 3.1 % and 92.2 % off 12.90
        with pytest.raises(BusinessError) as error:
            await client.promotions.update_products(activity_id, [_deal(product, price)])
        codes.append(error.value.code)
    ok = await client.promotions.update_products(activity_id, [_deal(product, "9.90")])
    assert codes == [17029063, 17029021]
    assert ok.status == "NOT_START"


async def test_the_clock_runs_activities_to_their_end_and_webhook_39_tells(
    client: TikTokShopClient,
    promotions: PromotionControl,
    product: tuple[str, str],
    shop: ShopHandle,
    receiver: tuple[WebhookReceiver, str],
) -> None:
    activity_id = await _fixed(client, promotions, shop, "Runs out")
    await client.promotions.update_products(activity_id, [_deal(product, "9.90")])
    await promotions.advance(shop.shop_id, 120)
    assert (await client.promotions.get(activity_id)).status == "ONGOING"
    await promotions.advance(shop.shop_id, 45 * DAY)
    hooks, _ = receiver

    def expired(received: list[ReceivedWebhook]) -> bool:
        return any(b.get("type") == 39 and b["data"]["status"] == "EXPIRED" for b in hooks.bodies())

    await hooks.wait_for(expired, within=5)
    body = next(
        b for b in hooks.bodies() if b.get("type") == 39 and b["data"]["status"] == "EXPIRED"
    )
    listed = await promotions.activities(shop.shop_id)
    assert body["data"]["activity_id"] == activity_id
    assert body["shop_id"] == shop.shop_id
    assert [a["status"] for a in listed] == ["EXPIRED"]
    with pytest.raises(BusinessError) as error:
        await client.promotions.update_products(activity_id, [_deal(product, "9.00")])
    assert error.value.code == 17029012
    # 45 days more on the clock: a new activity may begin after the moved "now" only.
    assert await _fixed(client, promotions, shop, "Next one")


async def test_promotion_calls_over_their_qps_get_tiktoks_429(
    sandbox_url: str, shop: ShopHandle, control: SandboxControl
) -> None:
    await control.set_qps(50, {"POST /promotion/202309/activities/search": 1})
    try:
        async with client_for(sandbox_url, shop, retry=RetryPolicy(max_attempts=1)) as client:
            await client.promotions.search()
            with pytest.raises(RateLimited) as error:
                await client.promotions.search()
        assert error.value.code == 36009002
        assert error.value.http_status == 429
        assert error.value.retry_after is not None
    finally:
        await control.set_qps(50, {})


async def test_an_order_during_an_ongoing_activity_carries_its_seller_discount(
    client: TikTokShopClient,
    control: SandboxControl,
    promotions: PromotionControl,
    product: tuple[str, str],
    shop: ShopHandle,
) -> None:
    activity_id = await _fixed(client, promotions, shop, "Order deal")
    await client.promotions.update_products(activity_id, [_deal(product, "9.90")])
    before = await control.place_order(shop.shop_id, lines=[{"sku_id": product[1]}])
    await promotions.advance(shop.shop_id, 120)
    during = await control.place_order(shop.shop_id, lines=[{"sku_id": product[1]}])
    [line_before], [line] = before["line_items"], during["line_items"]
    assert Decimal(line_before["seller_discount"]) == 0
    assert [Decimal(line[k]) for k in ("original_price", "seller_discount", "sale_price")] == [
        Decimal("12.90"),
        Decimal("3.00"),
        Decimal("9.90"),
    ]
