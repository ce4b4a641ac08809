"""Translating a paid TikTok order and a connection's settings into a Shopify orderCreate."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from shopify.inputs import (
    AddressInput,
    AttributeInput,
    InventoryBehaviour,
    LineItemInput,
    MoneyBagInput,
    OrderCreateInput,
    OrderCreateOptions,
    ShippingLineInput,
    TaxLineInput,
    TransactionInput,
)
from tiktok_shop.models.orders import LineItem, Order, Payment

from order_relay.core.pricing import Totals, money, tax_rate, tiktok_unit_price, totals
from order_relay.core.settings import OrderSettings

SOURCE_NAME = "tiktok_shop"
FBT = "FULFILLMENT_BY_TIKTOK"


@dataclass(frozen=True)
class SkuLink:
    """A TikTok SKU linked to a Shopify variant (from `product.pushed`)."""

    shopify_variant_id: str
    seller_sku: str | None = None


@dataclass(frozen=True)
class LineGroup:
    """TikTok line items (one per unit) that become one Shopify line."""

    sku_id: str
    tiktok_line_ids: tuple[str, ...]
    variant_id: str | None
    title: str
    seller_sku: str
    unit_price: Decimal


@dataclass(frozen=True)
class RelayPlan:
    """Everything needed to create the order in Shopify."""

    order: OrderCreateInput
    options: OrderCreateOptions
    hold: bool
    groups: tuple[LineGroup, ...]
    totals: Totals


@dataclass(frozen=True)
class Refusal:
    """Why an order is not created; `code` for machines, `reason` for the merchant."""

    code: str
    reason: str
    retryable: bool = True


@dataclass(frozen=True)
class Inputs:
    """The facts a translation needs besides the order and the settings."""

    region: str  # the market of the TikTok shop the order was placed in
    links: Mapping[str, SkuLink]
    shopify_prices: Mapping[str, Decimal] = field(default_factory=dict)
    shop_id: str = ""  # that TikTok shop


def group_lines(lines: Sequence[LineItem]) -> list[list[LineItem]]:
    """Group TikTok's one-line-per-unit items by SKU and price, keeping first-seen order."""
    groups: dict[tuple[str, Decimal, Decimal], list[LineItem]] = {}
    for line in lines:
        key = (line.sku_id, line.original_price, line.seller_discount)
        groups.setdefault(key, []).append(line)
    return list(groups.values())


def unsynced_skus(lines: Sequence[LineItem], links: Mapping[str, SkuLink]) -> list[str]:
    """Seller SKUs (or SKU ids) of lines no Shopify variant is linked to."""
    missing = {line.seller_sku or line.sku_id for line in lines if line.sku_id not in links}
    return sorted(missing)


def refusal_for(order: Order, settings: OrderSettings, inputs: Inputs) -> Refusal | None:
    """The reason this order must not be created in Shopify, if there is one."""
    if order.fulfillment_type == FBT and not settings.sync_fbt_orders:
        return Refusal(
            "fbt_not_synced",
            "Fulfilled by TikTok orders are not synced (turn on 'Sync FBT Orders').",
            retryable=False,
        )
    missing = unsynced_skus(order.line_items, inputs.links)
    if missing and not settings.sync_unsynced_products:
        return Refusal(
            "unsynced_products",
            f"Order contains unsynced products (SKUs: {', '.join(missing)}). Map or push them,"
            " or turn on 'Sync Orders that Contain Unsynced Products'.",
        )
    if not order.line_items:
        return Refusal("no_lines", "The TikTok order has no line items.", retryable=False)
    return None


def _groups(order: Order, settings: OrderSettings, inputs: Inputs) -> list[LineGroup]:
    built = []
    for lines in group_lines(order.line_items):
        first = lines[0]
        link = inputs.links.get(first.sku_id)
        price = tiktok_unit_price(first.original_price, first.seller_discount)
        if link and not settings.use_tiktok_pricing:
            price = money(inputs.shopify_prices.get(link.shopify_variant_id, first.original_price))
        title = " - ".join(p for p in (first.product_name, first.sku_name) if p) or first.sku_id
        built.append(
            LineGroup(
                sku_id=first.sku_id,
                tiktok_line_ids=tuple(line.id for line in lines),
                variant_id=link.shopify_variant_id if link else None,
                title=title,
                seller_sku=first.seller_sku,
                unit_price=price,
            )
        )
    return built


