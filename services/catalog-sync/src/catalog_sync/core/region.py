"""Per-market listing limits (reference A6, A7)."""

_WIDE_TITLE = {"DE", "ES", "FR", "IE", "IT", "JP", "UK", "GB", "US"}
_LONG_TITLE = {"BR", "MX"}
_MANY_SKUS = {"BR", "DE", "ES", "FR", "IE", "IT", "JP", "MX", "UK", "GB", "US"}
_CURRENCIES = {
    "US": "USD", "GB": "GBP", "UK": "GBP", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR",
    "IE": "EUR", "MX": "MXN", "BR": "BRL", "JP": "JPY",
}  # fmt: skip
EU_REGIONS = frozenset({"DE", "FR", "ES", "IT", "IE"})


def title_limits(region: str) -> tuple[int, int]:
    """Allowed title length: 1-255 US/EU/JP/UK, 1-300 BR/MX, 25-255 elsewhere."""
    if region.upper() in _WIDE_TITLE:
        return 1, 255
    if region.upper() in _LONG_TITLE:
        return 1, 300
    return 25, 255


def sku_limit(region: str) -> int:
    """Most SKUs one product may have."""
    return 300 if region.upper() in _MANY_SKUS else 100


def currency_of(region: str) -> str:
    """The currency a TikTok shop in `region` sells in."""
    return _CURRENCIES.get(region.upper(), "USD")


def category_version(region: str) -> str:
    """US shops use the v2 (7-level) category tree, other regions v1."""
    return "v2" if region.upper() == "US" else "v1"
