"""A connection's shops: what per-region code iterates over."""

from connector_connections import Connection, shop_of, shops_of
from connector_connections.shops import as_shop, shop_in_region
from connector_contracts import ConnectionStatus, ShopStatus, TikTokShopGrant
from hypothesis import given
from hypothesis import strategies as st


def connection(shop_id: str | None, cipher: str | None, token: str | None = "sealed") -> Connection:
    """A connection as published before regions existed (top-level shop fields only)."""
    return Connection(
        connection_id="c1",
        revision=1,
        name="Shop",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="shop.myshopify.com",
        tiktok_region="GB",
        tiktok_shop_id=shop_id,
        tiktok_shop_cipher=cipher,
        tiktok_access_token=token,
    )


def grant(shop_id: str, region: str, status: ShopStatus = ShopStatus.AUTHORIZED) -> TikTokShopGrant:
    token = None if status is ShopStatus.DEAUTHORIZED else f"token-{shop_id}"
    return TikTokShopGrant(
        shop_id=shop_id,
        region=region,
        cipher=f"cipher-{shop_id}",
        access_token=token,
        status=status,
    )


def regional(*grants: TikTokShopGrant) -> Connection:
    return Connection(
        connection_id="c1",
        revision=1,
        name="EU",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="shop.myshopify.com",
        tiktok_region="ignored",
        tiktok_shops=list(grants),
    )


def test_an_authorized_shop_is_the_connections_one_region() -> None:
    [shop] = shops_of(connection("7001", "cipher-1"))
    assert (shop.shop_id, shop.region, shop.cipher) == ("7001", "GB", "cipher-1")
    assert shop_of(connection("7001", "cipher-1"), "7001") == shop
    assert shop_of(connection("7001", "cipher-1"), "7002") is None


def test_a_shop_not_authorized_yet_is_no_region() -> None:
    assert shops_of(connection(None, None)) == []
    assert shops_of(connection("7001", None)) == []


def test_a_legacy_shop_whose_token_was_refused_waits_for_reauthorization() -> None:
    c = connection("7001", "cipher-1", token=None)
    assert [g.status for g in c.tiktok_shops] == [ShopStatus.NEEDS_REAUTHORIZATION]
    assert shops_of(c) == []


def test_every_authorized_shop_is_a_region_the_default_first() -> None:
    c = regional(grant("1", "ES"), grant("2", "DE", ShopStatus.DEAUTHORIZED), grant("3", "FR"))
    assert [s.region for s in shops_of(c)] == ["ES", "FR"]
    assert (c.tiktok_region, c.tiktok_shop_id, c.tiktok_shop_cipher) == ("ES", "1", "cipher-1")
    assert shop_of(c, "2") is None
    fr = shop_in_region(c, "fr")
    assert fr is not None
    assert fr.shop_id == "3"


def test_seen_from_one_shop_the_connection_calls_that_shop() -> None:
    c = regional(grant("1", "ES"), grant("3", "FR"))
    fr = shop_of(c, "3")
    assert fr is not None
    view = as_shop(c, fr)
    assert (view.tiktok_shop_id, view.tiktok_shop_cipher, view.tiktok_access_token) == (
        "3",
        "cipher-3",
        "token-3",
    )
    assert {g.shop_id for g in view.tiktok_shops} == {"1", "3"}


regions = st.lists(st.sampled_from(["US", "GB", "DE", "FR", "ES", "IT"]), max_size=6, unique=True)


@given(regions, st.data())
def test_the_mirror_is_the_first_shop_and_survives_a_round_trip(
    markets: list[str], data: st.DataObject
) -> None:
    statuses = st.sampled_from(list(ShopStatus))
    grants = [grant(str(i), r, data.draw(statuses)) for i, r in enumerate(markets)]
    c = regional(*grants)
    again = Connection.model_validate_json(c.model_dump_json())
    assert again == c
    assert [s.shop_id for s in shops_of(again)] == [
        g.shop_id for g in grants if g.status is ShopStatus.AUTHORIZED
    ]
    live = [g for g in grants if g.status is ShopStatus.AUTHORIZED]
    if grants:  # the default: the first authorized shop, else the first
        default = (live or grants)[0]
        assert (c.tiktok_shop_id, c.tiktok_region) == (default.shop_id, default.region)
