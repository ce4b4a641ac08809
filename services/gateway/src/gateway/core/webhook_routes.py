"""Which translator turns which platform webhook into contract events.

Each domain adds its translators in its own module and registers them here; a webhook with no
translator is acknowledged and ignored (counted and logged).
"""

from collections.abc import Callable, Sequence

from connector_contracts import Event
from tiktok_shop.webhook_events import Webhook

from gateway.core import (
    shopify_bulk_webhooks,
    shopify_inventory_webhooks,
    shopify_privacy_webhooks,
    shopify_product_webhooks,
    tiktok_product_webhooks,
    tiktok_promotion_webhooks,
)
from gateway.core import shopify_order_webhooks as shopify_orders
from gateway.core import tiktok_order_webhooks as tiktok_orders
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.tiktok_webhooks import to_order_status_changed

TikTokTranslator = Callable[[Webhook], Sequence[Event]]
ShopifyTranslator = Callable[[ShopifyWebhook], Sequence[Event]]

TIKTOK_TRANSLATORS: dict[int, TikTokTranslator] = {
    1: lambda webhook: [to_order_status_changed(webhook)],  # ORDER_STATUS_CHANGE
    tiktok_orders.RECIPIENT_ADDRESS_UPDATE: tiktok_orders.to_address_changed,
    tiktok_orders.PACKAGE_UPDATE: tiktok_orders.to_packages_changed,
    tiktok_orders.CANCELLATION_STATUS_CHANGE: tiktok_orders.to_cancellation_changed,
    tiktok_orders.RETURN_STATUS_CHANGE: tiktok_orders.to_return_changed,
    tiktok_orders.INVOICE_STATUS_CHANGE: tiktok_orders.to_invoice_changed,
    **tiktok_product_webhooks.TRANSLATORS,
    **tiktok_promotion_webhooks.TRANSLATORS,
}

SHOPIFY_TRANSLATORS: dict[str, ShopifyTranslator] = {
    "fulfillments/create": shopify_orders.to_fulfillment_created,
    "fulfillments/update": shopify_orders.to_fulfillment_created,
    "orders/cancelled": shopify_orders.to_order_cancelled,
    "refunds/create": shopify_orders.to_refund_created,
    **shopify_product_webhooks.TRANSLATORS,
    **shopify_bulk_webhooks.TRANSLATORS,
    **shopify_inventory_webhooks.TRANSLATORS,
    **shopify_privacy_webhooks.TRANSLATORS,
}

# Handled by the gateway itself: the connection is disconnected.
TIKTOK_DEAUTHORIZATION = 6
SHOPIFY_APP_UNINSTALLED = "app/uninstalled"
