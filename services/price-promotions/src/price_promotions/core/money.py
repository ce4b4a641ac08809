"""Money of a TikTok market: its currency and how many decimals its prices carry (Decimal only)."""

from decimal import ROUND_HALF_UP, Decimal

# TikTok Update Price's currency list (reference products/update-price): one currency per market.
_CURRENCIES = {
    "US": "USD", "GB": "GBP", "UK": "GBP", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR",
    "IE": "EUR", "MX": "MXN", "BR": "BRL", "JP": "JPY", "ID": "IDR", "MY": "MYR", "PH": "PHP",
    "SG": "SGD", "TH": "THB", "VN": "VND",
}  # fmt: skip
# Currencies TikTok prices in whole units.
_WHOLE_UNITS = frozenset({"JPY", "IDR", "VND"})


def currency_of(region: str) -> str:
    """The currency a TikTok shop in `region` sells in (USD for an unknown market)."""
    return _CURRENCIES.get(region.upper(), "USD")


def minor_unit(currency: str) -> Decimal:
    """The smallest step of a price in `currency`: 1 for whole-unit currencies, else 0.01."""
    return Decimal(1) if currency in _WHOLE_UNITS else Decimal("0.01")


def to_money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-up to the currency's minor unit."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
