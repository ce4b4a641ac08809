"""Products API: create, edit, read, search, status changes, stock, price (reference A6, A7)."""

from decimal import Decimal

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.audit import schedule_audit
from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import ShopCall, ShopCallDep
from tiktok_shop_sandbox.paging import in_window, page, page_size_of
from tiktok_shop_sandbox.product_rules import validate_product
from tiktok_shop_sandbox.state import JsonDict, Product, Sku
from tiktok_shop_sandbox.views import product_view
from tiktok_shop_sandbox.world import World, now

router = APIRouter()
MAX_IDS = 20


def skus_of(world: World, body: JsonDict, old: list[Sku]) -> list[Sku]:
    """SKUs of a product body; edits keep ids of SKUs matched by id or seller_sku."""
    by_id = {s.id: s for s in old}
    by_seller_sku = {s.seller_sku: s for s in old if s.seller_sku}
    skus = []
    for entry in body["skus"]:
        seller_sku = str(entry.get("seller_sku") or "")
        previous = by_id.get(str(entry.get("id", ""))) or by_seller_sku.get(seller_sku)
        price = entry["price"]
        skus.append(
            Sku(
                id=previous.id if previous else world.ids.next(),
                seller_sku=seller_sku,
                price=Decimal(str(price["amount"])),
                currency=str(price["currency"]).strip(),
                inventory={str(i["warehouse_id"]): int(i["quantity"]) for i in entry["inventory"]},
                external_sku_id=str(entry.get("external_sku_id") or ""),
                sales_attributes=list(entry.get("sales_attributes") or []),
            )
        )
    return skus


def write_result(product: Product) -> JsonDict:
    return {
        "product_id": product.id,
        "skus": [
            {
                "id": s.id,
                "seller_sku": s.seller_sku,
                "external_sku_id": s.external_sku_id,
                "sales_attributes": [
                    {"id": a.get("id", ""), "value_id": a.get("value_id", "")}
                    for a in s.sales_attributes
                ],
            }
            for s in product.skus
        ],
        "warnings": [],
    }


def _admit_draft(call: ShopCall, body: JsonDict, product: Product) -> None:
    if body.get("save_mode") == "AS_DRAFT":
        product.status, product.audit_status = "DRAFT", "NONE"
    else:
        schedule_audit(call.sandbox, product)


@router.post("/product/202309/products")
async def create_product(call: ShopCallDep) -> JSONResponse:
    """Create Product; an `idempotency_key` seen before returns the first result again."""
    body = call.json()
    world = call.sandbox.world
    key = body.get("idempotency_key")
    if key:
        for existing in world.products.values():
            if existing.shop_id == call.shop.id and existing.idempotency_key == key:
                return ok(write_result(existing))
    _default_warehouse(call, body)
    validate_product(world, call.shop, body, call.sandbox.settings.min_inventory_quantity)
    product = Product(
        world.ids.next(),
        call.shop.id,
        body,
        [],
        "PENDING",
        "AUDITING",
        now(),
        now(),
        idempotency_key=str(key) if key else None,
    )
    product.skus = skus_of(world, body, [])
    world.products[product.id] = product
    _admit_draft(call, body, product)
    return ok(write_result(product))


def _default_warehouse(call: ShopCall, body: JsonDict) -> None:
    """`warehouse_id` may be omitted when the shop has one sales warehouse (reference A6)."""
    sales = [w.id for w in call.shop.warehouses if w.type == "SALES_WAREHOUSE"]
    for sku in body.get("skus") or []:
        for entry in sku.get("inventory") or [] if isinstance(sku, dict) else []:
            if isinstance(entry, dict) and not entry.get("warehouse_id") and len(sales) == 1:
                entry["warehouse_id"] = sales[0]


def _check_kept_warehouses(product: Product, body: JsonDict) -> None:
    """An edited SKU names exactly the warehouses it has (reference: Edit Product 12052533)."""
    held = {s.id: set(s.inventory) for s in product.skus}
    for entry in body.get("skus") or []:
        if not isinstance(entry, dict) or str(entry.get("id", "")) not in held:
            continue
        named = {str(i.get("warehouse_id")) for i in entry.get("inventory") or []}
        if named != held[str(entry["id"])]:
            raise PlatformError(
                12052533,
                "Removal, addition, and change of warehouses are not permitted. Please specify "
                "the original warehouses for the SKUs.",
            )


def _edit(call: ShopCall, product: Product, body: JsonDict) -> JSONResponse:
    _default_warehouse(call, body)
    _check_kept_warehouses(product, body)
    min_quantity = call.sandbox.settings.min_inventory_quantity
    validate_product(call.sandbox.world, call.shop, body, min_quantity, product.id)
    product.body = body
    product.skus = skus_of(call.sandbox.world, body, product.skus)
    product.update_time = now()
    _admit_draft(call, body, product)
    # Edit and Partial Edit answer the audit status the edit left (Create answers none).
    return ok(write_result(product) | {"audit": {"status": product.audit_status}})


@router.put("/product/202309/products/{product_id}")
@router.put("/product/202509/products/{product_id}")
async def edit_product(product_id: str, call: ShopCallDep) -> JSONResponse:
    """Edit Product: full replace, re-audited."""
    product = call.sandbox.world.shop_product(call.shop, product_id)
    return _edit(call, product, call.json())


@router.post("/product/202309/products/{product_id}/partial_edit")
@router.post("/product/202509/products/{product_id}/partial_edit")
async def partial_edit(product_id: str, call: ShopCallDep) -> JSONResponse:
    """Partial Edit Product: given top-level fields replace the stored ones."""
    product = call.sandbox.world.shop_product(call.shop, product_id)
    return _edit(call, product, product.body | call.json())


