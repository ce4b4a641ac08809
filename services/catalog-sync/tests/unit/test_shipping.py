"""A region's warehouse and shipping template: which of the shop's the push may use, and where
a listed SKU's stock goes when the chosen warehouse changed."""

from catalog_sync.core.mapping import PushTarget, TikTokSnapshot, inventory_of
from catalog_sync.core.shipping import template_error, warehouse_error
from hypothesis import given
from hypothesis import strategies as st
from tiktok_shop.models.fulfillment import ShippingTemplate, Warehouse

TARGET = PushTarget(region="US", category_id="600020", warehouse_id="chosen")
ids = st.text(alphabet="0123456789", min_size=1, max_size=6)


def template(template_id: str, reason: str | None = None) -> ShippingTemplate:
    return ShippingTemplate.model_validate(
        {
            "template_is_available": reason is None,
            "template": {"template_id": template_id, "template_name": f"T{template_id}"},
            "service_unreachable_reason": [{"filter_reason": [{"reason": reason}]}]
            if reason
            else [],
        }
    )


@given(shop=st.lists(ids, unique=True, max_size=4), picked=ids)
def test_only_a_sales_warehouse_of_the_shop_that_is_enabled_is_usable(
    shop: list[str], picked: str
) -> None:
    warehouses = [
        Warehouse(id=w, name=f"W{w}", type="SALES_WAREHOUSE", effect_status="ENABLED") for w in shop
    ]
    error = warehouse_error(warehouses, picked)
    assert (error is None) == (picked in shop)
    if error:
        assert "not a warehouse of this TikTok shop" in error


def test_return_and_disabled_warehouses_are_refused_with_their_name() -> None:
    returns = Warehouse(id="r", name="Returns", type="RETURN_WAREHOUSE", effect_status="ENABLED")
    off = Warehouse(id="d", name="Closed", type="SALES_WAREHOUSE", effect_status="DISABLED")
    assert "'Returns' is a return warehouse" in (warehouse_error([returns], "r") or "")
    assert "'Closed' is disabled" in (warehouse_error([off], "d") or "")


@given(shop=st.lists(ids, unique=True, max_size=4), picked=ids)
def test_a_template_of_another_shop_is_refused(shop: list[str], picked: str) -> None:
    error = template_error([template(t) for t in shop], picked)
    assert (error is None) == (picked in shop)


def test_an_unusable_template_is_refused_with_tiktoks_reason() -> None:
    error = template_error([template("7", "Ship by seller is banned")], "7")
    assert error == "TikTok Shop cannot use the shipping template 'T7': Ship by seller is banned."


@given(quantity=st.integers(0, 99_999))
def test_a_new_sku_goes_to_the_chosen_warehouse(quantity: int) -> None:
    (stock,) = inventory_of(quantity, None, TARGET, None)
    assert (stock.warehouse_id, stock.quantity) == ("chosen", quantity)


@given(
    held=st.dictionaries(ids, st.integers(0, 99_999), min_size=1, max_size=3),
    quantity=st.integers(0, 99_999),
)
def test_a_listed_sku_keeps_every_warehouse_tiktok_has_it_in(
    held: dict[str, int], quantity: int
) -> None:
    current = TikTokSnapshot(sku_inventory={"sku-1": held})
    stock = inventory_of(quantity, "sku-1", TARGET, current)
    assert [s.warehouse_id for s in stock] == list(held)  # Edit Product refuses any change
    assert stock[0].quantity == quantity
    assert [s.quantity for s in stock[1:]] == list(held.values())[1:]
