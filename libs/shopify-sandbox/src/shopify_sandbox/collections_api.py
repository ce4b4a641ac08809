"""Custom collections: membership kept on the collection, read from either side."""

from __future__ import annotations

import re
from typing import Any

from shopify_sandbox.connections import connection
from shopify_sandbox.records import Collection, Product, now
from shopify_sandbox.resolving import Info, Resolvers, ctx
from shopify_sandbox.shop import Shop


def handle_of(title: str) -> str:
    """Shopify's default handle: the title lower-cased, runs of other characters as `-`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "collection"


def create_collection(shop: Shop, title: str, product_ids: list[str]) -> Collection:
    """A new custom collection holding `product_ids` (every id must be a product of the shop)."""
    collection = Collection(shop.new_gid("Collection"), title, handle_of(title))
    shop.collections[collection.id] = collection
    add_products(collection, product_ids)
    return collection


def add_products(collection: Collection, product_ids: list[str]) -> None:
    """Add products (already members stay where they are)."""
    collection.product_ids += [
        p for p in dict.fromkeys(product_ids) if p not in collection.product_ids
    ]
    collection.updated_at = now()


def remove_products(collection: Collection, product_ids: list[str]) -> None:
    """Take products out of the collection."""
    collection.product_ids = [p for p in collection.product_ids if p not in set(product_ids)]
    collection.updated_at = now()


def forget_product(shop: Shop, product_id: str) -> None:
    """A deleted product leaves every collection."""
    for collection in shop.collections.values():
        if product_id in collection.product_ids:
            remove_products(collection, [product_id])


def collections_of(shop: Shop, product: Product) -> list[Collection]:
    """The collections a product belongs to, oldest collection first."""
    return [c for c in shop.collections.values() if product.id in c.product_ids]


def _members(collection: Collection, info: Info, **args: Any) -> dict[str, Any]:
    products = ctx(info).shop.products
    found = [products[p] for p in collection.product_ids if p in products]
    return connection(found, info, args)


RESOLVERS: Resolvers = {
    ("QueryRoot", "collection"): lambda _, info, id: ctx(info).shop.collections.get(id),
    ("QueryRoot", "collections"): lambda _, info, **a: connection(
        list(ctx(info).shop.collections.values()), info, a
    ),
    ("Product", "collections"): lambda p, info, **a: connection(
        collections_of(ctx(info).shop, p), info, a
    ),
    ("Collection", "products"): _members,
    ("Collection", "productsCount"): lambda c, _: {"count": len(c.product_ids)},
    ("Collection", "hasProduct"): lambda c, _, id: id in c.product_ids,
}
