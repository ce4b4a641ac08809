"""Create/Edit Product validation with the platform's codes and words (reference A7, specs).

`validate_product` raises the first failure, like the platform, and returns the resolved category.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from tiktok_shop_sandbox.catalog import ATTRIBUTES, BRANDS, CATEGORIES, Category
from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.state import JsonDict, Shop
from tiktok_shop_sandbox.world import World

_WIDE_TITLE = {"DE", "ES", "FR", "IE", "IT", "JP", "UK", "GB", "US"}
_LONG_TITLE = {"BR", "MX"}
_MANY_SKUS = {"BR", "DE", "ES", "FR", "IE", "IT", "JP", "MX", "UK", "GB", "US"}
_WEIGHT_UNITS = {"US": {"KILOGRAM", "POUND"}, "BR": {"KILOGRAM", "GRAM"}}
_WEIGHT_UNITS |= {"JP": {"KILOGRAM", "GRAM"}, "MX": {"KILOGRAM", "GRAM"}}
MAX_QUANTITY = 99_999


def _fail(code: int, message: str) -> PlatformError:
    return PlatformError(code, message)


def title_limits(region: str) -> tuple[int, int]:
    """Allowed title length for a shop region."""
    if region in _WIDE_TITLE:
        return 1, 255
    if region in _LONG_TITLE:
        return 1, 300
    return 25, 255


def sku_limit(region: str) -> int:
    """Maximum SKUs per product for a shop region."""
    return 300 if region in _MANY_SKUS else 100


def expected_category_version(region: str) -> str:
    """US shops use the v2 (7-level) tree, other regions v1 (reference A6)."""
    return "v2" if region == "US" else "v1"


def check_category_version(shop: Shop, given: object) -> None:
    """Reject the wrong category tree for the shop's region (12052217)."""
    if (given or "v1") != expected_category_version(shop.region):
        raise _fail(
            12052217,
            "Incorrect category version. For US shops or global sellers with an active US shop, "
            "specify 'category version=v2'. For shops in other regions specify "
            "'category_version=v1'.",
        )


def validate_product(
    world: World,
    shop: Shop,
    body: JsonDict,
    min_quantity: int,
    product_id: str | None = None,
    taken: set[str] | None = None,
) -> Category:
    """Raise the first rule the product breaks; return its (leaf) category. `taken`: the shop's
    seller SKUs in use, when the caller keeps them (a bulk seed; scanning per product is
    quadratic)."""
    check_category_version(shop, body.get("category_version"))
    _check_text(shop, body)
    category = _check_category(body.get("category_id"), expected_category_version(shop.region))
    _check_images(world, body.get("main_images"))
    _check_brand(world, category, body.get("brand_id"))
    _check_attributes(category, body.get("product_attributes") or [])
    _check_certifications(world, category, body.get("certifications") or [])
    _check_size_chart(world, shop, body.get("size_chart"))
    _check_video(world, body.get("video"))
    _check_shipping_template(shop, body.get("shipping_template_id"))
    weight_unit = _check_weight(shop, body.get("package_weight"))
    _check_dimensions(shop, category, body.get("package_dimensions"), weight_unit)
    _check_skus(world, shop, body.get("skus"), min_quantity, product_id, taken)
    return category


def _check_text(shop: Shop, body: JsonDict) -> None:
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _fail(12052261, "product name is empty")
    low, high = title_limits(shop.region)
    if not low <= len(title) <= high:
        raise _fail(
            12052051,
            f"The product name exceed max limit characters: the title must be {low}-{high} "
            f"characters in {shop.region}.",
        )
    description = body.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(12052015, "The product description is required")
    if len(description) > 10_000:
        raise _fail(12052013, "The product description cannot exceed maximum characters")
    if description.lower().count("<img") > 30:
        raise _fail(12052056, "The num of image in description cannot exceed max limit")


def _check_category(category_id: object, version: str) -> Category:
    category = CATEGORIES.get(str(category_id or ""))
    if category is None:
        raise _fail(12052023, "Category does not exist")
    if not category.is_leaf:
        raise _fail(12052024, "Category is not final category")
    if not category.in_tree(version):  # e.g. a GB (v1) leaf in a US (v2) shop's product
        raise _fail(
            12052230,
            "The specified category ID is not a leaf category, or it does not belong to the "
            "specified category version.",
        )
    return category


def _check_images(world: World, images: object) -> None:
    if not isinstance(images, list) or not images:
        raise _fail(12052028, "Main product image is required")
    if len(images) > 9:
        raise _fail(12052306, "main product images count exceed limit")
    for image in images:
        uri = image.get("uri") if isinstance(image, dict) else None
        if not isinstance(uri, str) or uri not in world.images:
            raise _fail(12052300, f"product main image uri illegal: {uri}")


