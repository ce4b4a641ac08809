"""Inventory events: stock changed for a Shopify inventory item at a location."""

from typing import ClassVar

from pydantic import AwareDatetime, Field

from connector_contracts.envelope import Event


class InventoryChanged(Event):
    """Shopify reported a new available quantity for an inventory item at a location."""

    TYPE: ClassVar[str] = "inventory.changed"

    shopify_inventory_item_id: str
    shopify_location_id: str
    available: int = Field(description="Available quantity (may be negative in Shopify).")
    updated_at: AwareDatetime

    def key(self) -> str:
        return self.shopify_inventory_item_id
