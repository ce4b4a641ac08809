"""Stock and price of existing products: Update Inventory, Update Price (reference A6)."""

from decimal import Decimal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.product_rules import MAX_QUANTITY
from tiktok_shop_sandbox.state import JsonDict, Product, Sku
from tiktok_shop_sandbox.world import now

router = APIRouter()


def _product_sku(call: ShopCall, product: Product, sku_id: str) -> Sku:
    sku = next((s for s in product.skus if s.id == sku_id), None)
    if sku is None:
        raise PlatformError(12052036, f"The SKU ID is necessary: unknown SKU {sku_id}.")
    return sku


@router.post("/product/202309/products/{product_id}/inventory/update")
async def update_inventory(product_id: str, call: ShopCallDep) -> JSONResponse:
    """Update Inventory: absolute quantities; every warehouse of the SKU must be listed."""
    product = call.sandbox.world.shop_product(call.shop, product_id)
    if product.status != "ACTIVATE":
        raise PlatformError(
            12052901, "The product in its current status is not available for this operation."
        )
    errors: list[JsonDict] = []
    for entry in call.json().get("skus") or []:
        sku = _product_sku(call, product, str(entry.get("id", "")))
        error = _apply_stock(call, sku, entry.get("inventory") or [])
        if error:
            errors.append(
                {
                    "code": 12052990,
                    "message": "Check failed",
                    "detail": {"sku_id": sku.id, "extra_errors": [error]},
                }
            )
    return ok({"errors": errors})


def _apply_stock(call: ShopCall, sku: Sku, inventory: list[JsonDict]) -> JsonDict | None:
    if len(sku.inventory) == 1 and len(inventory) == 1 and not inventory[0].get("warehouse_id"):
        inventory = [{"warehouse_id": next(iter(sku.inventory))} | inventory[0]]
    given = {str(i.get("warehouse_id")): i.get("quantity") for i in inventory}
    unknown = [w for w in given if w not in {x.id for x in call.shop.warehouses}]
    if unknown:
        return {
            "warehouse_id": unknown[0],
            "code": 12052097,
            "message": "The warehouse does not exist",
        }
    if set(given) != set(sku.inventory):
        raise PlatformError(
            12019028,
            "Multiple warehouses detected. Include all warehouse IDs and their quantities.",
        )
    low = call.sandbox.settings.min_inventory_quantity
    if any(not isinstance(q, int) or not low <= q <= MAX_QUANTITY for q in given.values()):
        raise PlatformError(
            12052055, "The SKU inventory quantity for the warehouse must be within allowed limits."
        )
    sku.inventory = {w: int(q) for w, q in given.items()}  # type: ignore[arg-type]
    return None


@router.post("/product/202309/inventory/search")
async def inventory_search(call: ShopCallDep) -> JSONResponse:
    """Inventory Search: by product ids (at most 100) or SKU ids (at most 600, they win)."""
    body = call.json()
    sku_ids = [str(i) for i in body.get("sku_ids") or []]
    product_ids = [str(i) for i in body.get("product_ids") or []]
    if len(sku_ids) > 600 or len(product_ids) > 100 or not (sku_ids or product_ids):
        raise PlatformError(12052002, "Pass 1..100 product_ids or 1..600 sku_ids.")
    world, found = call.sandbox.world, []
    for product in world.products.values():
        if product.shop_id != call.shop.id or product.status == "DELETED":
            continue
        skus = [s for s in product.skus if s.id in sku_ids] if sku_ids else product.skus
        if skus and (sku_ids or product.id in product_ids):
            found.append({"product_id": product.id, "skus": [_sku_inventory(s) for s in skus]})
    return ok({"inventory": found})


def _sku_inventory(sku: Sku) -> JsonDict:
    return {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "total_available_quantity": sum(sku.inventory.values()),
        "total_committed_quantity": 0,
        "warehouse_inventory": [
            {"warehouse_id": w, "available_quantity": q, "committed_quantity": 0}
            for w, q in sku.inventory.items()
        ],
    }


@router.post("/product/202309/products/{product_id}/prices/update")
async def update_price(product_id: str, call: ShopCallDep) -> JSONResponse:
    """Update Price of some SKUs (goes live immediately)."""
    product = call.sandbox.world.shop_product(call.shop, product_id)
    updates = []
    for entry in call.json().get("skus") or []:
        sku = _product_sku(call, product, str(entry.get("id", "")))
        price = entry.get("price") or {}
        amount = Decimal(str(price.get("amount", "0")))
        if amount <= 0:
            raise PlatformError(12052073, "The product price is invalid")
        if str(price.get("currency", "")).strip() != call.shop.currency:
            raise PlatformError(
                12052084, "The provided currency is not available for this shop/region."
            )
        list_price = entry.get("list_price")
        updates.append((sku, amount, Decimal(str(list_price["amount"])) if list_price else None))
    for sku, amount, list_amount in updates:
        sku.price = amount
        sku.list_price = list_amount if list_amount is not None else sku.list_price
    product.update_time = now()
    return ok({})
