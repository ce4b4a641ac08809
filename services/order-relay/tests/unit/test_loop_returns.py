"""Loop returns: which refunds are Loop's, the TikTok units they refund, TikTok's refusals."""

from decimal import Decimal

from connector_contracts import FulfilledLine
from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.loop_returns import (
    NOT_APPROVED,
    TikTokRefund,
    is_loop_refund,
    refusal_reason,
    tiktok_refund,
)

LINE_MAP = {"gid://shopify/LineItem/1": ["T1", "T2", "T3"], "gid://shopify/LineItem/2": ["T4"]}


def test_only_refunds_made_by_the_loop_app_are_loops() -> None:
    assert is_loop_refund("1234", {"1234"})
    assert not is_loop_refund("web", {"1234"})
    assert not is_loop_refund(None, {"1234"})
    assert not is_loop_refund("1234", set())


def test_a_refund_covers_one_tiktok_line_per_refunded_unit() -> None:
    lines = [FulfilledLine(shopify_line_item_id="gid://shopify/LineItem/1", quantity=2)]
    assert tiktok_refund(lines, LINE_MAP, Decimal("20.00")) == TikTokRefund(
        ("T1", "T2"), Decimal("20.00")
    )
    foreign = [FulfilledLine(shopify_line_item_id="gid://shopify/LineItem/9", quantity=1)]
    assert "no line" in str(tiktok_refund(foreign, LINE_MAP, None))


@given(st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=3))
def test_never_more_units_than_the_order_line_has(first: int, second: int) -> None:
    lines = [
        FulfilledLine(shopify_line_item_id="gid://shopify/LineItem/1", quantity=first),
        FulfilledLine(shopify_line_item_id="gid://shopify/LineItem/2", quantity=second),
    ]
    planned = tiktok_refund(lines, LINE_MAP, Decimal(0))
    if isinstance(planned, TikTokRefund):
        assert len(planned.line_item_ids) == min(first, 3) + min(second, 1)
        assert planned.amount is None  # nothing refunded in money: TikTok computes it
    else:
        assert first == second == 0


def test_an_unapproved_seller_is_told_to_ask_tiktok() -> None:
    assert "approved by TikTok" in refusal_reason(NOT_APPROVED, "No permission")
    assert refusal_reason(25001011, "busy") == "TikTok Shop refused the refund (25001011: busy)."
