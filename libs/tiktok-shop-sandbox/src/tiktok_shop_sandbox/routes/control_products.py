"""Control plane for a shop's catalog: products that are already live, seeded in bulk.

Test tooling, not a TikTok API: a benchmark of 10,000 linked products cannot wait for 10,000
Create Product calls and audits (about 4 a second on a loaded machine). Each body must still
pass every rule Create Product enforces; a seeded product skips only the review and its
webhooks, as a product listed in Seller Center before the connector was installed would.
"""

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.gate import sandbox_of
from tiktok_shop_sandbox.product_rules import validate_product
from tiktok_shop_sandbox.routes.products import skus_of, write_result
from tiktok_shop_sandbox.state import JsonDict, Product
from tiktok_shop_sandbox.world import now

router = APIRouter(prefix="/_sandbox")


class ProductSeed(BaseModel):
    """Create Product bodies (as the signed API takes them) to list at once."""

    products: list[JsonDict] = Field(min_length=1, max_length=20_000)


@router.post("/shops/{shop_id}/products")
async def seed_products(shop_id: str, body: ProductSeed, request: Request) -> JsonDict:
    """List the products live (ACTIVATE, audit APPROVED) with no webhooks; all or none: the
    first body breaking a rule is refused (422, its index, Create Product's code and message)
    and nothing is stored. Answers Create Product's result for each, in order."""
    sandbox = sandbox_of(request)
    world = sandbox.world
    shop = world.shop(shop_id)
    minimum = sandbox.settings.min_inventory_quantity
    # The shop's seller SKUs, kept here: validating each body against every product is n^2.
    taken = world.seller_skus(shop)
    made = []
    for index, entry in enumerate(body.products):
        try:
            validate_product(world, shop, entry, minimum, taken=taken)
        except PlatformError as refused:
            detail = f"product {index}: {refused.code} {refused.message}"
            raise HTTPException(422, detail) from refused
        at = now()
        product = Product(world.ids.next(), shop.id, entry, [], "ACTIVATE", "APPROVED", at, at)
        product.skus = skus_of(world, entry, [])
        taken.update(s.seller_sku for s in product.skus if s.seller_sku)
        made.append(product)
    for product in made:
        world.products[product.id] = product
    return {"products": [write_result(p) for p in made]}
