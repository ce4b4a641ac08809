"""Versioned event and command models shared by every service: the only coupling between them."""

from connector_contracts.catalog import ProductPulled, ProductPushed, SkuLink
from connector_contracts.connections import ConnectionCreated
from connector_contracts.envelope import Envelope, Event, new_envelope
from connector_contracts.inventory import InventoryChanged
from connector_contracts.orders import OrderPaid, OrderStatus, OrderStatusChanged
from connector_contracts.registry import EVENT_TYPES, event_type_for

__all__ = [
    "EVENT_TYPES",
    "ConnectionCreated",
    "Envelope",
    "Event",
    "InventoryChanged",
    "OrderPaid",
    "OrderStatus",
    "OrderStatusChanged",
    "ProductPulled",
    "ProductPushed",
    "SkuLink",
    "event_type_for",
    "new_envelope",
]
