"""REST resource representations used as webhook bodies (B8: bodies are REST-shaped)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopify_sandbox.records import (
    BulkOperation,
    Collection,
    Fulfillment,
    InventoryLevel,
    Order,
    OrderLineItem,
    Product,
    ProductVariant,
    Refund,
    TaxLine,
    numeric_id,
)

JSON = dict[str, Any]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def product_json(product: Product) -> JSON:
    """A `products/*` webhook body."""
    return {
        "id": numeric_id(product.id),
        "admin_graphql_api_id": product.id,
        "title": product.title,
        "handle": product.handle,
        "body_html": product.description_html,
        "vendor": product.vendor,
        "product_type": product.product_type,
        "status": product.status.lower(),
        "tags": ", ".join(product.tags),
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
        "options": [
            {"id": numeric_id(o.id), "name": o.name, "position": o.position, "values": o.values}
            for o in product.options_list
        ],
        "variants": [variant_json(v) for v in product.variant_list],
        "images": [
            {"id": numeric_id(m.id), "src": m.url, "alt": m.alt, "position": i + 1}
            for i, m in enumerate(product.images)
        ],
    }


def collection_json(collection: Collection) -> JSON:
    """A `collections/*` webhook body (a custom collection; it lists no products)."""
    return {
        "id": numeric_id(collection.id),
        "admin_graphql_api_id": collection.id,
        "handle": collection.handle,
        "title": collection.title,
        "body_html": "",
        "sort_order": collection.sort_order.lower(),
        "published_scope": "web",
        "template_suffix": None,
        "published_at": collection.created_at.isoformat(),
        "updated_at": collection.updated_at.isoformat(),
    }


def variant_json(variant: ProductVariant) -> JSON:
    """A variant inside a product body."""
    options = {f"option{i + 1}": value for i, (_, value) in enumerate(variant.selected)}
    return {
        "id": numeric_id(variant.id),
        "admin_graphql_api_id": variant.id,
        "product_id": numeric_id(variant.product.id),
        "title": variant.title,
        "sku": variant.sku,
        "barcode": variant.barcode,
        "price": _money(variant.price),
        "compare_at_price": _money(variant.compare_at_price),
        "position": variant.position,
        "inventory_item_id": numeric_id(variant.inventory_item.id),
        "inventory_quantity": variant.inventory_quantity,
        "inventory_policy": variant.inventory_policy.lower(),
        "updated_at": variant.updated_at.isoformat(),
        **options,
    }


def inventory_level_json(level: InventoryLevel) -> JSON:
    """An `inventory_levels/update` body (REST InventoryLevel shape, B6)."""
    return {
        "inventory_item_id": numeric_id(level.item.id),
        "location_id": numeric_id(level.location.id),
        "available": level.available,
        "updated_at": level.updated_at.isoformat(),
        "admin_graphql_api_id": level.id,
    }


def _tax_json(tax: TaxLine) -> JSON:
    return {
        "title": tax.title,
        "rate": float(tax.rate),
        "price": _money(tax.price),
        "channel_liable": tax.channel_liable,
    }


def _line_json(line: OrderLineItem) -> JSON:
    remaining = line.quantity - line.fulfilled - line.refunded
    return {
        "id": numeric_id(line.id),
        "admin_graphql_api_id": line.id,
        "title": line.title,
        "quantity": line.quantity,
        "sku": line.sku,
        "price": _money(line.price),
        "variant_id": numeric_id(line.variant.id) if line.variant else None,
        "product_id": numeric_id(line.variant.product.id) if line.variant else None,
        "fulfillable_quantity": max(remaining, 0),
        "fulfillment_status": "fulfilled" if remaining <= 0 and line.fulfilled else None,
        "tax_lines": [_tax_json(t) for t in line.tax_lines],
    }


def order_json(order: Order) -> JSON:
    """An `orders/*` webhook body."""
    status = order.fulfillment_status
    return {
        "id": numeric_id(order.id),
        "admin_graphql_api_id": order.id,
        "name": order.name,
        "order_number": order.number,
        "email": order.email,
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
        "cancelled_at": order.cancelled_at.isoformat() if order.cancelled_at else None,
        "cancel_reason": order.cancel_reason.lower() if order.cancel_reason else None,
        "financial_status": order.financial_status.lower(),
        "fulfillment_status": {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}.get(
            status
        ),
        "currency": order.currency,
        "total_price": _money(order.total),
        "subtotal_price": _money(order.subtotal),
        "total_tax": _money(order.total_tax),
        "taxes_included": order.taxes_included,
        "tags": ", ".join(order.tags),
        "note": order.note,
        "source_name": order.source_name,
        "source_identifier": order.source_identifier,
        "note_attributes": [
            {"name": a["key"], "value": a["value"]} for a in order.custom_attributes
        ],
        "billing_address": order.billing_address,
        "shipping_address": order.shipping_address,
        "line_items": [_line_json(li) for li in order.line_item_list],
        "shipping_lines": [
            {"id": numeric_id(s.id), "title": s.title, "code": s.code, "price": _money(s.price)}
            for s in order.shipping_line_list
        ],
        "tax_lines": [_tax_json(t) for t in order.tax_lines],
        "fulfillments": [fulfillment_json(f) for f in order.fulfillment_list],
        "refunds": [refund_json(r) for r in order.refund_list],
    }


def fulfillment_json(fulfillment: Fulfillment) -> JSON:
    """A `fulfillments/*` webhook body."""
    first = fulfillment.tracking[0] if fulfillment.tracking else None
    return {
        "id": numeric_id(fulfillment.id),
        "admin_graphql_api_id": fulfillment.id,
        "order_id": numeric_id(fulfillment.order.id),
        "name": fulfillment.name,
        "status": fulfillment.status.lower(),
        "location_id": numeric_id(fulfillment.location.id),
        "created_at": fulfillment.created_at.isoformat(),
        "updated_at": fulfillment.updated_at.isoformat(),
        "tracking_company": first.company if first else None,
        "tracking_number": first.number if first else None,
        "tracking_numbers": [t.number for t in fulfillment.tracking if t.number],
        "tracking_url": first.url if first else None,
        "tracking_urls": [t.url for t in fulfillment.tracking if t.url],
        "line_items": [{**_line_json(li), "quantity": qty} for li, qty in fulfillment.lines],
    }


def refund_json(refund: Refund) -> JSON:
    """A `refunds/create` webhook body."""
    return {
        "id": numeric_id(refund.id),
        "admin_graphql_api_id": refund.id,
        "order_id": numeric_id(refund.order.id),
        "created_at": refund.created_at.isoformat(),
        "note": refund.note,
        "refund_line_items": [
            {
                "line_item_id": numeric_id(line.line_item.id),
                "quantity": line.quantity,
                "restock_type": line.restock_type.lower(),
                "location_id": numeric_id(line.location.id) if line.location else None,
            }
            for line in refund.lines
        ],
        "transactions": [
            {
                "kind": "refund",
                "amount": _money(refund.amount),
                "currency": refund.currency,
                "status": "success",
                "source_name": refund.source_name,
            }
        ],
    }


def bulk_operation_json(operation: BulkOperation) -> JSON:
    """A `bulk_operations/finish` body (field list UNCONFIRMED, B4)."""
    return {
        "admin_graphql_api_id": operation.id,
        "completed_at": operation.completed_at.isoformat() if operation.completed_at else None,
        "created_at": operation.created_at.isoformat(),
        "error_code": operation.error_code.lower() if operation.error_code else None,
        "status": operation.status.lower(),
        "type": operation.type.lower(),
    }


def shop_json(domain: str, name: str, currency: str) -> JSON:
    """An `app/uninstalled` body (the shop)."""
    return {"domain": domain, "myshopify_domain": domain, "name": name, "currency": currency}
