"""Product reads: one product, paged product lists, product types."""

from __future__ import annotations

from collections.abc import AsyncIterator

from shopify.models import Product, ProductPrices
from shopify.pagination import connection_nodes, paginate
from shopify.session import GraphQLSession

MAX_PRICE_COLLECTIONS = 100
PRODUCT_FIELDS = """
id title handle descriptionHtml vendor productType status tags createdAt updatedAt
category { id name fullName }
options { id name position optionValues { name } }
"""
INVENTORY_ITEM_FIELDS = "id sku tracked requiresShipping"
LEVEL_FIELDS = 'id location { id } quantities(names: ["available"]) { name quantity }'
VARIANT_FIELDS = f"""
id title sku barcode price compareAtPrice position inventoryPolicy inventoryQuantity
selectedOptions {{ name value }}
inventoryItem {{ {INVENTORY_ITEM_FIELDS} }}
"""
METAFIELD_FIELDS = "id namespace key type value"
# A single product read takes this many metafields (the bulk pull takes all of them).
MAX_PRODUCT_METAFIELDS = 50
MEDIA_FIELDS = """
id alt mediaContentType
... on MediaImage { image { url } }
... on Video { filename sources { url mimeType format height width fileSize } }
"""

PRODUCT_QUERY = f"""
query product($id: ID!) {{
  product(id: $id) {{
    {PRODUCT_FIELDS}
    variants(first: 250) {{ nodes {{ {VARIANT_FIELDS} }} }}
    media(first: 20) {{ nodes {{ {MEDIA_FIELDS} }} }}
    metafields(first: {MAX_PRODUCT_METAFIELDS}) {{ nodes {{ {METAFIELD_FIELDS} }} }}
  }}
}}
"""

PRODUCTS_QUERY = f"""
query products($first: Int!, $after: String, $query: String, $variants: Int!) {{
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      {PRODUCT_FIELDS}
      variants(first: $variants) {{ nodes {{ {VARIANT_FIELDS} }} }}
      media(first: 5) {{ nodes {{ {MEDIA_FIELDS} }} }}
    }}
  }}
}}
"""

# Prices only: a fraction of the full product read's query cost, for frequent price syncs.
# Collections (ids only) let collection price rules match; 100 keeps the requested cost near
# 355 points (connections are charged for `first`, refunded down to what came back).
PRODUCT_PRICES_QUERY = f"""
query productPrices($id: ID!) {{
  product(id: $id) {{
    id tags
    variants(first: 250) {{ nodes {{ id price compareAtPrice }} }}
    collections(first: {MAX_PRICE_COLLECTIONS}) {{ nodes {{ id }} }}
  }}
}}
"""

PRODUCT_TYPES_QUERY = """
query productTypes { productTypes(first: 250) { edges { node } } }
"""


class Products:
    """Product reads for one shop; use `BulkOperations.pull_products` for whole catalogs."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def get(self, product_id: str) -> Product | None:
        """One product with up to 250 variants and its first 50 metafields, or None when it
        doesn't exist."""
        data = await self._session.execute(PRODUCT_QUERY, {"id": product_id}, operation="product")
        node = data.get("product")
        return Product.model_validate(node) if node else None

    async def prices(self, product_id: str) -> ProductPrices | None:
        """A product's tags, collections (the first `MAX_PRICE_COLLECTIONS`) and variant
        prices, or None when it doesn't exist."""
        data = await self._session.execute(
            PRODUCT_PRICES_QUERY, {"id": product_id}, operation="productPrices"
        )
        node = data.get("product")
        return ProductPrices.model_validate(node) if node else None

    async def search(
        self, *, query: str | None = None, page_size: int = 5, variants_per_product: int = 50
    ) -> AsyncIterator[Product]:
        """Every product matching the search `query`, oldest update first (without
        metafields: they would cost every page more; `get` and the bulk pull read them).

        A page requests about 2 + page_size * (3 * variants + 20) points and a query may not
        exceed 1000, so keep pages small; use the bulk pull for whole catalogs.
        """
        async for node in paginate(
            self._session,
            PRODUCTS_QUERY,
            operation="products",
            path=("products",),
            variables={"query": query, "variants": variants_per_product},
            page_size=page_size,
        ):
            yield Product.model_validate(node)

    async def product_types(self) -> list[str]:
        """The product types in use in the shop (the connector's "category in Shopify")."""
        data = await self._session.execute(PRODUCT_TYPES_QUERY, operation="productTypes")
        return [str(n) for n in connection_nodes(data.get("productTypes") or {})]