def _check_brand(world: World, category: Category, brand_id: object) -> None:
    if not brand_id:
        if category.brand_required:
            raise _fail(12052208, "A brand authorization is required to publish this listing.")
        return
    brand = BRANDS.get(str(brand_id))
    if brand is None and str(brand_id) not in world.brands:
        raise _fail(12052026, "Brand does not exist")
    if brand is not None and not brand[1]:
        raise _fail(
            12052201,
            "You are not authorized to sell this brand in this category. To do so, apply "
            "through the Qualification Center in Seller Center.",
        )


def _check_attributes(category: Category, given: list[Any]) -> None:
    by_id = {str(a.get("id")): a for a in given if isinstance(a, dict)}
    for attribute_id in category.required_attributes:
        values = by_id.get(attribute_id, {}).get("values")
        if not values:
            name = ATTRIBUTES[attribute_id].name
            raise _fail(12052104, f"property is required: the attribute '{name}' is required.")
    for attribute_id, entry in by_id.items():
        attribute = ATTRIBUTES.get(attribute_id)
        if attribute is None:
            raise _fail(12052529, f"The property value id not exist: attribute {attribute_id}")
        known = {v for v, _ in attribute.values}
        for value in entry.get("values") or []:
            value_id = value.get("id") if isinstance(value, dict) else None
            if value_id and str(value_id) not in known:
                raise _fail(12052529, f"The property value id not exist: {value_id}")
            if not value_id and not attribute.is_customizable:
                raise _fail(12052247, "Do not support custom product attribute.")


def _check_certifications(world: World, category: Category, given: list[Any]) -> None:
    """A certification is given by images and / or PDF files (each file: an uploaded file's
    id, its name and format PDF, reference A7 `certifications.files`)."""
    documents = [c for c in given if isinstance(c, dict)]
    for file in (f for c in documents for f in c.get("files") or []):
        stored = world.files.get(str(file.get("id", ""))) if isinstance(file, dict) else None
        if stored is None or stored.format != "PDF":
            raise _fail(12052106, f"The certification file is invalid: {file}")
        if not file.get("name") or file.get("format") != "PDF":
            raise _fail(12052106, "A certification file needs its name and format (PDF).")
    present = {str(c.get("id")) for c in documents if c.get("images") or c.get("files")}
    for certification in category.certifications:
        if certification.is_required and certification.id not in present:
            raise _fail(
                12052105,
                f"required qualification miss: '{certification.name}' is required for "
                f"this category.",
            )


def _check_size_chart(world: World, shop: Shop, chart: object) -> None:
    """An uploaded SIZE_CHART_IMAGE uri and / or one of the seller's templates."""
    if chart is None:
        return
    image = chart.get("image") if isinstance(chart, dict) else None
    template = chart.get("template") if isinstance(chart, dict) else None
    if not isinstance(image, dict) and not isinstance(template, dict):
        raise _fail(12052673, "Product sizechart  image is required")
    if isinstance(image, dict) and world.images.get(str(image.get("uri"))) != "SIZE_CHART_IMAGE":
        raise _fail(
            12052670,
            "The size chart image URI is invalid. Note: API users must use the URI generated by "
            "the Upload Product Image API.",
        )
    if isinstance(template, dict):
        found = world.size_charts.get(str(template.get("id")))
        if found is None or found.seller_id != shop.seller_id:
            raise _fail(12052128, "Size chart not found")


def _check_video(world: World, video: object) -> None:
    """`video.id` must be a video uploaded with Upload Product File (not a PDF)."""
    if video is None:
        return
    found = world.files.get(str(video.get("id"))) if isinstance(video, dict) else None
    if found is None or not found.is_video:
        raise _fail(12052360, "The video id is not exist.")


def _check_shipping_template(shop: Shop, template_id: object) -> None:
    """`shipping_template_id` must be a usable template of this very shop."""
    if template_id is None:
        return
    if not shop.shipping_templates:
        raise _fail(12052402, "seller shipping template is empty")
    found = next((t for t in shop.shipping_templates if t.id == str(template_id)), None)
    # The reference lists no code for a template of another shop or an unusable one: the
    # sandbox answers 12052406 with TikTok's listing reason, so a client must read the message.
    if found is None:
        raise _fail(
            12052406, f"The shipping template '{template_id}' does not belong to this shop."
        )
    if found.unreachable_reason:
        raise _fail(
            12052406,
            f"The shipping template '{found.name}' is unavailable: {found.unreachable_reason}",
        )


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _check_weight(shop: Shop, weight: object) -> str:
    if not isinstance(weight, dict) or _decimal(weight.get("value")) is None:
        raise _fail(12019011, "product package weight is invalid")
    value = _decimal(weight["value"])
    if value is not None and value <= 0:
        raise _fail(12052181, "The package weight of the product can not be zero.")
    unit = str(weight.get("unit") or "KILOGRAM")
    allowed = _WEIGHT_UNITS.get(shop.region, {"KILOGRAM"})
    if unit == "POUND" and shop.region != "US":
        raise _fail(
            12019061,
            "Product weight or dimensions unit does not support the imperial units on non-US "
            "local products.",
        )
    if unit not in allowed:
        raise _fail(12019011, f"product package weight is invalid: unit {unit}")
    return unit


