"""Every message type by name, for decoding, schema export and topic creation."""

from connector_contracts.catalog import (
    CatalogPullRequested,
    CatalogPushRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    ProductPulled,
    ProductPushed,
    ShopifyProductChanged,
    TikTokProductChanged,
)
from connector_contracts.connections import ConnectionChanged
from connector_contracts.envelope import Event
from connector_contracts.inventory import InventoryChanged
from connector_contracts.orders import ORDER_EVENTS, OrderPaid, OrderStatusChanged

EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        ConnectionChanged,
        OrderStatusChanged,
        OrderPaid,
        ProductPulled,
        ProductPushed,
        CatalogPullRequested,
        CatalogPushRequested,
        ShopifyProductChanged,
        TikTokProductChanged,
        InventorySyncRequested,
        PriceSyncRequested,
        InventoryChanged,
        *ORDER_EVENTS,
    )
}


def event_type_for(name: str) -> type[Event]:
    """Return the payload class registered under a type name (KeyError when unknown)."""
    return EVENT_TYPES[name]
