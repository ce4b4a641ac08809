"""Records rendered in the platform's response shapes (tiktok-endpoints/**.json examples)."""

from decimal import Decimal

from tiktok_shop_sandbox.state import (
    Activity,
    Cancellation,
    JsonDict,
    LineItem,
    Order,
    Package,
    Product,
    Return,
    SizeChartTemplate,
    Sku,
    StoredFile,
)


def money(value: Decimal) -> str:
    """Amounts are decimal strings on the wire (reference D4)."""
    return format(value, "f")


def sku_view(sku: Sku, currency: str) -> JsonDict:
    """A SKU as Get Product / Search Products return it."""
    view: JsonDict = {
        "id": sku.id,
        "seller_sku": sku.seller_sku,
        "price": {
            "currency": currency,
            "tax_exclusive_price": money(sku.price),
            "sale_price": money(sku.price),
        },
        "inventory": [{"warehouse_id": w, "quantity": q} for w, q in sku.inventory.items()],
        "sales_attributes": sku.sales_attributes,
        "external_sku_id": sku.external_sku_id,
    }
    if sku.list_price is not None:
        view["list_price"] = {"amount": money(sku.list_price), "currency": currency}
    return view


def size_chart_view(template: SizeChartTemplate) -> JsonDict:
    """A template as Search Size Charts returns it."""
    url = f"https://p16-oec-va.ibyteimg.com/{template.image_uri}~tplv-resize-jpeg:300:300.jpeg"
    return {
        "template_id": template.id,
        "template_name": template.name,
        "images": [{"uri": template.image_uri, "url": url, "locale": template.locale}],
    }


def video_view(video: StoredFile) -> JsonDict:
    """A product's `video` as Get Product returns it (`size` in MB)."""
    return {
        "id": video.id,
        "cover_url": f"https://p16-oec-va.ibyteimg.com/covers/{video.id}.jpeg",
        "format": video.format,
        "url": f"https://p-oec-va.ibyteimg.com/files/{video.id}",
        "width": video.width,
        "height": video.height,
        "size": max(1, round(video.size / (1024 * 1024))),
    }


def _size_chart(body: JsonDict) -> JsonDict | None:
    chart = body.get("size_chart")
    if not isinstance(chart, dict):
        return None
    view: JsonDict = {}
    if isinstance(chart.get("image"), dict):
        view["image"] = {"uri": chart["image"].get("uri"), "width": 800, "height": 800}
    if isinstance(chart.get("template"), dict):
        view["template"] = {"id": chart["template"].get("id")}
    return view or None


def product_view(
    product: Product, currency: str = "USD", files: dict[str, StoredFile] | None = None
) -> JsonDict:
    """A product as Get Product returns it (`files` resolves its video)."""
    body = product.body
    currency = next((s.currency for s in product.skus), currency)
    video_id = (body.get("video") or {}).get("id") if isinstance(body.get("video"), dict) else None
    video = (files or {}).get(str(video_id)) if video_id else None
    return {
        "id": product.id,
        "title": body.get("title", ""),
        "description": body.get("description", ""),
        "status": product.status,
        "category_chains": [{"id": body.get("category_id", ""), "is_leaf": True}],
        "brand": {"id": body["brand_id"]} if body.get("brand_id") else None,
        "main_images": body.get("main_images", []),
        "package_weight": body.get("package_weight"),
        "package_dimensions": body.get("package_dimensions"),
        "product_attributes": body.get("product_attributes", []),
        "size_chart": _size_chart(body),
        "certifications": list(body.get("certifications") or []),
        "responsible_person_ids": list(body.get("responsible_person_ids") or []),
        "manufacturer_ids": list(body.get("manufacturer_ids") or []),
        "video": video_view(video) if video else None,
        "shipping_template_id": body.get("shipping_template_id"),
        "skus": [sku_view(s, currency) for s in product.skus],
        "audit": {"status": product.audit_status},
        "product_sync_fail_reasons": product.fail_reasons,
        "external_product_id": body.get("external_product_id", ""),
        "create_time": product.create_time,
        "update_time": product.update_time,
    }


def _line_view(line: LineItem, order: Order, packages: dict[str, Package]) -> JsonDict:
    package = packages.get(line.package_id)
    return {
        "id": line.id,
        "sku_id": line.sku_id,
        "product_id": line.product_id,
        "product_name": line.product_name,
        "sku_name": line.sku_name,
        "seller_sku": line.seller_sku,
        "original_price": money(line.original_price),
        "sale_price": money(line.sale_price),
        "seller_discount": money(line.seller_discount),
        "platform_discount": money(line.platform_discount),
        "currency": order.currency,
        "display_status": "CANCELLED" if line.cancelled else line.display_status,
        "package_id": line.package_id,
        "package_status": package.status if package else "",
        "tracking_number": package.tracking_number if package else "",
        "shipping_provider_id": package.shipping_provider_id if package else "",
        "is_gift": False,
    }


