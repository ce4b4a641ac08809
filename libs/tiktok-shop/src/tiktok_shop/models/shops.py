"""Authorized shop and shop-webhook models (reference A4, A6 Events)."""

from tiktok_shop.models.common import TikTokModel


class AuthorizedShop(TikTokModel):
    """A shop the token may act for; `cipher` goes in `shop_cipher` on shop-scoped calls."""

    id: str
    name: str = ""
    region: str = ""
    seller_type: str = ""
    cipher: str
    code: str = ""


class ShopWebhook(TikTokModel):
    """A per-shop webhook subscription."""

    event_type: str
    address: str
    create_time: int = 0
    update_time: int = 0
