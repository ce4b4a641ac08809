"""What a relayed order tells the dashboard: its lines per SKU, and a buyer name no plainer
than TikTok's mask."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.outcome import masked_name, relayed_lines
from order_relay.core.translate import LineGroup
from tiktok_shop.models.orders import LineItem, Order


def test_a_name_tiktok_masked_is_kept_as_it_is() -> None:
    assert masked_name("S***x B***r") == "S***x B***r"


def test_a_plain_name_is_masked_like_tiktok_masks_one() -> None:
    assert masked_name("Sandra Baker") == "S***a B***r"
    assert masked_name("  ") is None


@given(st.lists(st.text(alphabet="abcdefghij", min_size=3), min_size=1, max_size=3))
def test_no_plain_word_of_a_name_survives(words: list[str]) -> None:
    masked = masked_name(" ".join(words)) or ""
    assert all(word not in masked.split() for word in words)


def test_lines_carry_the_product_units_and_amount_shopify_got() -> None:
    order = Order(
        id="o1",
        status="AWAITING_SHIPMENT",
        line_items=[
            LineItem(id="l1", sku_id="s1", product_id="p1"),
            LineItem(id="l2", sku_id="s1", product_id="p1"),
        ],
    )
    group = LineGroup(
        "s1", ("l1", "l2"), "gid://shopify/ProductVariant/1", "Tee", "TEE-1", Decimal("9.99")
    )
    [line] = relayed_lines(order, [group])
    assert (line.tiktok_product_id, line.seller_sku, line.quantity) == ("p1", "TEE-1", 2)
    assert line.amount == Decimal("19.98")
