"""Connection state as platforms get authorized, refreshed and disconnected."""

from datetime import UTC, datetime

from connector_contracts import ConnectionChanged, ConnectionStatus
from gateway.core.connecting import (
    disconnected,
    needs_reauthorization,
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


def _active() -> ConnectionChanged:
    return with_tiktok_shop(
        with_shopify_token(new_connection("c", "S", "a.myshopify.com", "US"), "s"),
        shop_id="7",
        cipher="ci",
        sealed_token="t",
        expires_at=T,
    )


def test_a_refused_refresh_leaves_the_connection_pending_with_its_reason() -> None:
    refused = needs_reauthorization(_active(), "tiktok", "Authorize TikTok Shop again.")
    assert refused.status is ConnectionStatus.PENDING
    assert refused.tiktok_access_token is None
    assert refused.shopify_access_token == "s"
    assert refused.authorization_problem == "Authorize TikTok Shop again."


def test_the_problem_stands_through_the_other_platforms_refresh_and_clears_on_recovery() -> None:
    refused = needs_reauthorization(_active(), "tiktok", "Authorize TikTok Shop again.")
    shopify_refreshed = with_shopify_token(refused, "s2", refreshed=True)
    assert shopify_refreshed.authorization_problem == "Authorize TikTok Shop again."
    assert shopify_refreshed.status is ConnectionStatus.PENDING
    recovered = with_tiktok_token(shopify_refreshed, "t2", T, recovered=True)
    assert recovered.authorization_problem is None
    assert recovered.status is ConnectionStatus.ACTIVE


def test_authorizing_again_clears_the_problem() -> None:
    refused = needs_reauthorization(_active(), "shopify", "Authorize Shopify again.")
    assert with_shopify_token(refused, "s3").authorization_problem is None
    again = with_tiktok_shop(
        needs_reauthorization(_active(), "tiktok", "x"),
        shop_id="7",
        cipher="ci",
        sealed_token="t9",
        expires_at=T,
    )
    assert again.authorization_problem is None
    assert again.status is ConnectionStatus.ACTIVE
