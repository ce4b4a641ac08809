"""Every service's replica of the merchant connections, kept from `connection.created`."""

from connector_contracts import ConnectionCreated, Envelope

from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects


async def on_connection_created(envelope: Envelope[ConnectionCreated], fx: Effects) -> None:
    """Store (or refresh) this service's copy of a merchant connection."""
    c = envelope.payload
    await fx.conn.execute(
        "INSERT INTO connections"
        " (connection_id, name, shopify_shop_domain, tiktok_shop_id, tiktok_region)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connection_id) DO UPDATE SET"
        " name = $2, shopify_shop_domain = $3, tiktok_shop_id = $4, tiktok_region = $5,"
        " updated_at = now()",
        c.connection_id,
        c.name,
        c.shopify_shop_domain,
        c.tiktok_shop_id,
        c.tiktok_region,
    )


def track_connections(router: EventRouter) -> EventRouter:
    """Add the connection replica handler to a service's router."""
    router.on(ConnectionCreated)(on_connection_created)
    return router
