"""A merchant for pricing tests: a Shopify store and a TikTok shop with tokens, its connection
as `connection.changed` would carry it, and Shopify products linked to real sandbox TikTok
products (so price updates and discount activities hit the sandbox's rules)."""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from connector_connections import SecretBox
from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    ProductPushed,
    SkuLink,
    new_envelope,
)
from tiktok_shop import TikTokShopClient
from tiktok_shop.models.products import SalesAttribute
from tiktok_shop_sandbox.control_client import ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product

from connector_devstack.infra import Infra
from connector_devstack.sandboxes import (
    SECRET_KEY,
    SHOPIFY_CLIENT_ID,
    TIKTOK_APP_KEY,
    TIKTOK_APP_SECRET,
    Merchant,
    Sandboxes,
)
from connector_devstack.topics import produce


@dataclass(frozen=True)
class LinkedProduct:
    """A Shopify product linked to a TikTok product: its first variant <-> SKU, and the rest."""

    shopify_product_id: str
    shopify_variant_id: str
    tiktok_product_id: str
    tiktok_sku_id: str
    more: tuple[tuple[str, str], ...] = ()  # further (Shopify variant, TikTok SKU) pairs

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every (Shopify variant, TikTok SKU) pair, first first."""
        return [(self.shopify_variant_id, self.tiktok_sku_id), *self.more]

    def pushed(self, sync_price: bool = True) -> ProductPushed:
        """The `product.pushed` catalog-sync would publish for it (`sync_price` False: its
        "Product price" rule is TikTok Shop)."""
        return ProductPushed(
            shopify_product_id=self.shopify_product_id,
            tiktok_product_id=self.tiktok_product_id,
            tiktok_status="ACTIVATE",
            created=True,
            skus=[SkuLink(shopify_variant_id=v, tiktok_sku_id=s) for v, s in self.pairs],
            sync_price=sync_price,
        )


@dataclass(frozen=True)
class PricingMerchant:
    """Both sandbox shops of a merchant and the connection the services replicate."""

    sandboxes: Sandboxes
    connection: ConnectionChanged
    tiktok: ShopHandle

    @property
    def shop_domain(self) -> str:
        """The Shopify store."""
        return self.connection.shopify_shop_domain

    @property
    def connection_id(self) -> str:
        """The merchant's connection."""
        return self.connection.connection_id

    def tiktok_client(self, **options: Any) -> TikTokShopClient:
        """A TikTok client for the shop (as the connector would call it)."""
        return client_for(self.sandboxes.tiktok_url, self.tiktok, **options)

    async def set_price(
        self, http: httpx.AsyncClient, variant_id: str, price: str, compare_at: str | None
    ) -> None:
        """The merchant changes a variant's prices in Shopify admin (products/update)."""
        (
            await http.post(
                f"{self._shopify}/prices",
                json={"variant_id": variant_id, "price": price, "compare_at_price": compare_at},
            )
        ).raise_for_status()

    async def create_collection(
        self, http: httpx.AsyncClient, title: str, product_ids: list[str]
    ) -> str:
        """The merchant makes a custom collection of `product_ids`; its gid."""
        body = {"title": title, "product_ids": product_ids}
        made = (await http.post(f"{self._shopify}/collections", json=body)).raise_for_status()
        return str(made.json()["id"])

    async def change_collection(
        self, http: httpx.AsyncClient, collection_id: str, add: list[str], remove: list[str]
    ) -> None:
        """The merchant edits the collection's products on its page (collections/update)."""
        body = {"collection_id": collection_id, "add": add, "remove": remove}
        url = f"{self._shopify}/collections/members"
        (await http.post(url, json=body)).raise_for_status()

    @property
    def _shopify(self) -> str:
        return f"{self.sandboxes.shopify_url}/_sandbox/shops/{self.shop_domain}"

    async def link_products(
        self, http: httpx.AsyncClient, count: int, price: str = "100.00", variants: int = 1
    ) -> list[LinkedProduct]:
        """`count` Shopify products (`variants` each at `price`, no compare-at) with live TikTok
        twins of as many SKUs, both catalogs seeded through the sandboxes' control planes in
        one call each (Create Product and its audit one at a time took 40 minutes for 10,000)."""
        seeded = (
            (
                await http.post(
                    f"{self._shopify}/seed",
                    json={
                        "products": count,
                        "variants_per_product": variants,
                        "compare_at_ratio": 0,
                        "duplicate_sku_ratio": 0,
                        "seed": random.randrange(10**6),
                    },
                )
            )
            .raise_for_status()
            .json()
        )
        listed = (await http.get(f"{self._shopify}/products", params={"limit": 200_000})).json()
        # The seeded products come last; the summary names only the first 1,000 of them.
        products = listed[len(listed) - count :]
        named = [p["admin_graphql_api_id"] for p in products[: len(seeded["product_ids"])]]
        if named != seeded["product_ids"]:
            raise RuntimeError("the Shopify sandbox did not list its products in seeding order")
        # Priced through the merchant's path (products/update): seeding the price instead made
        # inventory-guard's 192-variant sweep test read zeros (not yet understood).
        for product in products:
            for variant in product["variants"]:
                await self.set_price(http, variant["admin_graphql_api_id"], price, None)
        async with self.tiktok_client() as tiktok:
            image = (await tiktok.catalog.upload_image(sample_png())).uri
        prefixes = [f"P-{uuid.uuid4().hex[:10]}" for _ in products]
        bodies = [
            self._twin_body(image, prefix, len(p["variants"]))
            for prefix, p in zip(prefixes, products, strict=True)
        ]
        control = f"{self.sandboxes.tiktok_url}/_sandbox/shops/{self.tiktok.shop_id}/products"
        made = (await http.post(control, json={"products": bodies})).raise_for_status().json()
        return [
            _linked(product, prefix, twin)
            for product, prefix, twin in zip(products, prefixes, made["products"], strict=True)
        ]

    def _twin_body(self, image: str, prefix: str, variants: int) -> dict[str, Any]:
        """Create Product's body for a twin of `variants` SKUs (`{prefix}-{i}`)."""
        base = sample_product(image, self.tiktok.warehouse_id, prefix)
        skus = [
            base.skus[0].model_copy(
                update={
                    "seller_sku": f"{prefix}-{i}",
                    "sales_attributes": [SalesAttribute(name="Size", value_name=f"V{i}")]
                    if variants > 1
                    else [],
                }
            )
            for i in range(variants)
        ]
        return base.model_copy(update={"skus": skus}).to_body()


