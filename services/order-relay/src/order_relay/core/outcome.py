"""What a relayed order tells the dashboard: its lines per SKU and the buyer, masked."""

from collections.abc import Sequence

from connector_contracts import RelayedLine
from tiktok_shop.models.orders import Order

from order_relay.core.pricing import money
from order_relay.core.translate import LineGroup


def relayed_lines(order: Order, groups: Sequence[LineGroup]) -> list[RelayedLine]:
    """One line per Shopify line group, at the unit price Shopify got."""
    products = {line.sku_id: line.product_id for line in order.line_items}
    return [
        RelayedLine(
            tiktok_product_id=products.get(group.sku_id, ""),
            tiktok_sku_id=group.sku_id,
            seller_sku=group.seller_sku,
            product_name=group.title,
            quantity=len(group.tiktok_line_ids),
            amount=money(group.unit_price * len(group.tiktok_line_ids)),
        )
        for group in groups
    ]


def masked_name(name: str) -> str | None:
    """The recipient name as TikTok masks it; a name TikTok left plain (seller shipping) is
    masked here the same way, so the dashboard never holds more than a masked name."""
    if not name.strip():
        return None
    if "*" in name:
        return name
    return " ".join(_mask(word) for word in name.split())


def _mask(word: str) -> str:
    return f"{word[0]}***{word[-1]}" if len(word) > 1 else "*"
