"""Connection state as platforms get authorized, refreshed and disconnected."""

from datetime import UTC, datetime

from connector_connections import shops_of
from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    OrderStatus,
    OrderStatusChanged,
    ShopStatus,
)
from gateway.core.connecting import (
    disconnected,
    needs_reauthorization,
    new_connection,
    other_seller_problem,
    pick_shop,
    problems_of,
    shop_deauthorized,
    with_region,
    with_shopify_token,
    with_tiktok_shop,
    with_tiktok_token,
    without_shop,
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
    assert refused.tiktok_shops[0].status is ShopStatus.NEEDS_REAUTHORIZATION
    assert problems_of(refused) == "Authorize TikTok Shop again."


def test_the_problem_stands_through_the_other_platforms_refresh_and_clears_on_recovery() -> None:
    refused = needs_reauthorization(_active(), "tiktok", "Authorize TikTok Shop again.")
    shopify_refreshed = with_shopify_token(refused, "s2", refreshed=True)
    assert problems_of(shopify_refreshed) == "Authorize TikTok Shop again."
    assert shopify_refreshed.status is ConnectionStatus.PENDING
    recovered = with_tiktok_token(shopify_refreshed, "t2", T, recovered=True)
    assert problems_of(recovered) is None
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
    assert problems_of(again) is None
    assert again.status is ConnectionStatus.ACTIVE


def _eu() -> ConnectionChanged:
    """An EU seller's connection: ES first, then DE and FR added (Add Country/Region)."""
    c = with_shopify_token(new_connection("c", "EU", "a.myshopify.com", "ES"), "s")
    for shop_id, region in (("1", "ES"), ("2", "DE"), ("3", "FR")):
        c = with_tiktok_shop(
            c,
            shop_id=shop_id,
            cipher=f"ci-{shop_id}",
            sealed_token=f"t-{shop_id}",
            expires_at=T,
            region=region,
            seller_id="seller-eu",
        )
    return c


def test_added_regions_keep_the_first_as_default_each_with_its_own_grant() -> None:
    c = _eu()
    assert c.status is ConnectionStatus.ACTIVE
    assert [s.region for s in shops_of(c)] == ["ES", "DE", "FR"]
    assert (c.tiktok_region, c.tiktok_shop_id, c.tiktok_access_token) == ("ES", "1", "t-1")
    fr = with_tiktok_token(c, "t-3b", T, shop_id="3")
    assert [g.access_token for g in fr.tiktok_shops] == ["t-1", "t-2", "t-3b"]


def test_another_sellers_shop_cannot_join_and_the_reason_says_why() -> None:
    c = _eu()
    assert other_seller_problem(c, "seller-eu", "IT") is None
    problem = other_seller_problem(c, "seller-other", "IT")
    assert problem is not None
    assert "same TikTok seller ID" in problem
    assert "IT" in problem
    assert (
        other_seller_problem(new_connection("c", "S", "a.myshopify.com", "US"), "x", "US") is None
    )


def test_deauthorizing_one_shop_disconnects_that_region_only() -> None:
    c = shop_deauthorized(_eu(), "2")
    assert c.status is ConnectionStatus.ACTIVE
    assert [s.region for s in shops_of(c)] == ["ES", "FR"]
    de = next(g for g in c.tiktok_shops if g.shop_id == "2")
    assert (de.status, de.access_token) == (ShopStatus.DEAUTHORIZED, None)
    assert "DE: The TikTok seller deauthorized" in str(problems_of(c))
    # A refresh does not bring back what the seller revoked.
    assert shop_of_status(with_tiktok_token(c, "t", T, shop_id="2", recovered=True), "2") is (
        ShopStatus.DEAUTHORIZED
    )
    first_gone = shop_deauthorized(_eu(), "1")
    assert (first_gone.tiktok_region, first_gone.tiktok_shop_id) == ("DE", "2")


def shop_of_status(c: ConnectionChanged, shop_id: str) -> ShopStatus:
    return next(g.status for g in c.tiktok_shops if g.shop_id == shop_id)


def test_deauthorizing_the_last_region_disconnects_the_connection() -> None:
    c = shop_deauthorized(shop_deauthorized(shop_deauthorized(_eu(), "1"), "2"), "3")
    assert c.status is ConnectionStatus.DISCONNECTED
    assert c.shopify_access_token is None
    assert shop_deauthorized(_active(), "7").status is ConnectionStatus.DISCONNECTED


def test_removing_a_region_leaves_the_others_and_the_next_default() -> None:
    c = without_shop(_eu(), "1")
    assert [s.region for s in shops_of(c)] == ["DE", "FR"]
    assert (c.tiktok_region, c.tiktok_shop_id, c.status) == ("DE", "2", ConnectionStatus.ACTIVE)


def test_a_refused_refresh_marks_its_shop_only() -> None:
    c = needs_reauthorization(_eu(), "tiktok", "Authorize again.", "3")
    assert [s.region for s in shops_of(c)] == ["ES", "DE"]
    assert c.status is ConnectionStatus.ACTIVE
    assert problems_of(c) == "FR: Authorize again."


def test_events_about_a_shop_carry_its_market() -> None:
    change = OrderStatusChanged(
        tiktok_order_id="o1",
        tiktok_shop_id="3",
        status=OrderStatus.AWAITING_SHIPMENT,
        updated_at=T,
        source="webhook",
    )
    regional = with_region(change, _eu())
    assert isinstance(regional, OrderStatusChanged)
    assert (regional.tiktok_shop_id, regional.region) == ("3", "FR")
    stranger = change.model_copy(update={"tiktok_shop_id": "9"})
    assert with_region(stranger, _eu()) == stranger
