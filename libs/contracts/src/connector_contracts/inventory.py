"""Inventory events: stock changed for a Shopify inventory item at a location, and the
inventory locations each region counts (inventory-guard's setting, a card per connection)."""

from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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


class RegionLocations(BaseModel):
    """The Shopify locations whose stock one region (TikTok shop) counts."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    tiktok_shop_id: str
    region: str = Field(description="Market code, e.g. US, GB.")
    location_ids: list[str] = Field(
        default_factory=list,
        description="`gid://shopify/Location/...`; empty: every location, summed.",
    )


class InventoryLocationsChanged(Event):
    """A card: the inventory location setting of every region of a connection (the whole card;
    the latest replaces what a replica holds). Owned by inventory-guard (ADR 0023)."""

    TYPE: ClassVar[str] = "inventory.locations.changed"

    connection_id: str
    regions: list[RegionLocations] = Field(default_factory=list)
    revision: int = Field(ge=0, description="Grows with every change; replicas keep the highest.")

    def key(self) -> str:
        return self.connection_id

    def locations_of(self, tiktok_shop_id: str) -> list[str]:
        """The locations a region counts (empty: all, summed)."""
        found = next((r for r in self.regions if r.tiktok_shop_id == tiktok_shop_id), None)
        return found.location_ids if found else []

    def locations_in(self, region: str) -> list[str]:
        """The locations the region with this market code counts (empty: all, or unknown)."""
        found = next((r for r in self.regions if r.region.upper() == region.upper()), None)
        return found.location_ids if found else []


class FormerInventoryLocation(Event):
    """An inventory-location setting catalog-sync or order-relay kept before inventory-guard
    owned the setting (issue 9), handed over once so the guard adopts it for a region whose
    locations it never set. Sent by the service's hand-over job, never by a merchant."""

    TYPE: ClassVar[str] = "inventory.location.handed_over"

    connection_id: str
    location_id: str = Field(description="`gid://shopify/Location/...`.")
    tiktok_shop_id: str | None = Field(
        default=None, description="The region's shop (None: see `region`, else the default)."
    )
    region: str | None = Field(default=None, description="Market code (Global Products).")
    source: str = Field(description="catalog-sync or order-relay.")

    def key(self) -> str:
        return self.connection_id
