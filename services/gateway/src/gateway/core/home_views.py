"""The Home dashboard as the API shows it: a period's counts, revenue and top sellers/buyers."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field


class ProductsBy(StrEnum):
    """How top products are ranked."""

    AMOUNT = "amount"
    COUNT = "count"


class ProductGroup(StrEnum):
    """What a top-products row is: a TikTok product, or one of its SKUs."""

    PRODUCT = "product"
    SKU = "sku"


class CustomersBy(StrEnum):
    """How top customers are ranked."""

    ORDERS = "orders"
    AMOUNT = "amount"


class Period(BaseModel):
    """Days (UTC) from `start` to `end`, both included; None is open-ended."""

    start: date | None = None
    end: date | None = None


class OrderCounts(BaseModel):
    """Orders of the period per tab (each a link to order-relay's list with that filter)."""

    fulfilled: int = 0
    unfulfilled: int = 0
    unsynced: int = 0
    cancelled: int = 0


class ProductCount(BaseModel):
    """Products of one sync status in the region, and where the merchant sees them."""

    count: int
    link: str = Field(description="The products list filtered to them (a gateway path).")


class ProductCounts(BaseModel):
    """The region's live products per sync status, now (products have no period)."""

    synced: ProductCount
    not_synced: ProductCount
    sync_failed: ProductCount
    update_failed: ProductCount


def product_counts(
    connection_id: str, region: str, live: int, counted: dict[str, int]
) -> ProductCounts:
    """Counts per status with their links; "not synced" is every live product not counted in
    another status in the region."""
    shown = {s: counted.get(s, 0) for s in ("synced", "sync_failed", "update_failed")}
    shown["not_synced"] = live - sum(shown.values())
    path = f"/api/v1/catalog/{connection_id}/products"
    return ProductCounts(
        **{
            status: ProductCount(count=n, link=f"{path}?region={region}&status={status}")
            for status, n in shown.items()
        }
    )


class CurrencyRevenue(BaseModel):
    """What the period sold in one currency (fulfilled and unfulfilled orders)."""

    currency: str
    amount: Decimal
    orders: int


class TopProduct(BaseModel):
    """A best seller: a TikTok product, or one SKU of it."""

    tiktok_product_id: str
    tiktok_sku_id: str | None = Field(description="Set when grouped by SKU.")
    name: str
    seller_sku: str | None = Field(description="Set when grouped by SKU.")
    quantity: int
    amount: Decimal


class TopCustomer(BaseModel):
    """A TikTok buyer: TikTok's id and the masked name TikTok shows, nothing more."""

    buyer_id: str
    masked_name: str | None
    orders: int
    amount: Decimal


class CurrencyTops(BaseModel):
    """Top products and customers in one currency (amounts are never converted)."""

    currency: str
    products: list[TopProduct]
    customers: list[TopCustomer]


class Home(BaseModel):
    """The Home dashboard of one connection and region for a period."""

    connection_id: str
    region: str
    period: Period
    products: ProductCounts
    orders: OrderCounts
    revenue: list[CurrencyRevenue]
    top: list[CurrencyTops] = Field(description="Top 10 products and customers per currency.")


def tops_by_currency(
    products: list[tuple[str, TopProduct]], customers: list[tuple[str, TopCustomer]]
) -> list[CurrencyTops]:
    """Group ranked rows by their currency, keeping their rank."""
    currencies = sorted({c for c, _ in products} | {c for c, _ in customers})
    return [
        CurrencyTops(
            currency=currency,
            products=[p for c, p in products if c == currency],
            customers=[b for c, b in customers if c == currency],
        )
        for currency in currencies
    ]


CSV_HEADER = ("tiktok_order_id", "shopify_order_name", "day", "status", "currency", "total")
