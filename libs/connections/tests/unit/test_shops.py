"""A connection's shops: what per-region code iterates over."""

from connector_connections import Connection, shop_of, shops_of
from connector_contracts import ConnectionStatus


def connection(shop_id: str | None, cipher: str | None) -> Connection:
    return Connection(
        connection_id="c1",
        revision=1,
        name="Shop",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="shop.myshopify.com",
        tiktok_region="GB",
        tiktok_shop_id=shop_id,
        tiktok_shop_cipher=cipher,
    )


def test_an_authorized_shop_is_the_connections_one_region() -> None:
    [shop] = shops_of(connection("7001", "cipher-1"))
    assert (shop.shop_id, shop.region, shop.cipher) == ("7001", "GB", "cipher-1")
    assert shop_of(connection("7001", "cipher-1"), "7001") == shop
    assert shop_of(connection("7001", "cipher-1"), "7002") is None


def test_a_shop_not_authorized_yet_is_no_region() -> None:
    assert shops_of(connection(None, None)) == []
    assert shops_of(connection("7001", None)) == []