def payment_view(order: Order) -> JsonDict:
    """The `payment` block: sub_total is after seller+platform product discounts."""
    lines = [line for line in order.line_items if not line.cancelled]
    original = sum((line.original_price for line in lines), Decimal(0))
    seller = sum((line.seller_discount for line in lines), Decimal(0))
    platform = sum((line.platform_discount for line in lines), Decimal(0))
    sub_total = original - seller - platform
    shipping = (
        order.shipping_fee - order.shipping_seller_discount - order.shipping_platform_discount
    )
    return {
        "currency": order.currency,
        "original_total_product_price": money(original),
        "sub_total": money(sub_total),
        "seller_discount": money(seller),
        "platform_discount": money(platform),
        "original_shipping_fee": money(order.shipping_fee),
        "shipping_fee": money(shipping),
        "shipping_fee_seller_discount": money(order.shipping_seller_discount),
        "shipping_fee_platform_discount": money(order.shipping_platform_discount),
        "tax": money(order.tax),
        "product_tax": money(order.tax),
        "total_amount": money(sub_total + shipping + order.tax),
    }


def order_view(order: Order) -> JsonDict:
    """An order as Get Order Detail returns it."""
    packages = {p.id: p for p in order.packages}
    first = order.packages[0] if order.packages else None
    return {
        "id": order.id,
        "status": order.status,
        "create_time": order.create_time,
        "update_time": order.update_time,
        "paid_time": order.paid_time,
        "is_on_hold_order": order.is_on_hold,
        "fulfillment_type": order.fulfillment_type,
        "shipping_type": order.shipping_type,
        "delivery_option_id": order.delivery_option_id,
        "delivery_option_name": order.delivery_option_name,
        "buyer_email": order.buyer_email,
        "user_id": order.user_id,
        "recipient_address": order.recipient,
        "warehouse_id": order.warehouse_id,
        "payment": payment_view(order),
        "line_items": [_line_view(line, order, packages) for line in order.line_items],
        "packages": [{"id": p.id} for p in order.packages],
        "split_or_combine_tag": "SPLIT" if len(order.packages) > 1 else "",
        "tracking_number": first.tracking_number if first else "",
        "shipping_provider_id": first.shipping_provider_id if first else "",
        "cancel_reason": order.cancel_reason,
        "cancellation_initiator": order.cancellation_initiator,
        "is_cod": False,
        "is_sample_order": False,
        "is_replacement_order": False,
        "is_exchange_order": False,
        "commerce_platform": "TIKTOK_SHOP",
        "order_type": "",
    }


def package_view(package: Package, order: Order) -> JsonDict:
    """A package as Get Package Detail returns it."""
    skus: dict[str, int] = {}
    for line in order.line_items:
        if line.id in package.line_item_ids:
            skus[line.sku_id] = skus.get(line.sku_id, 0) + 1
    return {
        "package_id": package.id,
        "orders": [{"id": order.id, "skus": [{"id": k, "quantity": v} for k, v in skus.items()]}],
        "package_status": package.status,
        "tracking_number": package.tracking_number,
        "shipping_provider_id": package.shipping_provider_id,
        "handover_method": package.handover_method,
        "order_line_item_ids": package.line_item_ids,
        "split_and_combine_tag": "SPLIT" if len(order.packages) > 1 else "",
        "update_time": package.update_time,
    }


def _refund_lines(order: Order, line_ids: list[str]) -> tuple[JsonDict, list[JsonDict]]:
    """The refund total and line references of an after-sale request."""
    lines = [line for line in order.line_items if line.id in line_ids]
    refund = sum((line.sale_price for line in lines), Decimal(0))
    refs = [
        {"order_line_item_id": line.id, "sku_id": line.sku_id, "seller_sku": line.seller_sku}
        for line in lines
    ]
    return {"currency": order.currency, "refund_total": money(refund)}, refs


def cancellation_view(cancellation: Cancellation, order: Order) -> JsonDict:
    """A cancellation as Search Cancellations returns it."""
    refund, lines = _refund_lines(order, cancellation.line_item_ids)
    return {
        "cancel_id": cancellation.id,
        "order_id": cancellation.order_id,
        "cancel_type": cancellation.cancel_type,
        "cancel_status": cancellation.status,
        "role": cancellation.role,
        "cancel_reason": cancellation.reason,
        "create_time": cancellation.create_time,
        "update_time": cancellation.update_time,
        "refund_amount": refund,
        "cancel_line_items": lines,
    }


def return_view(record: Return, order: Order) -> JsonDict:
    """A return as Search Returns returns it."""
    refund, lines = _refund_lines(order, record.line_item_ids)
    return {
        "return_id": record.id,
        "order_id": record.order_id,
        "return_type": record.return_type,
        "return_status": record.status,
        "role": record.role,
        "return_reason": record.reason,
        "create_time": record.create_time,
        "update_time": record.update_time,
        "refund_amount": refund,
        "return_line_items": lines,
    }


def activity_view(activity: Activity, status: str) -> JsonDict:
    """An activity as Get Activity returns it."""
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "activity_type": activity.activity_type,
        "product_level": activity.product_level,
        "begin_time": activity.begin_time,
        "end_time": activity.end_time,
        "status": status,
        "participation_limit": activity.participation_limit,
        "create_time": activity.create_time,
        "update_time": activity.update_time,
        "products": list(activity.products.values()),
    }