def _line_input(group: LineGroup, currency: str) -> LineItemInput:
    quantity = len(group.tiktok_line_ids)
    bag = MoneyBagInput.of(group.unit_price, currency)
    if group.variant_id is None:
        # A virtual line: not linked to any Shopify product, so no stock is touched.
        return LineItemInput(
            quantity=quantity, title=group.title, price_set=bag, sku=group.seller_sku or None
        )
    return LineItemInput(quantity=quantity, variant_id=group.variant_id, price_set=bag)


def shipping_charge(payment: Payment | None) -> Decimal:
    """Shipping the seller is paid: the original fee less the seller-funded shipping discount."""
    if payment is None:
        return Decimal(0)
    seller_discount = payment.shipping_fee_seller_discount
    if payment.original_shipping_fee and seller_discount is not None:
        return money(max(payment.original_shipping_fee - seller_discount, Decimal(0)))
    return money(payment.shipping_fee)


def address_of(order: Order) -> AddressInput | None:
    """The masked TikTok recipient address as a Shopify mailing address."""
    raw = order.recipient_address
    if raw is None:
        return None
    first, last = raw.first_name, raw.last_name
    if not (first or last) and raw.name:
        first, _, last = raw.name.partition(" ")
    districts = {d.address_level_name.lower(): d.address_name for d in raw.district_info}
    return AddressInput(
        first_name=first or None,
        last_name=last or None,
        address1=raw.address_line1 or raw.full_address or None,
        address2=raw.address_line2 or None,
        city=districts.get("city") or None,
        zip=raw.postal_code or None,
        country_code=raw.region_code or None,
        phone=raw.phone_number or None,
    )


def placeholder_email(order_id: str) -> str:
    """The address used when the buyer's TikTok relay email is not synced."""
    return f"tiktok-{order_id}@placeholder.invalid"


def market_tag(region: str) -> str:
    """The tag naming the TikTok market an order came from."""
    return f"TikTok Shop {region.upper()}"


def shop_tag(shop_id: str) -> str:
    """The tag naming the TikTok shop an order came from (markets of two sellers differ)."""
    return f"TikTok shop {shop_id}"


def to_shopify_order(
    order: Order, settings: OrderSettings, inputs: Inputs, *, on_hold: bool
) -> RelayPlan | Refusal:
    """Translate a paid TikTok order into orderCreate input, or say why it can't be."""
    refusal = refusal_for(order, settings, inputs)
    if refusal is not None:
        return refusal
    groups = _groups(order, settings, inputs)
    money_total = _totals(order, groups)
    return RelayPlan(
        order=_order_input(order, settings, inputs, groups, money_total),
        options=OrderCreateOptions(inventory_behaviour=_inventory_behaviour(settings)),
        hold=on_hold,
        groups=tuple(groups),
        totals=money_total,
    )


def _totals(order: Order, groups: Sequence[LineGroup]) -> Totals:
    tax = order.payment.tax if order.payment else Decimal(0)
    return totals(
        [(g.unit_price, len(g.tiktok_line_ids)) for g in groups],
        shipping_charge(order.payment),
        tax,
    )


