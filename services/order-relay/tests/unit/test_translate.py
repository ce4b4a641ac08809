"""Translating a TikTok order into orderCreate: lines, prices, addresses, settings, refusals."""

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.settings import OrderSettings
from order_relay.core.translate import (
    Inputs,
    LineGroup,
    Refusal,
    RelayPlan,
    SkuLink,
    StockLevel,
    group_lines,
    market_tag,
    placeholder_email,
    shop_tag,
    stock_refusal,
    to_shopify_order,
)
from tiktok_shop.models.orders import Order

LINKS = {
    "111": SkuLink("gid://shopify/ProductVariant/1", "RED"),
    "222": SkuLink("gid://shopify/ProductVariant/2", "BLUE"),
}


def line(
    n: int, sku: str = "111", price: str = "20.00", seller: str = "0", platform: str = "0"
) -> dict[str, Any]:
    return {
        "id": f"L{n}",
        "sku_id": sku,
        "seller_sku": LINKS[sku].seller_sku if sku in LINKS else "LOOSE",
        "product_name": "Mug",
        "sku_name": "Red",
        "original_price": price,
        "sale_price": str(Decimal(price) - Decimal(seller) - Decimal(platform)),
        "seller_discount": seller,
        "platform_discount": platform,
    }


def order(*lines: dict[str, Any], **extra: Any) -> Order:
    body: dict[str, Any] = {
        "id": "576486316948490001",
        "status": "AWAITING_SHIPMENT",
        "create_time": 1_760_000_000,
        "buyer_email": "abc@scs.tiktokw.us",
        "fulfillment_type": "FULFILLMENT_BY_SELLER",
        "payment": {
            "currency": "USD",
            "original_shipping_fee": "5.00",
            "shipping_fee": "4.00",
            "shipping_fee_seller_discount": "1.00",
            "tax": "2.00",
        },
        "recipient_address": {
            "name": "S***x B***r",
            "address_line1": "1199 Coleman Ave",
            "postal_code": "95110",
            "region_code": "US",
            "phone_number": "(+1)213-***-1234",
            "district_info": [{"address_level_name": "City", "address_name": "San Jose"}],
        },
        "line_items": list(lines),
    }
    return Order.model_validate(body | extra)


def plan(o: Order, settings: OrderSettings | None = None, **inputs: Any) -> RelayPlan:
    result = to_shopify_order(
        o, settings or OrderSettings(), Inputs(region="US", links=LINKS, **inputs), on_hold=False
    )
    assert isinstance(result, RelayPlan), result
    return result


def test_units_of_one_sku_become_one_line_with_a_quantity() -> None:
    p = plan(order(line(1), line(2), line(3, sku="222", price="9.00")))
    assert [(li.variant_id, li.quantity) for li in p.order.line_items] == [
        ("gid://shopify/ProductVariant/1", 2),
        ("gid://shopify/ProductVariant/2", 1),
    ]
    assert [g.tiktok_line_ids for g in p.groups] == [("L1", "L2"), ("L3",)]


def test_tiktok_pricing_deducts_seller_but_not_platform_discounts() -> None:
    p = plan(order(line(1, seller="2.00", platform="3.00")))
    assert p.order.line_items[0].price_set is not None
    assert p.order.line_items[0].price_set.shop_money.amount == Decimal("18.00")
    # shipping: original 5.00 less the seller's 1.00 shipping discount; tax 2.00
    assert p.totals.total == Decimal("18.00") + Decimal("4.00") + Decimal("2.00")
    assert p.order.transactions is not None
    assert p.order.transactions[0].amount_set.shop_money.amount == p.totals.total


def test_shopify_pricing_takes_the_variant_price() -> None:
    p = plan(
        order(line(1, seller="2.00")),
        OrderSettings(use_tiktok_pricing=False),
        shopify_prices={"gid://shopify/ProductVariant/1": Decimal("25.50")},
    )
    assert p.order.line_items[0].price_set is not None
    assert p.order.line_items[0].price_set.shop_money.amount == Decimal("25.50")


def test_defaults_give_payment_label_encrypted_email_market_tag_and_obeying_inventory() -> None:
    p = plan(order(line(1)))
    assert p.order.transactions is not None
    assert p.order.transactions[0].gateway == "TikTokPAY"
    assert p.order.email == "abc@scs.tiktokw.us"
    assert p.order.tags is not None
    assert market_tag("US") in p.order.tags
    assert p.order.source_identifier == "576486316948490001"
    assert p.order.billing_address is None
    assert p.options.inventory_behaviour == "DECREMENT_OBEYING_POLICY"
    assert p.order.shipping_address is not None
    assert p.order.shipping_address.city == "San Jose"


def test_settings_change_label_billing_email_tax_liability_and_inventory() -> None:
    settings = OrderSettings(
        payment_method="ERP",
        billing_same_as_shipping=True,
        sync_encrypted_email=False,
        channel_liable_tax=True,
        prevent_negative_inventory=False,
    )
    p = plan(order(line(1)), settings)
    assert p.order.transactions is not None
    assert p.order.transactions[0].gateway == "ERP"
    assert p.order.billing_address == p.order.shipping_address
    assert p.order.email == placeholder_email("576486316948490001")
    assert p.order.tax_lines is not None
    assert p.order.tax_lines[0].channel_liable is True
    assert p.options.inventory_behaviour == "DECREMENT_IGNORING_POLICY"


