"""Publishing a connection's new state, and the Shopify OAuth client of the connector's app."""

from connector_connections.replica import upsert_connection
from connector_contracts import ConnectionChanged, new_envelope
from connector_runtime.db import Connection as Db_
from connector_runtime.outbox import write_outbox
from shopify import ShopifyConfig
from shopify.oauth import ShopifyOAuth

from gateway.settings import GatewaySettings


def shopify_oauth(settings: GatewaySettings) -> ShopifyOAuth:
    """The Shopify OAuth client of the connector's app."""
    config = ShopifyConfig(
        api_version=settings.shopify_api_version,
        base_url_template=settings.shopify_base_url_template,
    )
    return ShopifyOAuth(
        settings.shopify_client_id, settings.shopify_client_secret.get_secret_value(), config
    )


async def publish(db: Db_, settings: GatewaySettings, c: ConnectionChanged) -> None:
    """Store the connection's new state and publish it to every service (one transaction)."""
    await upsert_connection(db, c)
    await write_outbox(db, settings, new_envelope(c, connection_id=c.connection_id))
