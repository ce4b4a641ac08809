"""Global products (cross-border) and EU compliance entities; none take shop_cipher (A1, A6)."""

import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.audit import schedule_audit
from tiktok_shop_sandbox.catalog import CATEGORIES
from tiktok_shop_sandbox.compliance_rules import check_manufacturer, check_responsible_person
from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import AppCall, AppCallDep
from tiktok_shop_sandbox.paging import page, page_size_of
from tiktok_shop_sandbox.state import JsonDict, Product, Sku
from tiktok_shop_sandbox.world import now

router = APIRouter()


def _check_global(call: AppCall, body: JsonDict) -> None:
    if not body.get("title"):
        raise PlatformError(12052261, "product name is empty")
    if not body.get("description"):
        raise PlatformError(12052015, "The product description is required")
    category = CATEGORIES.get(str(body.get("category_id", "")))
    if category is None:
        raise PlatformError(12052023, "Category does not exist")
    if not category.is_leaf:
        raise PlatformError(12052024, "Category is not final category")
    images = body.get("main_images") or []
    if not images or any(i.get("uri") not in call.sandbox.world.images for i in images):
        raise PlatformError(12052028, "Main product image is required")
    weight = body.get("package_weight") or {}
    if not weight.get("value"):
        raise PlatformError(12052016, "The parcel weight is required")
    # Global products only take metric units (reference A6).
    if weight.get("unit", "KILOGRAM") != "KILOGRAM":
        raise PlatformError(12019011, "product package weight is invalid: use KILOGRAM")
    if not body.get("skus"):
        raise PlatformError(12052036, "The SKU is necessary")


@router.post("/product/202309/global_products")
async def create_global_product(call: AppCallDep) -> JSONResponse:
    """Create Global Product."""
    body = call.json()
    _check_global(call, body)
    world = call.sandbox.world
    product_id = world.ids.next()
    skus = [
        {"id": world.ids.next(), "seller_sku": s.get("seller_sku", ""), "source": s}
        for s in body["skus"]
    ]
    world.global_products[product_id] = {
        "seller_id": call.token.seller_id,
        "app_key": call.app.key,
        "body": body,
        "skus": skus,
        "published": {},
    }
    views = [{"id": s["id"], "seller_sku": s["seller_sku"]} for s in skus]
    return ok({"global_product_id": product_id, "global_skus": views})


@router.put("/product/202309/global_products/{global_product_id}")
async def edit_global_product(global_product_id: str, call: AppCallDep) -> JSONResponse:
    """Edit Global Product: new content; a SKU keeps its id when its seller SKU stays."""
    record: dict[str, Any] | None = call.sandbox.world.global_products.get(global_product_id)
    if record is None or record["seller_id"] != call.token.seller_id:
        raise PlatformError(12019150, "The product ID does not exist.")
    body = call.json()
    _check_global(call, body)
    world = call.sandbox.world
    known = {s["seller_sku"]: s["id"] for s in record["skus"] if s["seller_sku"]}
    skus = [
        {
            "id": known.get(s.get("seller_sku", "")) or world.ids.next(),
            "seller_sku": s.get("seller_sku", ""),
            "source": s,
        }
        for s in body["skus"]
    ]
    record["body"], record["skus"] = body, skus
    # Every local product published from it takes the new content (guide: a global edit
    # overwrites what was edited locally); its SKUs, stock and prices stay the region's.
    for product_id in record["published"].values():
        if (product := world.products.get(product_id)) is not None:
            product.body = product.body | {k: v for k, v in body.items() if k != "skus"}
            product.update_time = now()
    views = [{"id": s["id"], "seller_sku": s["seller_sku"]} for s in skus]
    return ok({"global_product_id": global_product_id, "global_skus": views})


@router.get("/product/202309/global_products/{global_product_id}")
async def get_global_product(global_product_id: str, call: AppCallDep) -> JSONResponse:
    """Get Global Product: its content, global SKUs and the local products published from it."""
    record: dict[str, Any] | None = call.sandbox.world.global_products.get(global_product_id)
    if record is None or record["seller_id"] != call.token.seller_id:
        raise PlatformError(12052260, "The product ID does not exist")
    body = record["body"]
    return ok(
        {
            "id": global_product_id,
            "title": body.get("title", ""),
            "description": body.get("description", ""),
            "category": {"id": str(body.get("category_id", ""))},
            "skus": [{"id": s["id"], "seller_sku": s["seller_sku"]} for s in record["skus"]],
            "products": [
                {"region": region, "id": product_id}
                for region, product_id in record["published"].items()
            ],
        }
    )


def _publish_one(call: AppCall, record: dict[str, Any], target: JsonDict) -> JsonDict:
    region = str(target.get("region", "")).upper()
    shops = call.sandbox.world.seller_shops(call.app.key, call.token.seller_id)
    shop = next((s for s in shops if s.region == region), None)
    if shop is None:
        return {
            "region": region,
            "status": "FAILED",
            "fail_reasons": [{"message": "The publish region is inactive."}],
        }
    if region in record["published"]:
        raise PlatformError(12019212, "region already published")
    world = call.sandbox.world
    by_global = {str(s.get("related_global_sku_id")): s for s in target.get("skus") or []}
    skus = []
    for global_sku in record["skus"]:
        local = by_global.get(global_sku["id"], {})
        price = local.get("price") or {}
        stock = local.get("inventory") or {}
        skus.append(
            Sku(
                world.ids.next(),
                str(global_sku["seller_sku"]),
                Decimal(str(price.get("amount", "0"))),
                str(price.get("currency", shop.currency)),
                {
                    str(stock.get("warehouse_id", shop.warehouses[0].id)): int(
                        stock.get("quantity", 0)
                    )
                },
            )
        )
    product = Product(
        world.ids.next(), shop.id, dict(record["body"]), skus, "PENDING", "AUDITING", now(), now()
    )
    world.products[product.id] = product
    record["published"][region] = product.id
    schedule_audit(call.sandbox, product)
    return {"region": region, "status": "SUCCESS", "shop_id": shop.id, "product_id": product.id}


