"""Categories, attributes, rules, brands, size charts, image and file uploads (reference A6)."""

import re
import struct

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from tiktok_shop_sandbox import product_files
from tiktok_shop_sandbox.catalog import BRANDS, CATEGORIES, Category, attributes_of, recommend
from tiktok_shop_sandbox.envelope import PlatformError, ok
from tiktok_shop_sandbox.gate import AppCallDep, ShopCall, ShopCallDep
from tiktok_shop_sandbox.paging import page, page_size_of
from tiktok_shop_sandbox.product_rules import check_category_version, expected_category_version
from tiktok_shop_sandbox.state import JsonDict, StoredFile
from tiktok_shop_sandbox.views import size_chart_view

router = APIRouter()
USE_CASES = {
    "MAIN_IMAGE",
    "ATTRIBUTE_IMAGE",
    "DESCRIPTION_IMAGE",
    "CERTIFICATION_IMAGE",
    "SIZE_CHART_IMAGE",
}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def _leaf(category_id: str, call: ShopCall) -> Category:
    category = CATEGORIES.get(category_id)
    if category is None:
        raise PlatformError(12052023, "Category does not exist")
    if not category.is_leaf or not category.in_tree(expected_category_version(call.shop.region)):
        raise PlatformError(
            12052230,
            "The specified category ID is not a leaf category, or it does not belong to the "
            "specified category version.",
        )
    return category


@router.get("/product/202309/categories")
async def categories(call: ShopCallDep) -> JSONResponse:
    """Get Categories (optionally filtered by keyword)."""
    check_category_version(call.shop, call.query.get("category_version"))
    keyword = call.query.get("keyword", "").lower()
    views = [
        {
            "id": c.id,
            "parent_id": c.parent_id,
            "local_name": c.name,
            "is_leaf": c.is_leaf,
            "permission_statuses": ["AVAILABLE"],
        }
        for c in CATEGORIES.values()
        if keyword in c.name.lower() and c.in_tree(expected_category_version(call.shop.region))
    ]
    return ok({"categories": views})


@router.post("/product/202309/categories/recommend")
async def recommend_category(call: ShopCallDep) -> JSONResponse:
    """Recommend Category from a product title."""
    body = call.json()
    check_category_version(call.shop, body.get("category_version"))
    title = str(body.get("product_title") or "")
    if not title:
        raise PlatformError(12052261, "product name is empty")
    leaf = recommend(title, expected_category_version(call.shop.region))
    if leaf is None:
        raise PlatformError(
            12019064, "No matching categories. Provide the full name of your product."
        )
    parent = CATEGORIES[leaf.parent_id]
    chain = [
        {"id": parent.id, "name": parent.name, "level": 1, "is_leaf": False},
        {"id": leaf.id, "name": leaf.name, "level": 2, "is_leaf": True},
    ]
    return ok({"leaf_category_id": leaf.id, "categories": chain})