@router.get("/product/202309/products/{product_id}")
async def get_product(product_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Product."""
    product = call.sandbox.world.shop_product(call.shop, product_id)
    return ok(product_view(product, call.shop.currency, call.sandbox.world.files))


def _search_matches(product: Product, body: JsonDict) -> bool:
    status = body.get("status", "ALL")
    if status not in ("ALL", None) and product.status != status:
        return False
    if status in ("ALL", None) and product.status == "DELETED":
        return False
    seller_skus = body.get("seller_skus") or []
    if seller_skus and not any(s.seller_sku in seller_skus for s in product.skus):
        return False
    sku_ids = body.get("sku_ids") or []
    if sku_ids and not any(s.id in sku_ids for s in product.skus):
        return False
    audit = body.get("audit_status") or []
    if audit and product.audit_status not in audit:
        return False
    return in_window(product.create_time, body, "create_time", "le") and in_window(
        product.update_time, body, "update_time", "le"
    )


@router.post("/product/202309/products/search")
@router.post("/product/202502/products/search")
async def search_products(call: ShopCallDep) -> JSONResponse:
    """Search Products."""
    body = call.json()
    if len(body.get("seller_skus") or []) > 1:
        raise PlatformError(
            12019027, "The maximum count of “seller_skus” in the search filter is 1"
        )
    if len(body.get("sku_ids") or []) > 10:
        raise PlatformError(12019087, "The number of SKU IDs exceeds the limit of 10")
    size = page_size_of(call.query.get("page_size"), 1, 100, None)
    found = [
        p
        for p in call.sandbox.world.products.values()
        if p.shop_id == call.shop.id and _search_matches(p, body)
    ]
    found.sort(key=lambda p: (p.create_time, p.id), reverse=True)
    items, token = page(found, size, call.query.get("page_token"))
    views = [product_view(p, call.shop.currency, call.sandbox.world.files) for p in items]
    return ok({"products": views, "next_page_token": token, "total_count": len(found)})


def _ids(call: ShopCall) -> list[str]:
    ids = [str(i) for i in call.json().get("product_ids") or []]
    if not ids:
        raise PlatformError(12052910, "Invalid input parameters: product_ids is required.")
    if len(ids) > MAX_IDS:
        raise PlatformError(12019120, "The number of provided product IDs exceeds the limit.")
    return ids


def _set_status(call: ShopCall, allowed: set[str], status: str) -> JSONResponse:
    """Apply a status change per product; failures are reported per product in `errors`."""
    errors = []
    for product_id in _ids(call):
        product = call.sandbox.world.products.get(product_id)
        if product is None or product.shop_id != call.shop.id:
            errors.append(
                _item_error(product_id, 12052048, "You can't edit other sellers' products.")
            )
        elif product.status not in allowed:
            errors.append(
                _item_error(
                    product_id,
                    12052901,
                    "The product in its current status is not available for this operation.",
                )
            )
        else:
            product.status, product.update_time = status, now()
            call.sandbox.notify(
                call.shop,
                5,
                {
                    "product_id": int(product.id),
                    "status": "PRODUCT_STATUS_CHANGED",
                    "update_time": product.update_time,
                },
            )
    return ok({"errors": errors})


def _item_error(product_id: str, code: int, message: str) -> JsonDict:
    return {"code": code, "message": message, "detail": {"product_id": product_id}}


@router.post("/product/202309/products/activate")
async def activate(call: ShopCallDep) -> JSONResponse:
    """Activate Product (up to 20)."""
    return _set_status(call, {"SELLER_DEACTIVATED", "ACTIVATE"}, "ACTIVATE")


@router.post("/product/202309/products/deactivate")
async def deactivate(call: ShopCallDep) -> JSONResponse:
    """Deactivate Products (up to 20)."""
    return _set_status(call, {"ACTIVATE", "SELLER_DEACTIVATED"}, "SELLER_DEACTIVATED")


@router.delete("/product/202309/products")
async def delete(call: ShopCallDep) -> JSONResponse:
    """Delete Products (up to 20)."""
    live = {"DRAFT", "PENDING", "FAILED", "ACTIVATE", "SELLER_DEACTIVATED", "DELETED"}
    return _set_status(call, live, "DELETED")


@router.post("/product/202309/products/recover")
async def recover(call: ShopCallDep) -> JSONResponse:
    """Recover deleted products."""
    return _set_status(call, {"DELETED"}, "SELLER_DEACTIVATED")


@router.post("/product/202309/products/listing_check")
async def listing_check(call: ShopCallDep) -> JSONResponse:
    """Check Product Listing: run the create validation without creating anything."""
    body = call.json()
    _default_warehouse(call, body)
    try:
        validate_product(
            call.sandbox.world, call.shop, body, call.sandbox.settings.min_inventory_quantity
        )
    except PlatformError as error:
        return ok(
            {
                "check_result": "FAILED",
                "fail_reasons": [{"code": error.code, "message": error.message}],
            }
        )
    return ok({"check_result": "PASSED", "fail_reasons": []})


@router.get("/product/202312/prerequisites")
@router.get("/product/202309/prerequisites")
async def prerequisites(call: ShopCallDep) -> JSONResponse:
    """Check Listing Prerequisites: the seeded shop passes every check."""
    items = ["SHOP_STATUS", "PICKUP_WAREHOUSE", "RETURN_WAREHOUSE", "DELIVERY_OPTION"]
    return ok(
        {
            "check_results": [
                {"check_item": i, "is_failed": False, "fail_reasons": []} for i in items
            ]
        }
    )
