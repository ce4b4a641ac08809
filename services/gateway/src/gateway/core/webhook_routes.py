"""Which translator turns which platform webhook into contract events.

Each domain adds its translators in its own module and registers them here; a webhook with no
translator is acknowledged and ignored (counted and logged).
"""

from collections.abc import Callable, Sequence

from connector_contracts import Event
from tiktok_shop.webhook_events import Webhook

from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.tiktok_webhooks import to_order_status_changed

TikTokTranslator = Callable[[Webhook], Sequence[Event]]
ShopifyTranslator = Callable[[ShopifyWebhook], Sequence[Event]]

TIKTOK_TRANSLATORS: dict[int, TikTokTranslator] = {
    1: lambda webhook: [to_order_status_changed(webhook)],  # ORDER_STATUS_CHANGE
}

SHOPIFY_TRANSLATORS: dict[str, ShopifyTranslator] = {}

# Handled by the gateway itself: the connection is disconnected.
TIKTOK_DEAUTHORIZATION = 6
SHOPIFY_APP_UNINSTALLED = "app/uninstalled"
