"""Merchant connections as every service sees them: replica, credentials, platform clients."""

from connector_connections.clients import ClientCache
from connector_connections.crypto import SecretBox
from connector_connections.erasure import track_shop_redaction
from connector_connections.platforms import PlatformClients, PlatformSettings, clients_for
from connector_connections.replica import (
    Connection,
    connection_for_tiktok_shop,
    load_connection,
    track_connections,
)

__all__ = [
    "ClientCache",
    "Connection",
    "PlatformClients",
    "PlatformSettings",
    "SecretBox",
    "clients_for",
    "connection_for_tiktok_shop",
    "load_connection",
    "track_connections",
    "track_shop_redaction",
]
