"""`World`: every record of the simulated platform, with the lookups the routes need."""

import time
from dataclasses import dataclass, field

from tiktok_shop_sandbox.envelope import PlatformError, invalid_credential
from tiktok_shop_sandbox.ids import IdFactory
from tiktok_shop_sandbox.state import (
    Activity,
    App,
    AuthCode,
    Cancellation,
    ImageOptimization,
    Order,
    Product,
    Return,
    Shop,
    SizeChartTemplate,
    StoredFile,
    Token,
)


def now() -> int:
    """Current Unix time in seconds."""
    return int(time.time())


@dataclass
class World:
    """All in-memory state; `reset()` empties it."""

    ids: IdFactory = field(default_factory=IdFactory)
    apps: dict[str, App] = field(default_factory=dict)
    shops: dict[str, Shop] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    auth_codes: dict[str, AuthCode] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    cancellations: dict[str, Cancellation] = field(default_factory=dict)
    returns: dict[str, Return] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    brands: dict[str, str] = field(default_factory=dict)  # custom brands: id -> name
    images: dict[str, str] = field(default_factory=dict)  # uri -> use_case
    files: dict[str, StoredFile] = field(default_factory=dict)
    # Optimized Images: original uri -> its optimization (`routes/optimization.py`).
    image_optimizations: dict[str, ImageOptimization] = field(default_factory=dict)
    size_charts: dict[str, SizeChartTemplate] = field(default_factory=dict)
    global_products: dict[str, dict[str, object]] = field(default_factory=dict)
    manufacturers: dict[str, dict[str, object]] = field(default_factory=dict)
    responsible_persons: dict[str, dict[str, object]] = field(default_factory=dict)
    invoices: list[dict[str, object]] = field(default_factory=list)
    # (package id, order id) -> PROCESSING / SUCCESS / FAILED (Brazil invoices, `invoices.py`)
    invoice_status: dict[tuple[str, str], str] = field(default_factory=dict)
    # Shops TikTok approved for Create Return (third-party returns apps such as Loop).
    return_api_shops: set[str] = field(default_factory=set)
    return_keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> return id
    # Shops whose product reviews wait for the control plane's verdict (no timed audit).
    audit_held_shops: set[str] = field(default_factory=set)
    # Seconds each shop's promotion clock runs ahead of the wall clock (`promotion_clock`).
    promotion_clock_offsets: dict[str, int] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget everything (ids keep counting so old ids never come back)."""
        ids = self.ids
        self.__init__()  # type: ignore[misc]
        self.ids = ids

    def shop_by_cipher(self, cipher: str) -> Shop | None:
        """The shop with this cipher, if any."""
        return next((s for s in self.shops.values() if s.cipher == cipher), None)

    def seller_shops(self, app_key: str, seller_id: str) -> list[Shop]:
        """Shops of a seller authorized to an app."""
        return [
            s
            for s in self.shops.values()
            if s.app_key == app_key and s.seller_id == seller_id and s.authorized
        ]

    def token_shops(self, token: Token) -> list[Shop]:
        """The authorized shops a token's grant covers."""
        shops = self.seller_shops(token.app_key, token.seller_id)
        return [s for s in shops if token.shop_ids is None or s.id in token.shop_ids]

    def shop(self, shop_id: str) -> Shop:
        """A shop by id, or a control-plane 404."""
        if shop_id not in self.shops:
            raise PlatformError(404, f"unknown shop {shop_id}", 404)
        return self.shops[shop_id]

    def access_token(self, value: str, app_key: str) -> Token:
        """The valid access token `value` for this app, or the platform's credential error."""
        token = self.tokens.get(value)
        if token is None or token.kind != "access" or token.app_key != app_key or token.revoked:
            raise invalid_credential("Invalid credentials. The 'x-tts-access-token' is invalid.")
        if token.expires_at <= now():
            raise PlatformError(105002, "Expired credentials. The access token has expired.", 401)
        return token

    def shop_order(self, shop: Shop, order_id: str) -> Order:
        """An order of this shop, or 21008111 like the platform."""
        order = self.orders.get(order_id)
        if order is None or order.shop_id != shop.id:
            raise PlatformError(
                21008111, "The order or package does not belong to the current seller."
            )
        return order

    def shop_product(self, shop: Shop, product_id: str) -> Product:
        """A live product of this shop, or 12052032 like the platform."""
        product = self.products.get(product_id)
        if product is None or product.shop_id != shop.id or product.status == "DELETED":
            raise PlatformError(12052032, "The product does not exist")
        return product

    def add_size_chart(self, shop: Shop, name: str) -> SizeChartTemplate:
        """A size chart template made by the shop's seller in Seller Center."""
        template_id = self.ids.next()
        uri = f"tos-maliva-i-sandbox-us/sizechart-{template_id}"
        self.images[uri] = "SIZE_CHART_IMAGE"
        template = SizeChartTemplate(template_id, shop.seller_id, name, uri)
        self.size_charts[template_id] = template
        return template

    def seller_size_charts(self, seller_id: str) -> list[SizeChartTemplate]:
        """The seller's size chart templates, oldest first."""
        return [t for t in self.size_charts.values() if t.seller_id == seller_id]

    def seller_skus(self, shop: Shop, excluding_product: str | None = None) -> set[str]:
        """Seller SKUs already used by the shop's live products."""
        return {
            sku.seller_sku
            for p in self.products.values()
            if p.shop_id == shop.id and p.status != "DELETED" and p.id != excluding_product
            for sku in p.skus
            if sku.seller_sku
        }
