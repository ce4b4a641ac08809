"""The quantity per SKU: locations, TikTok holds, buffers, untracked stock and the cap."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from inventory_guard.core.models import TIKTOK_MAX_QUANTITY, SkuInput, StockRules
from inventory_guard.core.quantity import available_at, buffer_of, quantity_of

levels = st.dictionaries(st.sampled_from(["L1", "L2", "L3"]), st.integers(-50, 500))
rules = st.builds(
    StockRules,
    buffer_percent=st.none() | st.decimals(0, 100, places=1),
    buffer_units=st.none() | st.integers(0, 50),
    untracked_quantity=st.none() | st.integers(0, 1000),
    cap=st.none() | st.integers(0, 1000),
)


def test_no_location_chosen_sums_every_location() -> None:
    assert available_at({"L1": 3, "L2": 4}, ()) == 7


def test_chosen_locations_only_count_themselves() -> None:
    assert available_at({"L1": 3, "L2": 4, "L3": 5}, ("L1", "L3")) == 8
    assert available_at({"L1": 3}, ("L9",)) == 0


def test_percentage_buffer_rounds_up_and_the_larger_buffer_wins() -> None:
    assert buffer_of(10, StockRules(buffer_percent=Decimal("15"))) == 2
    assert buffer_of(10, StockRules(buffer_percent=Decimal("10"), buffer_units=3)) == 3
    assert buffer_of(100, StockRules(buffer_percent=Decimal("10"), buffer_units=3)) == 10


def test_tiktok_holds_are_taken_out_of_shopify_available() -> None:
    sku = SkuInput(tiktok_sku_id="1", levels={"L1": 10}, reserved=3)
    assert quantity_of(sku, (), StockRules()) == 7


def test_untracked_sku_gets_the_fixed_quantity_or_is_left_alone() -> None:
    sku = SkuInput(tiktok_sku_id="1", tracked=False)
    assert quantity_of(sku, (), StockRules(untracked_quantity=50, cap=20)) == 20
    assert quantity_of(sku, (), StockRules()) is None


def test_product_rules_beat_store_rules_field_by_field() -> None:
    store = StockRules(buffer_units=5, cap=100)
    merged = StockRules(cap=10).over(store)
    assert merged == StockRules(buffer_units=5, cap=10)


@given(levels, st.integers(0, 100), rules)
def test_quantity_is_never_negative_nor_above_tiktok_max_nor_above_cap(
    lv: dict[str, int], reserved: int, r: StockRules
) -> None:
    q = quantity_of(SkuInput(tiktok_sku_id="1", levels=lv, reserved=reserved), (), r)
    assert q is not None
    assert 0 <= q <= TIKTOK_MAX_QUANTITY
    assert r.cap is None or q <= r.cap
    assert q <= max(0, sum(lv.values()) - reserved)


@given(levels, st.integers(0, 100), rules, st.integers(1, 20))
def test_more_shopify_stock_never_sends_less(
    lv: dict[str, int], reserved: int, r: StockRules, more: int
) -> None:
    before = quantity_of(SkuInput(tiktok_sku_id="1", levels=lv, reserved=reserved), (), r)
    bigger = lv | {"L1": lv.get("L1", 0) + more}
    after = quantity_of(SkuInput(tiktok_sku_id="1", levels=bigger, reserved=reserved), (), r)
    assert before is not None
    assert after is not None
    assert after >= before


@given(levels, st.integers(0, 100))
def test_without_rules_the_quantity_is_available_minus_holds(lv: dict[str, int], held: int) -> None:
    q = quantity_of(SkuInput(tiktok_sku_id="1", levels=lv, reserved=held), (), StockRules())
    assert q == min(TIKTOK_MAX_QUANTITY, max(0, sum(lv.values()) - held))


@given(rules, st.integers(0, 20))
def test_a_sku_whose_shopify_figure_is_unknown_is_left_alone_never_sent_as_0(
    r: StockRules, reserved: int
) -> None:
    unknown = SkuInput(tiktok_sku_id="1", reserved=reserved)
    assert quantity_of(unknown, (), r) is None
    assert quantity_of(unknown, ("L1",), r) is None
    # Known to be stocked nowhere is a figure, though: Shopify's 0 at the region's locations.
    nowhere = SkuInput(tiktok_sku_id="1", levels={}, reserved=reserved)
    assert quantity_of(nowhere, (), StockRules()) == 0
