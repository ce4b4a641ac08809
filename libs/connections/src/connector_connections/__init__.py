"""Merchant connections as every service sees them: replica, credentials, platform clients."""

from connector_connections.clients import ClientCache
from connector_connections.crypto import SecretBox
from connector_connections.erasure import track_shop_redaction
from connector_connections.locations import (
    former_locations_job,
    hand_over_former_locations,
    inventory_locations,
    location_card,
    track_inventory_locations,
)
from connector_connections.platforms import PlatformClients, PlatformSettings, clients_for
from connector_connections.replica import (
    Connection,
    connection_for_tiktok_shop,
    connections_for_shopify_shop,
    load_connection,
    track_connections,
)
from connector_connections.shops import (
    Shop,
    UnknownRegion,
    region_of,
    region_scope,
    region_shop_id,
    shop_in_region,
    shop_of,
    shops_of,
)

__all__ = [
    "ClientCache",
    "Connection",
    "PlatformClients",
    "PlatformSettings",
    "SecretBox",
    "Shop",
    "UnknownRegion",
    "clients_for",
    "connection_for_tiktok_shop",
    "connections_for_shopify_shop",
    "former_locations_job",
    "hand_over_former_locations",
    "inventory_locations",
    "load_connection",
    "location_card",
    "region_of",
    "region_scope",
    "region_shop_id",
    "shop_in_region",
    "shop_of",
    "shops_of",
    "track_connections",
    "track_inventory_locations",
    "track_shop_redaction",
]