def _linked(product: dict[str, Any], prefix: str, twin: dict[str, Any]) -> LinkedProduct:
    """The link of a Shopify product's variants to its twin's SKUs, by seller SKU."""
    by_seller_sku = {s["seller_sku"]: str(s["id"]) for s in twin["skus"]}
    variants = [v["admin_graphql_api_id"] for v in product["variants"]]
    pairs = [(v, by_seller_sku[f"{prefix}-{i}"]) for i, v in enumerate(variants)]
    return LinkedProduct(
        shopify_product_id=str(product["admin_graphql_api_id"]),
        shopify_variant_id=pairs[0][0],
        tiktok_product_id=str(twin["product_id"]),
        tiktok_sku_id=pairs[0][1],
        more=tuple(pairs[1:]),
    )


async def new_pricing_merchant(
    http: httpx.AsyncClient, sandboxes: Sandboxes, region: str = "US"
) -> PricingMerchant:
    """Create both shops with tokens, and the active connection joining them."""
    domain, token = await _shopify_store(http, sandboxes)
    handle = await _tiktok_shop(http, sandboxes, region)
    box = SecretBox(SECRET_KEY)
    connection = ConnectionChanged(
        connection_id=str(uuid.uuid4()),
        revision=1,
        name="Pricing merchant",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain=domain,
        shopify_access_token=box.seal(token),
        tiktok_region=region,
        tiktok_shop_id=handle.shop_id,
        tiktok_shop_cipher=handle.cipher,
        tiktok_access_token=box.seal(handle.access_token),
        tiktok_access_token_expires_at=datetime(2099, 1, 1, tzinfo=UTC),
    )
    return PricingMerchant(sandboxes, connection, handle)


async def _shopify_store(http: httpx.AsyncClient, sandboxes: Sandboxes) -> tuple[str, str]:
    domain = f"pricing-{uuid.uuid4().hex[:8]}.myshopify.com"
    shops = f"{sandboxes.shopify_url}/_sandbox/shops"
    body = {"domain": domain, "currency": "USD", "locations": ["Main warehouse"]}
    (await http.post(shops, json=body)).raise_for_status()
    issued = await http.post(f"{shops}/{domain}/tokens", json={"client_id": SHOPIFY_CLIENT_ID})
    return domain, str(issued.raise_for_status().json()["access_token"])


async def _tiktok_shop(http: httpx.AsyncClient, sandboxes: Sandboxes, region: str) -> ShopHandle:
    body = {
        "app_key": TIKTOK_APP_KEY,
        "region": region,
        # Unique across sandbox processes sharing one database (19 digits).
        "shop_id": str(random.randrange(7 * 10**18, 8 * 10**18)),
    }
    created = await http.post(f"{sandboxes.tiktok_url}/_sandbox/shops", json=body)
    shop = created.raise_for_status().json()
    return ShopHandle(
        TIKTOK_APP_KEY,
        TIKTOK_APP_SECRET,
        shop["shop_id"],
        shop["cipher"],
        shop["tokens"]["access_token"],
        shop["tokens"]["refresh_token"],
        shop["warehouses"][0]["id"],
        shop["region"],
    )


async def connected_pricing_merchant(
    http: httpx.AsyncClient, sandboxes: Sandboxes, merchant: Merchant
) -> PricingMerchant:
    """A merchant the gateway connected (OAuth), with tokens of the test's own for TikTok."""
    tiktok = f"{sandboxes.tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}"
    shop = (await http.get(tiktok)).raise_for_status().json()
    tokens = (await http.post(f"{tiktok}/tokens", json={})).raise_for_status().json()
    handle = ShopHandle(
        TIKTOK_APP_KEY,
        TIKTOK_APP_SECRET,
        merchant.tiktok_shop_id,
        merchant.tiktok_shop_cipher,
        tokens["access_token"],
        tokens["refresh_token"],
        shop["warehouses"][0]["id"],
        merchant.region,
    )
    connection = ConnectionChanged(
        connection_id=merchant.connection_id,
        revision=1,
        name="connected by the gateway",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain=merchant.shopify_shop_domain,
        tiktok_region=merchant.region,
        tiktok_shop_id=merchant.tiktok_shop_id,
        tiktok_shop_cipher=merchant.tiktok_shop_cipher,
    )
    return PricingMerchant(sandboxes, connection, handle)


async def publish_pushed(
    infra: Infra, connection_id: str, product: LinkedProduct, sync_price: bool = True
) -> None:
    """Publish `product.pushed` as catalog-sync would, on the stack's topics."""
    pushed = product.pushed(sync_price)
    envelope = new_envelope(pushed, connection_id=connection_id)
    await produce(
        infra.broker.bootstrap_servers,
        f"{infra.prefix}product.pushed",
        envelope.model_dump_json().encode(),
        key=pushed.key().encode(),
    )
