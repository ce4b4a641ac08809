"""Stores connected with their own Shopify custom app's access token (FAQ: "What's an APP key,
APP secret, and Access Token?") instead of the connector's OAuth: Shopify signs their webhooks
with that custom app's API secret key, kept sealed beside the connection's other secrets."""

from connector_runtime.db import Connection, RequestPool
from shopify import verify_webhook

from gateway.settings import GatewaySettings


async def custom_app_secrets(db: Connection, shop_domain: str) -> list[str]:
    """The sealed API secret keys of the custom apps a store's connections were made with."""
    rows = await db.fetch(
        "SELECT s.shopify_webhook_secret FROM connection_secrets s JOIN connections c"
        " USING (connection_id) WHERE c.shopify_shop_domain = $1"
        " AND s.shopify_webhook_secret IS NOT NULL",
        shop_domain,
    )
    return [str(r["shopify_webhook_secret"]) for r in rows]


async def signed_by_custom_app(
    pool: RequestPool,
    settings: GatewaySettings,
    shop_domain: str,
    body: bytes,
    signature: str | None,
) -> bool:
    """Whether a webhook the connector's own app secret did not sign was signed by the custom
    app of a store connected with one (one indexed read; only after that first check failed)."""
    if not signature or not shop_domain:
        return False
    async with pool.connection() as db:
        sealed = await custom_app_secrets(db, shop_domain)
    box = settings.secret_box()
    return any(verify_webhook(body, signature, box.open(s)) for s in sealed)
