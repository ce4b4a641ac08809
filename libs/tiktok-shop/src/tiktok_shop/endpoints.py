"""Catalogue of the TikTok Shop endpoints the connector calls: method, versioned path, shop scope.

Paths and versions are the ones in the shared reference (`tiktok-endpoints/**.json`, A6). The
logical `name` labels metrics and keys the QPS limiter, which the platform applies per API (A5).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    """One API: `path` may hold `{placeholders}` filled per call."""

    name: str
    method: str
    path: str
    # False on the paths where the platform rejects `shop_cipher` as unexpected (A1).
    shop_scoped: bool = True
    # Reads, absolute-value updates and deletes may be retried after an ambiguous failure.
    idempotent: bool = False


def _get(name: str, path: str, *, shop_scoped: bool = True) -> Endpoint:
    return Endpoint(name, "GET", path, shop_scoped, idempotent=True)


def _set(name: str, method: str, path: str, *, shop_scoped: bool = True) -> Endpoint:
    return Endpoint(name, method, path, shop_scoped, idempotent=True)


def _create(name: str, method: str, path: str, *, shop_scoped: bool = True) -> Endpoint:
    return Endpoint(name, method, path, shop_scoped, idempotent=False)


# Authorization and seller (no shop_cipher, A1/A4)
AUTHORIZED_SHOPS = _get("authorization.shops", "/authorization/202309/shops", shop_scoped=False)
ACTIVE_SHOPS = _get("seller.shops", "/seller/202309/shops", shop_scoped=False)

# Products (A6); search and read queries are POST but have no effects.
PRODUCT_CREATE = _create("products.create", "POST", "/product/202309/products")
PRODUCT_EDIT = _set("products.edit", "PUT", "/product/202309/products/{product_id}")
PRODUCT_PARTIAL_EDIT = _set(
    "products.partial_edit", "POST", "/product/202309/products/{product_id}/partial_edit"
)
PRODUCT_GET = _get("products.get", "/product/202309/products/{product_id}")
PRODUCT_SEARCH = _set("products.search", "POST", "/product/202502/products/search")
PRODUCT_ACTIVATE = _set("products.activate", "POST", "/product/202309/products/activate")
PRODUCT_DEACTIVATE = _set("products.deactivate", "POST", "/product/202309/products/deactivate")
PRODUCT_DELETE = _set("products.delete", "DELETE", "/product/202309/products")
PRODUCT_RECOVER = _set("products.recover", "POST", "/product/202309/products/recover")
INVENTORY_UPDATE = _set(
    "products.inventory_update", "POST", "/product/202309/products/{product_id}/inventory/update"
)
INVENTORY_SEARCH = _set("products.inventory_search", "POST", "/product/202309/inventory/search")
PRICE_UPDATE = _set(
    "products.price_update", "POST", "/product/202309/products/{product_id}/prices/update"
)
LISTING_CHECK = _set("products.listing_check", "POST", "/product/202309/products/listing_check")
LISTING_PREREQUISITES = _get("products.prerequisites", "/product/202312/prerequisites")
# Optimize Info (US / UK shops): TikTok's own recommendations for a live product.
PRODUCT_SUGGESTIONS = _get("products.suggestions", "/product/202405/products/suggestions")
PRODUCT_SEO_WORDS = _get("products.seo_words", "/product/202405/products/seo_words")
PRODUCT_DIAGNOSES = _get("products.diagnoses", "/product/202405/products/diagnoses")
# Optimizing an image again answers IGNORE instead of a second copy: safe to retry.
IMAGE_OPTIMIZE = _set("images.optimize", "POST", "/product/202404/images/optimize")
CATEGORIES = _get("categories.list", "/product/202309/categories")
CATEGORY_RECOMMEND = _set("categories.recommend", "POST", "/product/202309/categories/recommend")
CATEGORY_ATTRIBUTES = _get(
    "categories.attributes", "/product/202309/categories/{category_id}/attributes"
)
CATEGORY_RULES = _get("categories.rules", "/product/202309/categories/{category_id}/rules")
BRANDS = _get("brands.list", "/product/202309/brands")
BRAND_CREATE = _create("brands.create", "POST", "/product/202309/brands", shop_scoped=False)
IMAGE_UPLOAD = _create("images.upload", "POST", "/product/202309/images/upload", shop_scoped=False)
FILE_UPLOAD = _create("files.upload", "POST", "/product/202309/files/upload", shop_scoped=False)
SIZE_CHART_SEARCH = _set(
    "size_charts.search", "POST", "/product/202407/sizecharts/search", shop_scoped=False
)
GLOBAL_PRODUCT_CREATE = _create(
    "global_products.create", "POST", "/product/202309/global_products", shop_scoped=False
)
GLOBAL_PRODUCT_EDIT = _set(
    "global_products.edit",
    "PUT",
    "/product/202309/global_products/{global_product_id}",
    shop_scoped=False,
)
GLOBAL_PRODUCT_PUBLISH = _create(
    "global_products.publish",
    "POST",
    "/product/202309/global_products/{global_product_id}/publish",
    shop_scoped=False,
)
MANUFACTURER_CREATE = _create(
    "compliance.manufacturers_create",
    "POST",
    "/product/202409/compliance/manufacturers",
    shop_scoped=False,
)
MANUFACTURER_SEARCH = _set(
    "compliance.manufacturers_search",
    "POST",
    "/product/202501/compliance/manufacturers/search",
    shop_scoped=False,
)
RESPONSIBLE_PERSON_CREATE = _create(
    "compliance.responsible_persons_create",
    "POST",
    "/product/202409/compliance/responsible_persons",
    shop_scoped=False,
)
RESPONSIBLE_PERSON_SEARCH = _set(
    "compliance.responsible_persons_search",
    "POST",
    "/product/202501/compliance/responsible_persons/search",
    shop_scoped=False,
)
MANUFACTURER_PARTIAL_EDIT = _set(
    "compliance.manufacturers_partial_edit",
    "POST",
    "/product/202409/compliance/manufacturers/{manufacturer_id}/partial_edit",
    shop_scoped=False,
)
RESPONSIBLE_PERSON_PARTIAL_EDIT = _set(
    "compliance.responsible_persons_partial_edit",
    "POST",
    "/product/202409/compliance/responsible_persons/{responsible_person_id}/partial_edit",
    shop_scoped=False,
)
GLOBAL_PRODUCT_GET = _get(
    "global_products.get", "/product/202309/global_products/{global_product_id}", shop_scoped=False
)

# Logistics
WAREHOUSES = _get("logistics.warehouses", "/logistics/202309/warehouses")
DELIVERY_OPTIONS = _get(
    "logistics.delivery_options", "/logistics/202309/warehouses/{warehouse_id}/delivery_options"
)
SHIPPING_TEMPLATES = _get("logistics.shipping_templates", "/logistics/202510/seller_templates")
SHIPPING_PROVIDERS = _get(
    "logistics.shipping_providers",
    "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers",
)

# Orders
ORDER_SEARCH = _set("orders.search", "POST", "/order/202309/orders/search")
ORDER_DETAIL = _get("orders.detail", "/order/202309/orders")
ORDER_PRICE_DETAIL = _get("orders.price_detail", "/order/202407/orders/{order_id}/price_detail")
EXTERNAL_ORDERS_ADD = _set("orders.external_add", "POST", "/order/202406/orders/external_orders")
EXTERNAL_ORDERS_GET = _get("orders.external_get", "/order/202406/orders/{order_id}/external_orders")
EXTERNAL_ORDERS_SEARCH = _set(
    "orders.external_search", "POST", "/order/202406/orders/external_order_search"
)

# Fulfillment. Shipping is effectively idempotent: a second ship of the same package is
# rejected with 11006021 "Package has been shipped", never duplicated.
PACKAGE_SHIP = _set("packages.ship", "POST", "/fulfillment/202309/packages/{package_id}/ship")
PACKAGE_GET = _get("packages.get", "/fulfillment/202309/packages/{package_id}")
PACKAGE_SEARCH = _set("packages.search", "POST", "/fulfillment/202309/packages/search")
MARK_SHIPPED = _create(
    "packages.mark_shipped", "POST", "/fulfillment/202309/orders/{order_id}/packages"
)
PACKAGE_SHIPPING_INFO = _set(
    "packages.shipping_info_update",
    "POST",
    "/fulfillment/202309/packages/{package_id}/shipping_info/update",
)
INVOICE_UPLOAD = _create("invoices.upload", "POST", "/fulfillment/202502/invoice/upload")

# Cancellations and returns
CANCELLATION_SEARCH = _set(
    "cancellations.search", "POST", "/return_refund/202309/cancellations/search"
)
CANCELLATION_APPROVE = _set(
    "cancellations.approve", "POST", "/return_refund/202309/cancellations/{cancel_id}/approve"
)
CANCELLATION_REJECT = _set(
    "cancellations.reject", "POST", "/return_refund/202309/cancellations/{cancel_id}/reject"
)
ORDER_CANCEL = _create("cancellations.cancel_order", "POST", "/return_refund/202309/cancellations")
# Safe to retry: every call carries an idempotency key (the connector never creates without).
RETURN_CREATE = _set("returns.create", "POST", "/return_refund/202309/returns")
RETURN_SEARCH = _set("returns.search", "POST", "/return_refund/202309/returns/search")
RETURN_APPROVE = _set(
    "returns.approve", "POST", "/return_refund/202309/returns/{return_id}/approve"
)
RETURN_REJECT = _set("returns.reject", "POST", "/return_refund/202309/returns/{return_id}/reject")

# Promotions
ACTIVITY_CREATE = _create("promotions.create", "POST", "/promotion/202309/activities")
ACTIVITY_UPDATE = _set("promotions.update", "PUT", "/promotion/202309/activities/{activity_id}")
ACTIVITY_PRODUCTS_UPDATE = _set(
    "promotions.update_products", "PUT", "/promotion/202309/activities/{activity_id}/products"
)
ACTIVITY_PRODUCTS_REMOVE = _set(
    "promotions.remove_products", "DELETE", "/promotion/202309/activities/{activity_id}/products"
)
ACTIVITY_DEACTIVATE = _set(
    "promotions.deactivate", "POST", "/promotion/202309/activities/{activity_id}/deactivate"
)
ACTIVITY_GET = _get("promotions.get", "/promotion/202309/activities/{activity_id}")
ACTIVITY_SEARCH = _set("promotions.search", "POST", "/promotion/202309/activities/search")

# Shop webhooks (Event API)
WEBHOOKS_GET = _get("webhooks.get", "/event/202309/webhooks")
WEBHOOKS_UPDATE = _set("webhooks.update", "PUT", "/event/202309/webhooks")
WEBHOOKS_DELETE = _set("webhooks.delete", "DELETE", "/event/202309/webhooks")