@router.post("/product/202309/global_products/{global_product_id}/publish")
async def publish_global_product(global_product_id: str, call: AppCallDep) -> JSONResponse:
    """Publish Global Product to markets where the seller has a shop."""
    record = call.sandbox.world.global_products.get(global_product_id)
    if record is None or record["seller_id"] != call.token.seller_id:
        raise PlatformError(12019150, "The product ID does not exist.")
    results = [_publish_one(call, record, t) for t in call.json().get("publish_target") or []]
    products = [
        {"region": r["region"], "shop_id": r["shop_id"], "id": r["product_id"]}
        for r in results
        if r["status"] == "SUCCESS"
    ]
    publish_result = [
        {k: v for k, v in r.items() if k in {"region", "status", "fail_reasons"}} for r in results
    ]
    return ok({"products": products, "publish_result": publish_result})


def _compliance_id() -> str:
    # Compliance entity ids are 24-hex strings in the platform's examples.
    return secrets.token_hex(12)


def _create_entity(call: AppCall, store: dict[str, dict[str, object]]) -> str:
    body = call.json()
    if not body.get("name") or not body.get("email"):
        raise PlatformError(38023025, "Invalid parameters: name and email are required.")
    entity_id = _compliance_id()
    store[entity_id] = {
        "id": entity_id,
        "seller_id": call.token.seller_id,
        "regional_profiles": [body],
    }
    return entity_id


@router.post("/product/202409/compliance/manufacturers")
async def create_manufacturer(call: AppCallDep) -> JSONResponse:
    """Create Manufacturer (EU GPSR)."""
    return ok({"manufacturer_id": _create_entity(call, call.sandbox.world.manufacturers)})


@router.post("/product/202409/compliance/responsible_persons")
async def create_responsible_person(call: AppCallDep) -> JSONResponse:
    """Create Responsible Person (EU GPSR)."""
    entity_id = _create_entity(call, call.sandbox.world.responsible_persons)
    return ok({"responsible_person_id": entity_id})


def _edit_entity(
    call: AppCall,
    store: dict[str, dict[str, object]],
    entity_id: str,
    check: Callable[[JsonDict], None],
) -> None:
    entity = store.get(entity_id)
    if entity is None:
        raise PlatformError(38023051, "Resource not found")
    if entity["seller_id"] != call.token.seller_id:
        raise PlatformError(38023052, "Seller is not authorised to access resource")
    body = call.json()
    check(body)
    # A partial edit replaces the fields it names and keeps the others.
    profiles = cast(list[JsonDict], entity["regional_profiles"])
    entity["regional_profiles"] = [profiles[0] | body, *profiles[1:]]


@router.post("/product/202409/compliance/manufacturers/{manufacturer_id}/partial_edit")
async def partial_edit_manufacturer(manufacturer_id: str, call: AppCallDep) -> JSONResponse:
    """Partial Edit Manufacturer."""
    manufacturers = call.sandbox.world.manufacturers
    _edit_entity(call, manufacturers, manufacturer_id, check_manufacturer)
    return ok({})


@router.post("/product/202409/compliance/responsible_persons/{responsible_person_id}/partial_edit")
async def partial_edit_responsible_person(
    responsible_person_id: str, call: AppCallDep
) -> JSONResponse:
    """Partial Edit Responsible Person."""
    persons = call.sandbox.world.responsible_persons
    _edit_entity(call, persons, responsible_person_id, check_responsible_person)
    return ok({})


def _search(
    call: AppCall, store: dict[str, dict[str, object]], ids_key: str
) -> tuple[list[JsonDict], str, int]:
    body = call.json()
    size = page_size_of(call.query.get("page_size"), 1, 100, 20)
    wanted = set(body.get(ids_key) or [])
    keyword = str(body.get("keyword") or "").lower()
    found = [
        {"id": e["id"], "regional_profiles": e["regional_profiles"]}
        for e in store.values()
        if e["seller_id"] == call.token.seller_id
        and (not wanted or e["id"] in wanted)
        and keyword in str(e["regional_profiles"]).lower()
    ]
    items, token = page(found, size, call.query.get("page_token"))
    return items, token, len(found)


@router.post("/product/202501/compliance/manufacturers/search")
async def search_manufacturers(call: AppCallDep) -> JSONResponse:
    """Search Manufacturers."""
    items, token, total = _search(call, call.sandbox.world.manufacturers, "manufacturer_ids")
    return ok({"manufacturers": items, "next_page_token": token, "total_count": total})


@router.post("/product/202501/compliance/responsible_persons/search")
async def search_responsible_persons(call: AppCallDep) -> JSONResponse:
    """Search Responsible Persons."""
    store = call.sandbox.world.responsible_persons
    items, token, total = _search(call, store, "responsible_person_ids")
    return ok({"responsible_persons": items, "next_page_token": token, "total_count": total})
