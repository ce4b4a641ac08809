"""Where a region's products ship from and how: its TikTok warehouse and shipping template,
chosen from what that region's shop lists (Get Warehouse List, Get Available Shipping
Template). Each check answers the merchant's reason, or None when the choice is usable."""

from tiktok_shop.models.fulfillment import ShippingTemplate, Warehouse


def warehouse_error(warehouses: list[Warehouse], warehouse_id: str) -> str | None:
    """Why the shop cannot keep a product's stock in `warehouse_id` (None: it can)."""
    found = next((w for w in warehouses if w.id == warehouse_id), None)
    if found is None:
        return (
            f"'{warehouse_id}' is not a warehouse of this TikTok shop: choose one of its "
            "warehouses (TikTok Shop Warehouse Setting)."
        )
    if found.type != "SALES_WAREHOUSE":
        return f"'{found.name}' is a return warehouse: products ship from a sales warehouse."
    if found.effect_status and found.effect_status != "ENABLED":
        return f"'{found.name}' is {found.effect_status.lower()} on TikTok Shop: its stock is not for sale."
    return None


def template_error(templates: list[ShippingTemplate], template_id: str) -> str | None:
    """Why the shop cannot bind products to shipping template `template_id` (None: it can)."""
    found = next((t for t in templates if t.template.template_id == template_id), None)
    if found is None:
        return (
            f"'{template_id}' is not a shipping template of this TikTok shop: choose one of its "
            "templates (TikTok Shop Template Settings)."
        )
    if not found.template_is_available:
        why = "; ".join(found.unavailable_reasons) or "TikTok did not say why"
        return (
            f"TikTok Shop cannot use the shipping template '{found.template.template_name}': {why}."
        )
    return None
