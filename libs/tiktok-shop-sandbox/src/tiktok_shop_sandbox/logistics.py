"""Seeded logistics of every shop: currency by region, warehouses, delivery options, carriers."""

from tiktok_shop_sandbox.ids import IdFactory
from tiktok_shop_sandbox.state import ShippingTemplate, Warehouse

_CURRENCIES = {
    "US": "USD",
    "GB": "GBP",
    "UK": "GBP",
    "DE": "EUR",
    "ES": "EUR",
    "FR": "EUR",
    "IE": "EUR",
    "IT": "EUR",
    "JP": "JPY",
    "BR": "BRL",
    "MX": "MXN",
    "ID": "IDR",
    "MY": "MYR",
    "TH": "THB",
    "VN": "VND",
    "PH": "PHP",
    "SG": "SGD",
}

DELIVERY_OPTION = {"id": "7091146663229654785", "name": "Standard Shipping", "type": "STANDARD"}
SHIPPING_PROVIDERS = [
    {"id": "6617675021119438849", "name": "USPS"},
    {"id": "6617675021119438850", "name": "UPS"},
    {"id": "6617675021119438851", "name": "FedEx"},
    {"id": "6617675021119438852", "name": "DHL eCommerce"},
]


def currency_of(region: str) -> str:
    """The currency a shop in `region` sells in."""
    return _CURRENCIES.get(region.upper(), "USD")


def default_warehouses(ids: IdFactory, sales_count: int) -> list[Warehouse]:
    """`sales_count` sales warehouses (the first is default) and one return warehouse."""
    sales = [
        Warehouse(ids.next(), f"Sales warehouse {n + 1}", is_default=n == 0)
        for n in range(max(1, sales_count))
    ]
    return [*sales, Warehouse(ids.next(), "Return warehouse", type="RETURN_WAREHOUSE")]


def default_shipping_templates(ids: IdFactory) -> list[ShippingTemplate]:
    """Every new shop's templates: a default and an express one it can use, and one TikTok
    lists as unusable (its service is banned for the seller), each with ids of this shop."""
    return [
        ShippingTemplate(ids.next(), "Standard shipping", is_default=True),
        ShippingTemplate(ids.next(), "Express shipping"),
        ShippingTemplate(
            ids.next(), "Bulky items", party=1, unreachable_reason="Ship by seller is banned"
        ),
    ]


def provider_ids() -> set[str]:
    """Ids of the carriers sellers may ship with."""
    return {p["id"] for p in SHIPPING_PROVIDERS}
