"""The low-inventory policy: both modes, product override and exclude, and reactivating only
what the guard deactivated."""

from hypothesis import given
from hypothesis import strategies as st
from inventory_guard.core.models import (
    ProductSettings,
    SkuInput,
    StoreSettings,
    Threshold,
    ThresholdMode,
)
from inventory_guard.core.policy import Activation, ProductState, plan_product

DEACTIVATE = StoreSettings(threshold=Threshold(quantity=5, mode=ThresholdMode.DEACTIVATE))
OUT_OF_STOCK = StoreSettings(threshold=Threshold(quantity=5, mode=ThresholdMode.OUT_OF_STOCK))
ACTIVE = ProductState(active=True)


def skus(*stock: int) -> list[SkuInput]:
    return [SkuInput(tiktok_sku_id=f"S{n}", levels={"L1": q}) for n, q in enumerate(stock)]


def test_one_low_sku_deactivates_the_whole_product_and_keeps_real_stock() -> None:
    plan = plan_product(skus(20, 5), DEACTIVATE, ProductSettings(), ACTIVE)
    assert plan.activation is Activation.DEACTIVATE
    assert plan.guard_deactivated
    assert [s.quantity for s in plan.skus] == [20, 5]


def test_product_the_guard_deactivated_comes_back_when_every_sku_is_above() -> None:
    state = ProductState(active=False, guard_deactivated=True)
    assert plan_product(skus(20, 6), DEACTIVATE, ProductSettings(), state).activation is (
        Activation.ACTIVATE
    )
    still_low = plan_product(skus(20, 4), DEACTIVATE, ProductSettings(), state)
    assert still_low.activation is Activation.KEEP
    assert still_low.guard_deactivated


def test_product_the_merchant_deactivated_is_never_reactivated() -> None:
    plan = plan_product(skus(20, 30), DEACTIVATE, ProductSettings(), ProductState(active=False))
    assert plan.activation is Activation.KEEP
    assert not plan.guard_deactivated
    low = plan_product(skus(1), DEACTIVATE, ProductSettings(), ProductState(active=False))
    assert low.activation is Activation.KEEP
    assert not low.guard_deactivated


def test_out_of_stock_mode_zeroes_only_the_low_sku() -> None:
    plan = plan_product(skus(20, 3), OUT_OF_STOCK, ProductSettings(), ACTIVE)
    assert plan.activation is Activation.KEEP
    assert [s.quantity for s in plan.skus] == [20, 0]


def test_product_threshold_beats_the_store_and_exclude_turns_it_off() -> None:
    override = ProductSettings(threshold=Threshold(quantity=1, mode=ThresholdMode.OUT_OF_STOCK))
    plan = plan_product(skus(3), DEACTIVATE, override, ACTIVE)
    assert plan.activation is Activation.KEEP
    assert plan.skus[0].quantity == 3
    excluded = plan_product(skus(0), DEACTIVATE, ProductSettings(exclude_threshold=True), ACTIVE)
    assert excluded.activation is Activation.KEEP
    assert excluded.policy == "excluded"


def test_switching_to_out_of_stock_reactivates_what_the_guard_deactivated() -> None:
    state = ProductState(active=False, guard_deactivated=True)
    plan = plan_product(skus(2), OUT_OF_STOCK, ProductSettings(), state)
    assert plan.activation is Activation.ACTIVATE
    assert plan.skus[0].quantity == 0


stock = st.lists(st.integers(-5, 50), min_size=1, max_size=6)
states = st.builds(ProductState, active=st.booleans(), guard_deactivated=st.booleans())
thresholds = st.builds(
    Threshold, quantity=st.none() | st.integers(0, 30), mode=st.sampled_from(list(ThresholdMode))
)
products = st.builds(
    ProductSettings, threshold=st.none() | thresholds, exclude_threshold=st.booleans()
)


@given(stock, st.builds(StoreSettings, threshold=thresholds), products, states)
def test_the_guard_never_activates_a_product_it_did_not_deactivate(
    q: list[int], store: StoreSettings, product: ProductSettings, state: ProductState
) -> None:
    plan = plan_product(skus(*q), store, product, state)
    if plan.activation is Activation.ACTIVATE:
        assert state.guard_deactivated
        assert not state.active
    if plan.activation is Activation.DEACTIVATE:
        assert state.active
        assert plan.guard_deactivated


@given(stock, st.builds(StoreSettings, threshold=thresholds), states)
def test_excluded_products_are_never_changed_by_the_policy(
    q: list[int], store: StoreSettings, state: ProductState
) -> None:
    plan = plan_product(skus(*q), store, ProductSettings(exclude_threshold=True), state)
    assert [s.quantity for s in plan.skus] == [max(0, n) for n in q]
    assert plan.activation in (Activation.KEEP, Activation.ACTIVATE)  # only undoes the guard's own


@given(stock, st.integers(0, 30), states)
def test_out_of_stock_sends_zero_exactly_for_skus_at_or_below_the_threshold(
    q: list[int], level: int, state: ProductState
) -> None:
    store = StoreSettings(threshold=Threshold(quantity=level, mode=ThresholdMode.OUT_OF_STOCK))
    plan = plan_product(skus(*q), store, ProductSettings(), state)
    for sent, real in zip(plan.skus, q, strict=True):
        assert sent.quantity == (0 if max(0, real) <= level else real)
    assert plan.activation is not Activation.DEACTIVATE


def test_an_unknown_sku_is_neither_sent_nor_low_and_its_siblings_still_go() -> None:
    unknown = SkuInput(tiktok_sku_id="S9")
    for store in (DEACTIVATE, OUT_OF_STOCK):
        plan = plan_product([*skus(20), unknown], store, ProductSettings(), ACTIVE)
        assert [(s.tiktok_sku_id, s.quantity) for s in plan.updates] == [("S0", 20)]
        assert not any(s.low for s in plan.skus)
        assert plan.activation is Activation.KEEP
