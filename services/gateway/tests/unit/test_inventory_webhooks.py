"""Shopify inventory_levels/update as an `inventory.changed` contract event."""

from datetime import UTC, datetime
from typing import Any

import pytest
from connector_contracts import Event, InventoryChanged
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.webhook_routes import SHOPIFY_TRANSLATORS
from pydantic import ValidationError

# The REST InventoryLevel body Shopify sends (B6): numeric ids, the level's own gid.
BODY = {
    "inventory_item_id": 271878346596884015,
    "location_id": 24826418,
    "available": 7,
    "updated_at": "2026-01-09T19:36:10-05:00",
    "admin_graphql_api_id": "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015",
}


def translate(body: dict[str, Any]) -> list[Event]:
    webhook = ShopifyWebhook(
        topic="inventory_levels/update",
        shop_domain="s.myshopify.com",
        webhook_id="w",
        triggered_at=datetime(2026, 1, 10, tzinfo=UTC),
        body=body,
    )
    return list(SHOPIFY_TRANSLATORS["inventory_levels/update"](webhook))


def test_level_update_carries_item_location_quantity_and_shopify_time() -> None:
    (event,) = translate(BODY)
    assert event == InventoryChanged(
        shopify_inventory_item_id="gid://shopify/InventoryItem/271878346596884015",
        shopify_location_id="gid://shopify/Location/24826418",
        available=7,
        updated_at=datetime(2026, 1, 10, 0, 36, 10, tzinfo=UTC),
    )
    assert event.key() == "gid://shopify/InventoryItem/271878346596884015"


def test_negative_available_is_kept_and_a_missing_time_falls_back_to_the_delivery() -> None:
    (event,) = translate(BODY | {"available": -3, "updated_at": None})
    assert isinstance(event, InventoryChanged)
    assert (event.available, event.updated_at) == (-3, datetime(2026, 1, 10, tzinfo=UTC))


def test_untracked_item_without_available_is_no_event() -> None:
    assert translate(BODY | {"available": None}) == []


@pytest.mark.parametrize(
    "body",
    [
        {k: v for k, v in BODY.items() if k != "inventory_item_id"},
        BODY | {"location_id": "9" * 300},
        BODY | {"available": 10**9},
        BODY | {"available": "many"},
    ],
)
def test_malformed_bodies_are_refused_naming_the_field(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        translate(body)