def _order_input(
    order: Order,
    settings: OrderSettings,
    inputs: Inputs,
    groups: Sequence[LineGroup],
    money_total: Totals,
) -> OrderCreateInput:
    currency = order.payment.currency if order.payment else "USD"
    address = address_of(order)
    return OrderCreateInput(
        line_items=[_line_input(g, currency) for g in groups],
        currency=currency,
        email=_email(order, settings),
        tags=_tags(order, inputs),
        note=f"TikTok Shop order {order.id}",
        source_name=SOURCE_NAME,
        source_identifier=order.id,
        shipping_address=address,
        billing_address=address if settings.billing_same_as_shipping else None,
        shipping_lines=_shipping_lines(order, settings, money_total, currency),
        tax_lines=_tax_lines(money_total, settings, currency),
        transactions=[
            TransactionInput(
                amount_set=MoneyBagInput.of(money_total.total, currency),
                gateway=settings.payment_method,
            )
        ],
        custom_attributes=[
            AttributeInput(key="TikTok order id", value=order.id),
            AttributeInput(key="TikTok market", value=inputs.region.upper()),
            *([AttributeInput(key="TikTok shop", value=inputs.shop_id)] if inputs.shop_id else []),
        ],
        processed_at=datetime.fromtimestamp(order.create_time, UTC) if order.create_time else None,
        taxes_included=False,
    )


def _email(order: Order, settings: OrderSettings) -> str:
    if settings.sync_encrypted_email and order.buyer_email:
        return order.buyer_email
    return placeholder_email(order.id)


def _tags(order: Order, inputs: Inputs) -> list[str]:
    fbt = ["TikTok FBT"] if order.fulfillment_type == FBT else []
    shop = [shop_tag(inputs.shop_id)] if inputs.shop_id else []
    return [market_tag(inputs.region), *shop, "TikTok Shop", *fbt]


def _inventory_behaviour(settings: OrderSettings) -> InventoryBehaviour:
    if settings.prevent_negative_inventory:
        return "DECREMENT_OBEYING_POLICY"
    return "DECREMENT_IGNORING_POLICY"


DEFAULT_SHIPPING_TITLE = "TikTok Shop shipping"


def shopify_shipping_method(order: Order, mapping: Mapping[str, str]) -> str | None:
    """The Shopify shipping method mapped to the order's TikTok shipping option (by delivery
    option id first: names are for display and may be translated), if any."""
    for key in (order.delivery_option_id, order.delivery_option_name.strip()):
        if key and key in mapping:
            return mapping[key]
    return None


def _shipping_lines(
    order: Order, settings: OrderSettings, t: Totals, currency: str
) -> list[ShippingLineInput]:
    method = shopify_shipping_method(order, settings.shipping_option_map)
    return [
        ShippingLineInput(
            title=method or DEFAULT_SHIPPING_TITLE,
            # Shopify apps and ERPs route by the code; an unmapped option keeps TikTok's name.
            code=method or order.delivery_option_name or None,
            price_set=MoneyBagInput.of(t.shipping, currency),
            source=SOURCE_NAME,
        )
    ]


def _tax_lines(t: Totals, settings: OrderSettings, currency: str) -> list[TaxLineInput] | None:
    if t.tax <= 0:
        return None
    return [
        TaxLineInput(
            title="TikTok Shop tax",
            rate=tax_rate(t.tax, t.subtotal + t.shipping),
            price_set=MoneyBagInput.of(t.tax, currency),
            channel_liable=settings.channel_liable_tax,
        )
    ]


@dataclass(frozen=True)
class StockLevel:
    """Available units of a variant at the configured location."""

    available: int
    enforced: bool  # tracked, and Shopify refuses to sell below 0
    sku: str | None = None


def stock_refusal(
    groups: Sequence[LineGroup], stock: Mapping[str, StockLevel], location_id: str
) -> Refusal | None:
    """With 'Prevent Negative Inventory' on: refuse when the location can't cover the order."""
    wanted: dict[str, int] = {}
    for group in groups:
        if group.variant_id:
            wanted[group.variant_id] = wanted.get(group.variant_id, 0) + len(group.tiktok_line_ids)
    short = [
        f"{stock[v].sku or v}: ordered {n}, available {stock[v].available}"
        for v, n in wanted.items()
        if v in stock and stock[v].enforced and stock[v].available < n
    ]
    if not short:
        return None
    return Refusal(
        "out_of_stock",
        f"Not enough stock at the inventory location ({location_id.rsplit('/', 1)[-1]}): "
        + "; ".join(short)
        + ". Restock in Shopify, or turn off 'Prevent Negative Inventory'.",
    )
