"""Resolvers for products, variants, media, inventory items/levels and locations."""

from __future__ import annotations

from typing import Any

from shopify_sandbox import search
from shopify_sandbox.connections import connection
from shopify_sandbox.records import InventoryItem, InventoryLevel, Location, Product, ProductVariant
from shopify_sandbox.resolving import Info, Resolvers, ctx


def _products(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    shop = ctx(info).shop
    terms = search.parse(args.get("query"))
    found = [p for p in list(shop.products.values()) if search.matches(terms, _product_fields(p))]
    sort_key = args.get("sortKey") or "ID"
    found.sort(key=lambda p: _product_sort_value(p, sort_key))
    return connection(found, info, args)


def _product_sort_value(product: Product, sort_key: str) -> Any:
    if sort_key in ("UPDATED_AT", "CREATED_AT"):
        return (getattr(product, sort_key.lower()), product.id)
    if sort_key in ("TITLE", "PRODUCT_TYPE", "VENDOR"):
        return (str(getattr(product, sort_key.lower())).lower(), product.id)
    return (len(product.id), product.id)


def _product_fields(p: Product) -> dict[str, Any]:
    return {
        "default": lambda: p.title,
        "title": lambda: p.title,
        "id": lambda: p.id.rsplit("/", 1)[1],
        "handle": lambda: p.handle,
        "product_type": lambda: p.product_type,
        "vendor": lambda: p.vendor,
        "status": lambda: p.status,
        "tag": lambda: p.tags,
        "sku": lambda: [v.sku for v in p.variant_list],
        "barcode": lambda: [v.barcode for v in p.variant_list],
        "created_at": lambda: p.created_at,
        "updated_at": lambda: p.updated_at,
    }


def _variants(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    terms = search.parse(args.get("query"))
    found = [
        v
        for v in list(ctx(info).shop.variants.values())
        if search.matches(terms, _sku_fields(v.sku, v.barcode))
    ]
    return connection(found, info, args)


def _sku_fields(sku: str | None, barcode: str | None) -> dict[str, Any]:
    return {"sku": lambda: sku, "barcode": lambda: barcode}


def _product_types(_: Any, info: Info, first: int) -> dict[str, Any]:
    types = sorted(
        {p.product_type for p in list(ctx(info).shop.products.values()) if p.product_type}
    )
    return connection(types, info, {"first": first}, key=lambda t: t)


def _locations(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    found = [
        loc
        for loc in list(ctx(info).shop.locations.values())
        if loc.is_active or args.get("includeInactive")
    ]
    return connection(found, info, args)


def _location(_: Any, info: Info, id: str | None = None) -> Location | None:
    shop = ctx(info).shop
    return shop.locations.get(id) if id else shop.primary_location


def _inventory_items(_: Any, info: Info, **args: Any) -> dict[str, Any]:
    terms = search.parse(args.get("query"))
    found = [
        i
        for i in list(ctx(info).shop.items.values())
        if search.matches(terms, _sku_fields(i.sku, None))
    ]
    return connection(found, info, args)


def _inventory_level(_: Any, info: Info, id: str) -> InventoryLevel | None:
    for item in list(ctx(info).shop.items.values()):
        for level in list(item.levels.values()):
            if level.id == id:
                return level
    return None


def _level_quantities(level: InventoryLevel, _: Info, names: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{level.id}&name={n}",
            "name": n,
            "quantity": level.quantity(n),
            "updatedAt": level.updated_at,
        }
        for n in names
    ]


def _item_level(item: InventoryItem, _: Info, locationId: str) -> InventoryLevel | None:
    return item.levels.get(locationId)


def _location_levels(location: Location, info: Info, **args: Any) -> dict[str, Any]:
    levels = [
        i.levels[location.id]
        for i in list(ctx(info).shop.items.values())
        if location.id in i.levels
    ]
    return connection(levels, info, args, key=lambda lv: lv.id)


def _option_values(option: Any, info: Info) -> list[dict[str, Any]]:
    product: Product | None = option.product
    used = {value for v in (product.variant_list if product else []) for _, value in v.selected}
    return [
        {
            "id": f"gid://shopify/ProductOptionValue/{option.id.rsplit('/', 1)[1]}{i}",
            "name": name,
            "hasVariants": name in used,
        }
        for i, name in enumerate(option.values)
    ]


def _variant_media(variant: ProductVariant, info: Info, **args: Any) -> dict[str, Any]:
    return connection(variant.product.images[:1], info, args)


RESOLVERS: Resolvers = {
    ("QueryRoot", "shop"): lambda _, info: {
        "id": f"gid://shopify/Shop/{abs(hash(ctx(info).shop.domain)) % 10**9}",
        "name": ctx(info).shop.name,
        "myshopifyDomain": ctx(info).shop.domain,
        "currencyCode": ctx(info).shop.currency,
    },
    ("QueryRoot", "product"): lambda _, info, id: ctx(info).shop.products.get(id),
    ("QueryRoot", "products"): _products,
    ("QueryRoot", "productVariant"): lambda _, info, id: ctx(info).shop.variants.get(id),
    ("QueryRoot", "productVariants"): _variants,
    ("QueryRoot", "productTypes"): _product_types,
    ("QueryRoot", "location"): _location,
    ("QueryRoot", "locations"): _locations,
    ("QueryRoot", "inventoryItem"): lambda _, info, id: ctx(info).shop.items.get(id),
    ("QueryRoot", "inventoryItems"): _inventory_items,
    ("QueryRoot", "inventoryLevel"): _inventory_level,
    ("Product", "options"): lambda p, _, first=None: p.options_list[:first],
    ("Product", "variants"): lambda p, info, **a: connection(p.variant_list, info, a),
    ("Product", "media"): lambda p, info, **a: connection(p.media_list, info, a),
    ("Product", "featuredMedia"): lambda p, _: p.media_list[0] if p.media_list else None,
    ("Product", "totalInventory"): lambda p, _: sum(v.inventory_quantity for v in p.variant_list),
    ("Product", "hasOnlyDefaultVariant"): lambda p, _: (
        len(p.variant_list) == 1 and p.variant_list[0].title == "Default Title"
    ),
    ("Product", "variantsCount"): lambda p, _: {"count": len(p.variant_list)},
    ("ProductOption", "optionValues"): _option_values,
    ("ProductVariant", "selectedOptions"): lambda v, _: [
        {"name": n, "value": val} for n, val in v.selected
    ],
    ("ProductVariant", "displayName"): lambda v, _: f"{v.product.title} - {v.title}",
    ("ProductVariant", "media"): _variant_media,
    ("MediaImage", "image"): lambda m, _: {
        "id": m.id.replace("MediaImage", "ProductImage"),
        "url": m.url,
        "altText": m.alt,
        "width": m.width,
        "height": m.height,
    },
    ("InventoryItem", "inventoryLevels"): lambda i, info, **a: connection(
        list(i.levels.values()), info, a, key=lambda lv: lv.id
    ),
    ("InventoryItem", "inventoryLevel"): _item_level,
    ("InventoryItem", "measurement"): lambda i, _: {
        "id": i.id.replace("InventoryItem", "InventoryItemMeasurement"),
        "weight": {"unit": "GRAMS", "value": i.weight_grams},
    },
    ("InventoryLevel", "quantities"): _level_quantities,
    ("Location", "inventoryLevels"): _location_levels,
}