def _check_dimensions(shop: Shop, category: Category, dims: object, weight_unit: str) -> None:
    if dims is None:
        if category.package_dimension_required:
            raise _fail(
                12052116, "product package size is invalid: package_dimensions is required."
            )
        return
    if not isinstance(dims, dict):
        raise _fail(12019012, "product package size is invalid")
    codes = {"length": 12052005, "width": 12052004, "height": 12052003}
    for name, code in codes.items():
        text = str(dims.get(name, ""))
        if not text.isdigit() or int(text) <= 0:
            raise _fail(code, f"Incorrect parcel {name} format: whole numbers only.")
    unit = str(dims.get("unit") or "CENTIMETER")
    if unit == "INCH" and shop.region != "US":
        raise _fail(
            12019061,
            "Product weight or dimensions unit does not support the imperial units on non-US "
            "local products.",
        )
    if unit not in {"CENTIMETER", "INCH"} or (unit == "INCH") != (weight_unit == "POUND"):
        raise _fail(
            12019012,
            "product package size is invalid: weight and dimensions must use the same unit system.",
        )


def _check_skus(
    world: World,
    shop: Shop,
    skus: object,
    min_quantity: int,
    product_id: str | None,
    taken: set[str] | None,
) -> None:
    if not isinstance(skus, list) or not skus:
        raise _fail(12052036, "The SKU is necessary")
    limit = sku_limit(shop.region)
    if len(skus) > limit:
        raise _fail(12052050, f"A single product cannot have more than {limit} different SKUs")
    if len(skus) > 1 and any(not s.get("sales_attributes") for s in skus):
        raise _fail(12052550, "SKU property must contain all properties")
    if taken is None:
        taken = world.seller_skus(shop, excluding_product=product_id)
    seen: set[str] = set()
    for sku in skus:
        _check_seller_sku(sku.get("seller_sku"), taken | seen)
        seen.add(str(sku.get("seller_sku") or ""))
        _check_price(shop, sku.get("price"))
        _check_inventory(shop, sku.get("inventory"), min_quantity)
    combos = [repr(sorted(map(str, s.get("sales_attributes") or []))) for s in skus]
    if len(skus) > 1 and len(set(combos)) != len(combos):
        raise _fail(12052560, "The SKU contains duplicate sales attribute.")


def _check_seller_sku(value: object, taken: set[str]) -> None:
    if value is None:
        return
    text = str(value)
    if not 1 <= len(text) <= 50:
        raise _fail(12052054, "The seller SKU text length cannot exceed max limit characters")
    if any(c.isspace() for c in text):
        raise _fail(12019059, f"seller sku is invalid: '{text}' contains spaces.")
    if text in taken:
        raise _fail(12019059, f"seller sku is invalid: '{text}' is already used in this shop.")


def _check_price(shop: Shop, price: object) -> None:
    amount = _decimal(price.get("amount")) if isinstance(price, dict) else None
    if amount is None or amount <= 0:
        raise _fail(12052073, "The product price is invalid")
    assert isinstance(price, dict)
    if str(price.get("currency", "")).strip() != shop.currency:
        raise _fail(12052084, "The provided currency is not available for this shop/region.")


def _check_inventory(shop: Shop, inventory: object, min_quantity: int) -> None:
    if not isinstance(inventory, list) or not inventory:
        raise _fail(12019022, "SKU must contain a valid warehouse.")
    sales = {w.id for w in shop.warehouses if w.type == "SALES_WAREHOUSE"}
    for entry in inventory:
        warehouse = str(entry.get("warehouse_id") or "")
        if warehouse not in sales:
            raise _fail(12052097, "The warehouse does not exist")
        quantity = entry.get("quantity")
        if not isinstance(quantity, int) or not min_quantity <= quantity <= MAX_QUANTITY:
            raise _fail(
                12052055,
                "The SKU inventory quantity for the warehouse must be within allowed limits.",
            )