def test_unsynced_products_are_refused_or_become_virtual_lines() -> None:
    o = order(line(1), line(2, sku="999", price="5.00"))
    refused = to_shopify_order(o, OrderSettings(), Inputs("US", LINKS), on_hold=False)
    assert isinstance(refused, Refusal)
    assert refused.code == "unsynced_products"
    assert "contains unsynced products" in refused.reason
    assert "LOOSE" in refused.reason
    p = plan(o, OrderSettings(sync_unsynced_products=True))
    virtual = [li for li in p.order.line_items if li.variant_id is None]
    assert [(li.title, li.sku) for li in virtual] == [("Mug - Red", "LOOSE")]


def test_fbt_orders_are_skipped_unless_enabled() -> None:
    o = order(line(1), fulfillment_type="FULFILLMENT_BY_TIKTOK")
    refused = to_shopify_order(o, OrderSettings(), Inputs("US", LINKS), on_hold=False)
    assert isinstance(refused, Refusal)
    assert refused.code == "fbt_not_synced"
    assert not refused.retryable
    p = plan(o, OrderSettings(sync_fbt_orders=True))
    assert p.order.tags is not None
    assert "TikTok FBT" in p.order.tags


def test_no_tax_means_no_tax_line() -> None:
    o = order(line(1), payment={"currency": "USD", "tax": "0"})
    assert plan(o).order.tax_lines is None


def test_stock_refusal_names_what_is_short_at_the_location() -> None:
    groups = [
        LineGroup(
            "111", ("L1", "L2", "L3"), "gid://shopify/ProductVariant/1", "Mug", "RED", Decimal(1)
        )
    ]
    stock = {"gid://shopify/ProductVariant/1": StockLevel(2, True, "RED")}
    refusal = stock_refusal(groups, stock, "gid://shopify/Location/9")
    assert refusal is not None
    assert "RED: ordered 3, available 2" in refusal.reason
    untracked = {"gid://shopify/ProductVariant/1": StockLevel(0, False, "RED")}
    assert stock_refusal(groups, untracked, "gid://shopify/Location/9") is None


@given(
    st.lists(
        st.tuples(st.sampled_from(["111", "222"]), st.sampled_from(["1.00", "2.50"])),
        min_size=1,
        max_size=20,
    )
)
def test_grouping_keeps_every_unit_exactly_once(units: list[tuple[str, str]]) -> None:
    o = order(*[line(i, sku=s, price=p) for i, (s, p) in enumerate(units)])
    groups = group_lines(o.line_items)
    assert sorted(li.id for g in groups for li in g) == sorted(f"L{i}" for i in range(len(units)))
    p = plan(o)
    assert sum(li.quantity for li in p.order.line_items) == len(units)


@given(
    st.sampled_from(["US", "GB", "DE", "FR", "ES", "IT"]),
    st.from_regex(r"7[0-9]{18}", fullmatch=True),
)
def test_an_order_is_tagged_with_the_market_and_the_shop_it_came_from(
    region: str, shop_id: str
) -> None:
    inputs = Inputs(region=region, links=LINKS, shop_id=shop_id)
    p = to_shopify_order(order(line(1)), OrderSettings(), inputs, on_hold=False)
    assert isinstance(p, RelayPlan)
    assert p.order.tags is not None
    assert p.order.tags[:2] == [market_tag(region), shop_tag(shop_id)]
    attributes = {a.key: a.value for a in p.order.custom_attributes or []}
    assert (attributes["TikTok market"], attributes["TikTok shop"]) == (region, shop_id)


def test_a_mapped_tiktok_shipping_option_names_the_shopify_shipping_line() -> None:
    settings = OrderSettings(shipping_option_map={"Express": "UPS Next Day Air"})
    express = order(line(1), delivery_option_id="9", delivery_option_name="Express")
    [mapped] = plan(express, settings).order.shipping_lines or []
    assert (mapped.title, mapped.code) == ("UPS Next Day Air", "UPS Next Day Air")
    standard = order(line(1), delivery_option_id="7", delivery_option_name="Standard Shipping")
    [unmapped] = plan(standard, settings).order.shipping_lines or []
    assert (unmapped.title, unmapped.code) == ("TikTok Shop shipping", "Standard Shipping")


def test_the_delivery_option_id_wins_over_a_name_mapping() -> None:
    settings = OrderSettings(shipping_option_map={"Express": "By name", "9": "By id"})
    express = order(line(1), delivery_option_id="9", delivery_option_name="Express")
    assert [s.title for s in plan(express, settings).order.shipping_lines or []] == ["By id"]


@given(st.text(max_size=3), st.text(max_size=3))
def test_shipping_option_names_are_validated(option: str, method: str) -> None:
    try:
        settings = OrderSettings(shipping_option_map={option: method})
    except ValueError:
        assert not option.strip() or not method.strip()
    else:
        assert settings.shipping_option_map == {option.strip(): method.strip()}
