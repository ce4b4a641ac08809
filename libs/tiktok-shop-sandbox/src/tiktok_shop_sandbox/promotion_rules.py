"""Promotion rules: activity status by time, product/SKU deal checks, conflicts (17029xxx)."""

from decimal import Decimal, InvalidOperation

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.gate import ShopCall
from tiktok_shop_sandbox.promotion_clock import promotion_now, status_at
from tiktok_shop_sandbox.state import Activity, JsonDict
from tiktok_shop_sandbox.world import World


def _fail(code: int, message: str) -> PlatformError:
    return PlatformError(code, message)


def status_of(world: World, activity: Activity) -> str:
    """The activity's status on the promotion clock."""
    return status_at(activity, promotion_now(world, activity.shop_id))


def _check_limits(entry: JsonDict, variation: bool) -> None:
    for field, code in (("quantity_limit", 17029050), ("quantity_per_user", 17029014)):
        value = entry.get(field, -1)
        if variation and value != -1:
            raise _fail(
                17029015,
                "When `product_level==VARIATION`, the value of `quantity_limit` and "
                "`quantity_per_user` must be -1.",
            )
        if not isinstance(value, int) or not (value == -1 or 1 <= value <= 99):
            raise _fail(code, f"The value of `{field}` is out of range.")


def _check_deal(
    call: ShopCall, activity: Activity, entry: JsonDict, price: Decimal, sku: bool
) -> None:
    """DIRECT_DISCOUNT takes `discount` (percent); FIXED_PRICE/FLASHSALE take a price."""
    settings = call.sandbox.settings
    if activity.activity_type == "DIRECT_DISCOUNT":
        if entry.get("activity_price_amount") is not None:
            raise _fail(
                17029031 if sku else 17029029,
                "You are incorrectly specifying `activity_price_amount` instead of `discount`.",
            )
        discount = str(entry.get("discount") or "")
        if not discount.isdigit():
            raise _fail(
                17029043 if sku else 17029041,
                "You must specify `discount` when `activity_type==DIRECT_DISCOUNT`.",
            )
        _check_band(
            settings.promotion_min_discount_percent,
            settings.promotion_max_discount_percent,
            Decimal(discount),
            sku,
        )
        return
    if entry.get("discount") is not None:
        raise _fail(
            17029032 if sku else 17029030,
            "You are incorrectly specifying `discount` instead of `activity_price_amount`.",
        )
    try:
        amount = Decimal(str(entry.get("activity_price_amount")))
    except InvalidOperation as exc:
        raise _fail(
            17029044 if sku else 17029042, "You must specify `activity_price_amount`."
        ) from exc
    if not Decimal(0) < amount < price:
        raise _fail(17029034, "`activity_price_amount` is invalid.")
    # A deal price is a discount too: the same band holds (guide, "Configure Price Updates").
    _check_band(
        settings.promotion_min_discount_percent,
        settings.promotion_max_discount_percent,
        (price - amount) * 100 / price,
        sku,
    )


def _check_band(low: int, high: int, discount: Decimal, sku: bool) -> None:
    if discount > high:
        raise _fail(
            17029021 if sku else 17029020,
            "Discount exceeds limit. The limit varies based on product and region.",
        )
    if discount < low:
        raise _fail(
            17029063 if sku else 17029062,
            "Discount is below the limit. The limit varies based on product and region.",
        )


def check_product(call: ShopCall, activity: Activity, entry: JsonDict) -> None:
    product = call.sandbox.world.products.get(str(entry.get("id", "")))
    if product is None or product.shop_id != call.shop.id or product.status == "DELETED":
        raise _fail(17029017, "You are specifying products not in your shop.")
    skus = entry.get("skus") or []
    variation = activity.product_level == "VARIATION"
    _check_limits(entry, variation)
    if not variation:
        if skus:
            raise _fail(
                17029013, "`sku` must be `[]` for activities of which `product_level==PRODUCT`."
            )
        _check_deal(call, activity, entry, min(s.price for s in product.skus), sku=False)
        return
    if not skus:
        raise _fail(17029037, "`skus` is empty when `product_level==VARIATION`.")
    prices = {s.id: s.price for s in product.skus}
    for sku in skus:
        if str(sku.get("id")) not in prices:
            raise _fail(17029016, "Invalid SKU ID.")
        _check_limits(sku, variation)
        _check_deal(call, activity, sku, prices[str(sku["id"])], sku=True)


def check_conflicts(
    call: ShopCall, activity: Activity, product_ids: set[str], period: tuple[int, int] | None = None
) -> None:
    """A product is in one live (NOT_START or ONGOING) activity at a time: 17029022 when another
    live activity holding it runs during any part of `activity`'s period (or `period`, a
    change of it). Back-to-back periods (one ends when the next begins) do not overlap: a
    renewal can queue the next activity without a moment with no discount. Reading "at the same
    time" as overlapping periods rather than any two live ones is UNCONFIRMED (ADR 0530)."""
    begin, end = period or (activity.begin_time, activity.end_time)
    for other in call.sandbox.world.activities.values():
        if other.id == activity.id or other.shop_id != call.shop.id:
            continue
        if status_of(call.sandbox.world, other) not in {"ONGOING", "NOT_START"}:
            continue
        overlaps = other.begin_time < end and begin < other.end_time
        if overlaps and product_ids & set(other.products):
            raise _fail(
                17029022,
                "The product or SKU cannot be in two `ONGOING` or `NOT_START` activities at once.",
            )
