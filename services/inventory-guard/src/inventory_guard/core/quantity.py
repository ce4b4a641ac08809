"""The quantity to send per SKU: Shopify available at the region's locations, minus what
not-yet-relayed TikTok orders hold, then the stock rules (buffer, untracked, cap)."""

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

from inventory_guard.core.models import TIKTOK_MAX_QUANTITY, SkuInput, StockRules


def available_at(levels: Mapping[str, int], location_ids: Sequence[str]) -> int:
    """Shopify available at the chosen locations (all of them, summed, when none is chosen)."""
    chosen = levels.values() if not location_ids else (levels.get(i, 0) for i in location_ids)
    return sum(chosen)


def buffer_of(stock: int, rules: StockRules) -> int:
    """Units kept back: the larger of the percentage (rounded up) and the fixed buffer."""
    share = Decimal(0)
    if rules.buffer_percent is not None:
        share = (Decimal(stock) * rules.buffer_percent / 100).to_integral_value(ROUND_CEILING)
    return max(int(share), rules.buffer_units or 0)


def quantity_of(sku: SkuInput, location_ids: Sequence[str], rules: StockRules) -> int | None:
    """The stock TikTok should show before the threshold policy (None: leave TikTok's as is,
    an untracked SKU with no fixed quantity, or a SKU whose Shopify figure is unknown)."""
    if not sku.tracked:
        if rules.untracked_quantity is None:
            return None
        stock = rules.untracked_quantity
    elif sku.levels is None:
        # No figure of Shopify's yet: 0 would take a stocked SKU off sale (ADR 0450).
        return None
    else:
        # A TikTok sale not yet in Shopify is still in Shopify's figure: take it out, so the
        # window between a sale and its relay cannot sell the same unit twice.
        stock = max(0, available_at(sku.levels, location_ids) - sku.reserved)
        stock -= buffer_of(stock, rules)
    if rules.cap is not None:
        stock = min(stock, rules.cap)
    return max(0, min(stock, TIKTOK_MAX_QUANTITY))