@router.get("/product/202309/categories/{category_id}/attributes")
async def attributes(category_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Attributes (note the platform's `is_requried` spelling)."""
    check_category_version(call.shop, call.query.get("category_version"))
    views = [
        {
            "id": a.id,
            "name": a.name,
            "type": a.type,
            "is_requried": a.is_required,
            "values": [{"id": v, "name": n} for v, n in a.values],
            "is_customizable": a.is_customizable,
            "is_multiple_selection": False,
        }
        for a in attributes_of(_leaf(category_id, call))
    ]
    return ok({"attributes": views})


@router.get("/product/202309/categories/{category_id}/rules")
async def category_rules(category_id: str, call: ShopCallDep) -> JSONResponse:
    """Get Category Rules."""
    check_category_version(call.shop, call.query.get("category_version"))
    leaf = _leaf(category_id, call)
    return ok(
        {
            "product_certifications": [
                {"id": c.id, "name": c.name, "is_required": c.is_required}
                for c in leaf.certifications
            ],
            "size_chart": {"is_supported": True, "is_required": False},
            "cod": {"is_supported": False},
            "package_dimension": {"is_required": leaf.package_dimension_required},
            "epr": {"is_required": False},
            "responsible_person": {"is_required": False},
            "manufacturer": {"is_required": False},
        }
    )


@router.get("/product/202309/brands")
async def brands(call: ShopCallDep) -> JSONResponse:
    """Get Brands (seeded ones plus the seller's custom brands)."""
    size = page_size_of(call.query.get("page_size"), 1, 100, None)
    if call.query.get("category_id"):
        _leaf(call.query["category_id"], call)
    name = call.query.get("brand_name", "").lower()
    # Seeded unauthorized brands are T1 (refused on create); a seller's custom brand has no
    # trademark authorization but is not T1, so products may use it (reference: Get Brands).
    every = [(i, n, a, not a) for i, (n, a) in BRANDS.items()]
    every += [(i, n, False, False) for i, n in call.sandbox.world.brands.items()]
    views: list[JsonDict] = [
        {
            "id": i,
            "name": n,
            "authorized_status": "AUTHORIZED" if a else "UNAUTHORIZED",
            "brand_status": "AVAILABLE",
            "is_t1_brand": t1,
        }
        for i, n, a, t1 in every
        if name in n.lower()
    ]
    items, token = page(views, size, call.query.get("page_token"))
    return ok({"brands": items, "next_page_token": token, "total_count": len(views)})


@router.post("/product/202309/brands")
async def create_brand(call: AppCallDep) -> JSONResponse:
    """Create Custom Brand (2-30 chars, no 5+ consecutive digits, unique)."""
    name = str(call.json().get("name") or "")
    if len(name) < 2:
        raise PlatformError(12052189, "Brand names must be at least 2 characters.")
    if len(name) > 30:
        raise PlatformError(12052190, "Brand names must not be longer than 30 characters.")
    if re.search(r"\d{5,}", name):
        raise PlatformError(12052192, "The brand name can't contain 5 or more consecutive numbers.")
    existing = {n.lower() for n, _ in BRANDS.values()} | {
        n.lower() for n in call.sandbox.world.brands.values()
    }
    if name.lower() in existing:
        raise PlatformError(12052205, "This brand name already exists.")
    brand_id = call.sandbox.world.ids.next()
    call.sandbox.world.brands[brand_id] = name
    return ok({"id": brand_id})


async def _upload(request: Request) -> tuple[bytes, dict[str, str]]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise PlatformError(36009023, "The content-type must be multipart/form-data.", 400)
    form = await request.form()
    upload = form.get("data")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return content, fields


def png_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG image, if `content` is one."""
    if content[:8] != b"\x89PNG\r\n\x1a\n" or len(content) < 24:
        return None
    width, height = struct.unpack(">II", content[16:24])
    return int(width), int(height)


@router.post("/product/202309/images/upload")
async def upload_image(request: Request, call: AppCallDep) -> JSONResponse:
    """Upload Product Image (multipart `data`, `use_case`); main images need 300-4000 px."""
    content, fields = await _upload(request)
    use_case = fields.get("use_case", "MAIN_IMAGE")
    if not content or use_case not in USE_CASES:
        raise PlatformError(
            12038002, "Invalid upload file. Please ensure you are passing the correct file."
        )
    if len(content) > MAX_IMAGE_BYTES:
        raise PlatformError(12038005, "The file size exceeds the maximum allowed size.")
    width, height = png_size(content) or (800, 800)
    low, high = (300, 4000) if use_case == "MAIN_IMAGE" else (100, 20000)
    if not (low <= width <= high and low <= height <= high):
        raise PlatformError(
            12038014,
            f"The image dimensions exceed the allowed limits. Allowed dimensions: {low}-{high} px.",
        )
    uri = f"tos-maliva-i-sandbox-us/{call.sandbox.world.ids.next()}"
    call.sandbox.world.images[uri] = use_case
    url = f"https://p16-oec-va.ibyteimg.com/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"
    return ok({"uri": uri, "url": url, "width": width, "height": height, "use_case": use_case})


@router.post("/product/202309/files/upload")
async def upload_file(request: Request, call: AppCallDep) -> JSONResponse:
    """Upload Product File: PDF (<= 20 MB) or a video (<= 100 MB, 9:16 to 16:9)."""
    content, fields = await _upload(request)
    name = fields.get("name", "")
    file_format = product_files.file_format(name, content)
    width, height = 0, 0
    if file_format != "PDF":
        width, height = product_files.video_size(content) or (720, 720)
        product_files.check_aspect_ratio(width, height)
    file_id = f"v09e40f40000{call.sandbox.world.ids.next()}"
    stored = StoredFile(file_id, name, file_format, len(content), width, height)
    call.sandbox.world.files[file_id] = stored
    url = f"https://p-oec-va.ibyteimg.com/files/{file_id}"
    return ok({"id": file_id, "url": url, "name": name, "format": file_format})


@router.post("/product/202407/sizecharts/search")
async def search_size_charts(call: AppCallDep) -> JSONResponse:
    """Search Size Charts: the seller's templates, by ids (priority) or by name keyword."""
    size = page_size_of(call.query.get("page_size"), 1, 100, None)
    body = call.json()
    ids = [str(i) for i in body.get("ids") or []]
    if len(ids) > 50:
        raise PlatformError(36009004, "Invalid parameter: at most 50 ids.", 400)
    keyword = str(body.get("keyword") or "").lower()
    found = [
        t
        for t in call.sandbox.world.seller_size_charts(call.token.seller_id)
        if (t.id in ids if ids else keyword in t.name.lower())
    ]
    items, token = page(found, size, call.query.get("page_token"))
    return ok(
        {
            "size_chart": [size_chart_view(t) for t in items],
            "next_page_token": token,
            "total_count": len(found),
        }
    )
