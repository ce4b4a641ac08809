"""A seeded Shopify catalog linked to TikTok SKUs, so TikTok orders for it can be relayed.

Tests and benchmarks of the order relay need Shopify variants with stock and the
`product.pushed` links catalog-sync would publish; this seeds the Shopify sandbox, publishes
the links and waits until order-relay has stored them.
"""

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from connector_contracts import ProductPushed, SkuLink, new_envelope

from connector_devstack.infra import Infra
from connector_devstack.sandboxes import Merchant
from connector_devstack.topics import produce


@dataclass(frozen=True)
class LinkedVariant:
    """A Shopify variant linked to a TikTok SKU."""

    variant_id: str
    inventory_item_id: str
    sku: str
    price: str
    tiktok_sku_id: str


@dataclass(frozen=True)
class LinkedCatalog:
    """The linked variants and the Shopify shop's first location."""

    variants: list[LinkedVariant]
    location_id: str


def seed_linked_catalog(
    infra: Infra,
    shopify_url: str,
    merchant: Merchant,
    *,
    variants: int,
    stock: int,
    seed: int | None = None,
    timeout: float = 60,
) -> LinkedCatalog:
    """Seed one product of `variants` variants with `stock` units each and link it."""
    rng = random.Random(seed)
    product, location = _seed_product(
        shopify_url, merchant, variants=variants, stock=stock, seed=rng.randrange(10**6)
    )
    linked = [
        LinkedVariant(
            variant_id=v["admin_graphql_api_id"],
            inventory_item_id=f"gid://shopify/InventoryItem/{v['inventory_item_id']}",
            sku=v["sku"] or f"SKU-{i}",
            price=v["price"],
            tiktok_sku_id=str(rng.randrange(10**18, 10**19)),
        )
        for i, v in enumerate(product["variants"])
    ]
    pushed = ProductPushed(
        shopify_product_id=product["admin_graphql_api_id"],
        tiktok_product_id=str(rng.randrange(10**18, 10**19)),
        tiktok_status="ACTIVATE",
        created=True,
        skus=[
            SkuLink(
                shopify_variant_id=v.variant_id,
                shopify_inventory_item_id=v.inventory_item_id,
                tiktok_sku_id=v.tiktok_sku_id,
                seller_sku=v.sku,
            )
            for v in linked
        ],
    )
    _publish(infra, merchant, pushed)
    _wait_for_links(infra, merchant.connection_id, len(linked), timeout)
    return LinkedCatalog(linked, location)


def _seed_product(
    shopify_url: str, merchant: Merchant, *, variants: int, stock: int, seed: int
) -> tuple[dict[str, Any], str]:
    """Seed one product in the merchant's Shopify store; returns it and the first location."""
    shop = f"{shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    with httpx.Client(timeout=30) as http:
        http.post(
            f"{shop}/seed",
            json={
                "products": 1,
                "variants_per_product": variants,
                "stock_min": stock,
                "stock_max": stock,
                "duplicate_sku_ratio": 0,
                "missing_barcode_ratio": 0,
                "seed": seed,
            },
        ).raise_for_status()
        product: dict[str, Any] = http.get(f"{shop}/products").raise_for_status().json()[0]
        location: str = http.get(shop).raise_for_status().json()["locations"][0]["id"]
    return product, location


def _publish(infra: Infra, merchant: Merchant, pushed: ProductPushed) -> None:
    """Publish `product.pushed` as catalog-sync would."""
    envelope = new_envelope(pushed, connection_id=merchant.connection_id)
    asyncio.run(
        produce(
            infra.broker.bootstrap_servers,
            f"{infra.prefix}product.pushed",
            envelope.model_dump_json().encode(),
            key=pushed.key().encode(),
        )
    )


def _wait_for_links(infra: Infra, connection_id: str, want: int, timeout: float) -> None:
    """Block until order-relay has stored `want` SKU links of the connection."""
    deadline = time.monotonic() + timeout
    while (stored := asyncio.run(_links(infra, connection_id))) < want:
        if time.monotonic() > deadline:
            raise TimeoutError(f"order-relay stored {stored} of {want} SKU links")
        time.sleep(0.2)


async def _links(infra: Infra, connection_id: str) -> int:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM order_relay.sku_links WHERE connection_id = $1", connection_id
            )
        )
    except asyncpg.UndefinedTableError:
        return 0  # order-relay has not migrated yet
    finally:
        await conn.close()
