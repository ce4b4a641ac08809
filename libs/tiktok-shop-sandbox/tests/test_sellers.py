"""Several shops under one TikTok seller: each authorization is a grant of the shop the seller
chose, with its own tokens; refreshing or revoking one leaves the seller's other shops working;
rate limits are per shop; a global product publishes only into its own seller's shops."""

from dataclasses import replace

import httpx
import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.calls import RetryPolicy
from tiktok_shop.errors import CredentialError, RateLimited
from tiktok_shop.models.common import TikTokModel
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import global_product, sample_png


def app_client(url: str, shop: ShopHandle, token: str | None = None) -> TikTokShopClient:
    return TikTokShopClient(
        app_key=shop.app_key,
        app_secret=shop.app_secret,
        access_token=token,
        base_url=url,
        auth_base_url=url,
        retry=RetryPolicy(max_attempts=1),
    )


async def authorize(url: str, control: SandboxControl, shop: ShopHandle) -> ShopHandle:
    """The seller authorizes the app for one shop; the connector exchanges the code."""
    code = await control.auth_code(shop.shop_id)
    async with app_client(url, shop) as anonymous:
        tokens = await anonymous.oauth.get_token(code)
    return replace(
        shop,
        access_token=tokens.access_token.get_secret_value(),
        refresh_token=tokens.refresh_token.get_secret_value(),
    )


async def eu_seller(control: SandboxControl, first: ShopHandle) -> list[ShopHandle]:
    """The first shop's seller opens DE and FR shops (not yet authorized)."""
    seller = (await control.shop(first.shop_id))["seller_id"]
    shops = [first]
    for region in ("DE", "FR"):
        made = await control.create_shop(
            first.app_key, region, seller_id=seller, issue_tokens=False
        )
        shops.append(replace(first, shop_id=made["shop_id"], cipher=made["cipher"], region=region))
    return shops


async def granted(url: str, shop: ShopHandle) -> list[str]:
    async with app_client(url, shop, shop.access_token) as seller:
        return [s.region for s in await seller.authorized_shops()]


async def test_each_authorization_grants_the_shop_chosen_with_its_own_tokens(
    sandbox_url: str, control: SandboxControl, shop: ShopHandle
) -> None:
    es, de, fr = [await authorize(sandbox_url, control, s) for s in await eu_seller(control, shop)]
    assert [await granted(sandbox_url, s) for s in (es, de, fr)] == [
        [shop.region],
        ["DE"],
        ["FR"],
    ]
    # DE's token does not act for FR, though both shops are the same seller's.
    async with client_for(sandbox_url, replace(de, cipher=fr.cipher)) as crossed:
        with pytest.raises(BusinessError) as refused:
            await crossed.orders.search(page_size=1)
    assert refused.value.code == 101000

    async with app_client(sandbox_url, de) as anonymous:
        await anonymous.oauth.refresh_token(de.refresh_token)
    async with client_for(sandbox_url, fr) as still:
        await still.orders.search(page_size=1)  # FR's grant is untouched by DE's refresh
    async with client_for(sandbox_url, de) as old:
        with pytest.raises(CredentialError):
            await old.orders.search(page_size=1)


async def test_deauthorizing_one_shop_leaves_the_sellers_others_working(
    sandbox_url: str, control: SandboxControl, shop: ShopHandle
) -> None:
    _, de, fr = [await authorize(sandbox_url, control, s) for s in await eu_seller(control, shop)]
    await control.deauthorize(de.shop_id)
    async with client_for(sandbox_url, de) as gone:
        with pytest.raises(CredentialError):
            await gone.orders.search(page_size=1)
    async with client_for(sandbox_url, fr) as kept:
        await kept.orders.search(page_size=1)
    again = await authorize(sandbox_url, control, de)  # the seller authorizes it again
    async with client_for(sandbox_url, again) as back:
        await back.orders.search(page_size=1)


async def test_rate_limits_are_per_shop(
    sandbox_url: str, control: SandboxControl, shop: ShopHandle
) -> None:
    _, de, fr = [await authorize(sandbox_url, control, s) for s in await eu_seller(control, shop)]
    async with httpx.AsyncClient(base_url=sandbox_url) as http:
        limits = {"default_qps": 50.0, "qps_per_api": {"POST /order/202309/orders/search": 1.0}}
        (await http.put("/_sandbox/qps", json=limits)).raise_for_status()
    try:
        async with client_for(sandbox_url, de, retry=RetryPolicy(max_attempts=1)) as de_client:
            await de_client.orders.search(page_size=1)
            with pytest.raises(RateLimited):
                await de_client.orders.search(page_size=1)
        async with client_for(sandbox_url, fr, retry=RetryPolicy(max_attempts=1)) as fr_client:
            await fr_client.orders.search(page_size=1)  # FR's budget is its own
    finally:
        async with httpx.AsyncClient(base_url=sandbox_url) as http:
            await http.put("/_sandbox/qps", json={"default_qps": 50.0, "qps_per_api": {}})


async def test_a_global_product_publishes_only_into_its_own_sellers_shops(
    sandbox_url: str, control: SandboxControl, shop: ShopHandle
) -> None:
    _, de, _ = [await authorize(sandbox_url, control, s) for s in await eu_seller(control, shop)]
    other = await control.create_shop(shop.app_key, "IT")  # another seller's IT shop
    async with client_for(sandbox_url, de) as seller:
        image = (await seller.catalog.upload_image(sample_png())).uri
        created = await seller.global_products.create(global_product(image))
        target = TikTokModel.model_validate(
            {
                "region": "IT",
                "skus": [
                    {
                        "related_global_sku_id": created.global_skus[0].id,
                        "price": {"amount": "12.00", "currency": "EUR"},
                        "inventory": {"warehouse_id": de.warehouse_id, "quantity": 4},
                    }
                ],
            }
        )
        result = await seller.global_products.publish(created.global_product_id, [target])
    [outcome] = result.publish_result
    assert (outcome.region, outcome.status) == ("IT", "FAILED")
    assert (await control.shop(other["shop_id"]))["products"] == []
