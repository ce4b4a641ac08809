"""Connection state as platforms get authorized, refreshed and disconnected."""

from datetime import UTC, datetime

from connector_contracts import ConnectionStatus
from gateway.core.connecting import (
    disconnected,
    new_connection,
    pick_shop,
    with_shopify_token,
    with_tiktok_shop,
    with_tiktok_token,
)

T = datetime(2027, 1, 1, tzinfo=UTC)


def test_connection_is_active_only_once_both_platforms_are_authorized() -> None:
    c = new_connection("c1", "Shop", "a.myshopify.com", "US")
    assert c.status is ConnectionStatus.PENDING
    shopify = with_shopify_token(c, "sealed-s")
    assert shopify.status is ConnectionStatus.PENDING
    both = with_tiktok_shop(
        shopify, shop_id="7", cipher="ci", sealed_token="sealed-t", expires_at=T
    )
    assert both.status is ConnectionStatus.ACTIVE
    assert [c.revision, shopify.revision, both.revision] == [1, 2, 3]


def test_tiktok_first_then_shopify_is_active_too() -> None:
    c = with_tiktok_shop(
        new_connection("c1", "S", "a.myshopify.com", "GB"),
        shop_id="7",
        cipher="ci",
        sealed_token="t",
        expires_at=T,
    )
    assert c.status is ConnectionStatus.PENDING
    assert with_shopify_token(c, "s").status is ConnectionStatus.ACTIVE


def test_disconnected_stays_disconnected_through_token_refreshes() -> None:
    c = with_tiktok_shop(
        with_shopify_token(new_connection("c", "S", "a.myshopify.com", "US"), "s"),
        shop_id="7",
        cipher="ci",
        sealed_token="t",
        expires_at=T,
    )
    gone = disconnected(c)
    assert gone.status is ConnectionStatus.DISCONNECTED
    assert with_tiktok_token(gone, "t2", T).status is ConnectionStatus.DISCONNECTED
    assert with_tiktok_token(gone, "t2", T).revision == gone.revision + 1


def test_shop_is_picked_by_region_or_alone() -> None:
    shops = [("1", "c1", "US"), ("2", "c2", "GB")]
    assert pick_shop(shops, "gb") == ("2", "c2")
    assert pick_shop(shops, "DE") is None
    assert pick_shop([("9", "c9", "DE")], "FR") == ("9", "c9")
    assert pick_shop([], "US") is None
