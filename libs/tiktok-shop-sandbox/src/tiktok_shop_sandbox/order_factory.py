"""Turn a control-plane order request into an `Order` with one line item per unit (A6)."""

from decimal import Decimal

from fastapi import HTTPException
from pydantic import BaseModel

from tiktok_shop_sandbox.logistics import DELIVERY_OPTION
from tiktok_shop_sandbox.promotion_clock import seller_discount
from tiktok_shop_sandbox.state import LineItem, Order, Package, Shop, Sku
from tiktok_shop_sandbox.world import World, now


class LineSpec(BaseModel):
    """An ordered SKU: matched to the shop's products by `sku_id` or `seller_sku` when possible."""

    sku_id: str | None = None
    seller_sku: str | None = None
    product_id: str | None = None
    product_name: str | None = None
    quantity: int = 1
    price: Decimal | None = None
    seller_discount: Decimal = Decimal("0")
    platform_discount: Decimal = Decimal("0")


def _find_sku(world: World, shop: Shop, spec: LineSpec) -> tuple[str, str, Sku] | None:
    for product in world.products.values():
        if product.shop_id != shop.id:
            continue
        for sku in product.skus:
            if spec.sku_id == sku.id or (spec.seller_sku and spec.seller_sku == sku.seller_sku):
                return product.id, str(product.body.get("title", "")), sku
    return None


def _lines(world: World, shop: Shop, spec: LineSpec) -> list[LineItem]:
    found = _find_sku(world, shop, spec)
    if found is None and not (spec.sku_id and spec.price is not None):
        raise HTTPException(422, "line needs a known sku_id/seller_sku, or sku_id + price")
    product_id, title, sku = found or ("", "", None)
    price = spec.price if spec.price is not None else sku.price if sku else Decimal(0)
    discount = spec.seller_discount
    if sku is not None and "seller_discount" not in spec.model_fields_set:
        # An ongoing discount activity lowers what the buyer pays (promotion_clock).
        discount = seller_discount(world, shop.id, product_id, sku.id, price)
    return [
        LineItem(
            id=world.ids.next(),
            sku_id=sku.id if sku else str(spec.sku_id),
            product_id=spec.product_id or product_id or world.ids.next(),
            product_name=spec.product_name or title or "Sandbox product",
            sku_name=sku.seller_sku if sku else "",
            seller_sku=sku.seller_sku if sku else spec.seller_sku or "",
            original_price=price,
            sale_price=price - discount - spec.platform_discount,
            seller_discount=discount,
            platform_discount=spec.platform_discount,
        )
        for _ in range(spec.quantity)
    ]


def build_order(
    world: World,
    shop: Shop,
    order_id: str | None,
    specs: list[LineSpec],
    package_groups: list[list[int]] | None,
    money: dict[str, Decimal],
) -> Order:
    """A new order; `package_groups` lists spec indexes per package (split packages)."""
    order_id = order_id or world.ids.next()
    per_spec = [_lines(world, shop, spec) for spec in specs]
    groups = package_groups or [list(range(len(specs)))]
    packages = []
    for group in groups:
        package = Package(world.ids.next(), order_id, [], update_time=now())
        for index in group:
            for line in per_spec[index]:
                line.package_id = package.id
                package.line_item_ids.append(line.id)
        packages.append(package)
    user_id = world.ids.next()
    return Order(
        id=order_id,
        shop_id=shop.id,
        status="UNPAID",
        currency=shop.currency,
        line_items=[line for lines in per_spec for line in lines],
        packages=[p for p in packages if p.line_item_ids],
        shipping_fee=money["shipping_fee"],
        shipping_seller_discount=money["shipping_seller_discount"],
        shipping_platform_discount=money["shipping_platform_discount"],
        tax=money["tax"],
        # Buyer emails are platform relay addresses, never the buyer's own (reference A6).
        buyer_email=f"{user_id[-8:]}@scs.tiktokw.us",
        user_id=user_id,
        recipient=_recipient(shop),
        create_time=now(),
        update_time=now(),
        paid_time=None,
        warehouse_id=shop.warehouses[0].id,
        delivery_option_id=DELIVERY_OPTION["id"],
        delivery_option_name=DELIVERY_OPTION["name"],
    )


def _recipient(shop: Shop) -> dict[str, object]:
    # Masked like the platform masks buyer PII.
    return {
        "name": "S***x B***r",
        "phone_number": "(+1)213-***-1234",
        "full_address": "1199 Coleman Ave, San Jose, CA 95110",
        "address_line1": "1199 Coleman Ave",
        "postal_code": "95110",
        "region_code": shop.region,
    }
