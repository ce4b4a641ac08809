"""Every message type by name, for decoding, schema export and topic creation."""

from connector_contracts.catalog import ProductPulled, ProductPushed
from connector_contracts.connections import ConnectionCreated
from connector_contracts.envelope import Event
from connector_contracts.inventory import InventoryChanged
from connector_contracts.orders import OrderPaid, OrderStatusChanged

EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        ConnectionCreated,
        OrderStatusChanged,
        OrderPaid,
        ProductPulled,
        ProductPushed,
        InventoryChanged,
    )
}


def event_type_for(name: str) -> type[Event]:
    """Return the payload class registered under a type name (KeyError when unknown)."""
    return EVENT_TYPES[name]
