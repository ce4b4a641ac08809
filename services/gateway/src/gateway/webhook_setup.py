"""Subscribing a newly authorized Shopify store to the webhooks the connector listens to."""

from gateway.platforms import Deps

# Reference B8: every topic the services react to; all arrive at one endpoint.
SHOPIFY_TOPICS = (
    "products/create",
    "products/update",
    "products/delete",
    "inventory_levels/update",
    "orders/cancelled",
    "orders/updated",
    "fulfillments/create",
    "fulfillments/update",
    "refunds/create",
    "app/uninstalled",
    "bulk_operations/finish",
)


async def subscribe_shopify_webhooks(deps: Deps, shop: str, access_token: str) -> None:
    """Point every topic of the store at the gateway, skipping subscriptions that exist."""
    uri = f"{deps.settings.public_url}/webhooks/shopify"
    async with deps.shopify_store(shop, access_token) as client:
        existing = {(s.topic, s.uri) for s in await client.webhooks.all()}
        for topic in SHOPIFY_TOPICS:
            if (topic.upper().replace("/", "_"), uri) not in existing:
                await client.webhooks.create(topic, uri)
