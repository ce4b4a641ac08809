"""The low-inventory threshold policy (guide, "Low Inventory Threshold"): product beats store,
"exclude" turns it off for a product; reactivate only what the guard deactivated."""

from collections.abc import Sequence
from enum import StrEnum

from pydantic import Field

from inventory_guard.core.models import (
    Frozen,
    ProductSettings,
    SkuInput,
    StoreSettings,
    Threshold,
    ThresholdMode,
)
from inventory_guard.core.quantity import quantity_of


class Activation(StrEnum):
    """What to do with the TikTok product's status."""

    KEEP = "keep"
    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"


class ProductState(Frozen):
    """What the guard knows of the TikTok product."""

    active: bool = Field(description="TikTok status ACTIVATE.")
    guard_deactivated: bool = Field(
        default=False, description="The guard took it off the shelves (not the merchant)."
    )


class SkuPlan(Frozen):
    """One SKU's outcome: the stock to send (None: leave as is) and whether it is low."""

    tiktok_sku_id: str
    quantity: int | None
    stock: int | None = Field(description="The stock after the rules, before the policy.")
    low: bool = False


class ProductPlan(Frozen):
    """What the guard does to one TikTok product."""

    skus: tuple[SkuPlan, ...]
    activation: Activation = Activation.KEEP
    guard_deactivated: bool = False
    policy: str = Field(default="none", description="none, excluded, deactivate, out_of_stock.")

    @property
    def updates(self) -> tuple[SkuPlan, ...]:
        """The SKUs whose stock is sent."""
        return tuple(s for s in self.skus if s.quantity is not None)


def threshold_for(store: StoreSettings, product: ProductSettings) -> Threshold | None:
    """The threshold that applies to a product (None: none applies)."""
    if product.exclude_threshold:
        return None
    chosen = product.threshold or store.threshold
    return chosen if chosen.quantity is not None else None


def is_low(stock: int | None, threshold: Threshold | None) -> bool:
    """A SKU that has reached the threshold (at or below it) is low."""
    return threshold is not None and stock is not None and stock <= (threshold.quantity or 0)


def _sku_plan(sku: SkuInput, store: StoreSettings, product: ProductSettings) -> SkuPlan:
    stock = quantity_of(sku, store.location_ids, product.rules.over(store.rules))
    threshold = threshold_for(store, product)
    low = is_low(stock, threshold)
    out_of_stock = low and threshold is not None and threshold.mode is ThresholdMode.OUT_OF_STOCK
    return SkuPlan(
        tiktok_sku_id=sku.tiktok_sku_id, quantity=0 if out_of_stock else stock, stock=stock, low=low
    )


def _activation(state: ProductState, deactivate: bool) -> tuple[Activation, bool]:
    """The status change and whether the guard holds the product deactivated afterwards."""
    if deactivate:
        if state.active:
            return Activation.DEACTIVATE, True
        return Activation.KEEP, state.guard_deactivated  # off already: by the merchant or us
    if state.guard_deactivated and not state.active:
        return Activation.ACTIVATE, False
    return Activation.KEEP, False


def plan_product(
    skus: Sequence[SkuInput],
    store: StoreSettings,
    product: ProductSettings,
    state: ProductState,
) -> ProductPlan:
    """The stock per SKU and the product's status change."""
    plans = tuple(_sku_plan(s, store, product) for s in skus)
    threshold = threshold_for(store, product)
    mode = threshold.mode if threshold else None
    deactivate = mode is ThresholdMode.DEACTIVATE and any(p.low for p in plans)
    activation, held = _activation(state, deactivate)
    policy = "excluded" if product.exclude_threshold else (mode.value if mode else "none")
    return ProductPlan(skus=plans, activation=activation, guard_deactivated=held, policy=policy)
