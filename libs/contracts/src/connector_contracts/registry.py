"""Every message type by name, for decoding, schema export and topic creation."""

from connector_contracts.catalog import (
    CatalogCsvApplyRequested,
    CatalogGlobalRequested,
    CatalogLinkRequested,
    CatalogPullRequested,
    CatalogPushRequested,
    InventorySyncRequested,
    PriceSyncRequested,
    ProductPulled,
    ProductPushed,
    ProductSyncChanged,
    ShopifyBulkOperationFinished,
    ShopifyProductChanged,
    TikTokProductChanged,
)
from connector_contracts.connections import ConnectionChanged
from connector_contracts.envelope import Event
from connector_contracts.inventory import (
    FormerInventoryLocation,
    InventoryChanged,
    InventoryLocationsChanged,
)
from connector_contracts.orders import ORDER_EVENTS, OrderPaid, OrderStatusChanged
from connector_contracts.pricing import ProductPriceSynced, TikTokActivityChanged
from connector_contracts.privacy import PRIVACY_EVENTS
from connector_contracts.tasks import TASK_EVENTS

_ALL: tuple[type[Event], ...] = (
    ConnectionChanged,
    OrderStatusChanged,
    OrderPaid,
    ProductPulled,
    ProductPushed,
    ProductSyncChanged,
    CatalogPullRequested,
    CatalogPushRequested,
    CatalogCsvApplyRequested,
    CatalogLinkRequested,
    CatalogGlobalRequested,
    ShopifyProductChanged,
    ShopifyBulkOperationFinished,
    TikTokProductChanged,
    InventorySyncRequested,
    PriceSyncRequested,
    FormerInventoryLocation,
    InventoryChanged,
    TikTokActivityChanged,
    ProductPriceSynced,
    InventoryLocationsChanged,
    *ORDER_EVENTS,
    *PRIVACY_EVENTS,
    *TASK_EVENTS,
)

EVENT_TYPES: dict[str, type[Event]] = {cls.TYPE: cls for cls in _ALL}


def event_type_for(name: str) -> type[Event]:
    """Return the payload class registered under a type name (KeyError when unknown)."""
    return EVENT_TYPES[name]
