"""Subscribing a newly authorized Shopify store to the webhooks the connector listens to."""

from shopify import ShopifyClient, ShopifyConfig

from gateway.settings import GatewaySettings

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


async def subscribe_shopify_webhooks(
    shop: str, access_token: str, settings: GatewaySettings
) -> None:
    """Point every topic of the store at the gateway, skipping subscriptions that exist."""
    config = ShopifyConfig(
        api_version=settings.shopify_api_version,
        base_url_template=settings.shopify_base_url_template,
    )
    uri = f"{settings.public_url}/webhooks/shopify"
    async with ShopifyClient(shop, access_token, config=config) as client:
        existing = {(s.topic, s.uri) for s in await client.webhooks.all()}
        for topic in SHOPIFY_TOPICS:
            if (topic.upper().replace("/", "_"), uri) not in existing:
                await client.webhooks.create(topic, uri)
