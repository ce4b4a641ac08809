"""Shopify inventory_levels/update (reference B6/B8): an item's available stock at a location.

Only the item, location, quantity and Shopify's `updated_at` travel on: inventory-guard orders
by that instant, because deliveries can arrive late, twice or out of order (B8).
"""

from collections.abc import Sequence

from connector_contracts import Event, InventoryChanged

from gateway.core.shopify_bodies import InventoryLevelBody, aware, gid
from gateway.core.shopify_webhooks import ShopifyWebhook

INVENTORY_LEVELS_UPDATE = "inventory_levels/update"


def to_inventory_changed(webhook: ShopifyWebhook) -> Sequence[Event]:
    """An inventory_levels/update webhook as one `inventory.changed` fact (none when Shopify
    sends no available figure: an item it does not track)."""
    body = InventoryLevelBody.model_validate(webhook.body)
    if body.available is None:
        return []
    return [
        InventoryChanged(
            shopify_inventory_item_id=gid("InventoryItem", body.inventory_item_id),
            shopify_location_id=gid("Location", body.location_id),
            available=body.available,
            updated_at=aware(body.updated_at, webhook.triggered_at),
        )
    ]


TRANSLATORS = {INVENTORY_LEVELS_UPDATE: to_inventory_changed}
