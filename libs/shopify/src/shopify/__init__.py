"""Async client for the Shopify Admin GraphQL API: OAuth, cost-aware throttling, bulk operations."""

from shopify.bulk import assemble_products, products_bulk_query
from shopify.client import ShopifyClient
from shopify.config import DEFAULT_API_VERSION, ShopifyConfig
from shopify.errors import (
    AmbiguousWriteError,
    InventoryStaleError,
    ShopifyAuthError,
    ShopifyBudgetWait,
    ShopifyError,
    ShopifyGraphQLError,
    ShopifyThrottledError,
    ShopifyTransportError,
    ShopifyUserError,
)
from shopify.oauth import (
    AccessToken,
    ShopifyOAuth,
    callback_hmac,
    is_shop_domain,
    validate_callback,
)
from shopify.throttle import CostBucket, ThrottleRegistry
from shopify.tokens import RefreshingToken, StaticToken, TokenSource
from shopify.webhook_signatures import verify_webhook, webhook_hmac

__all__ = [
    "DEFAULT_API_VERSION",
    "AccessToken",
    "AmbiguousWriteError",
    "CostBucket",
    "InventoryStaleError",
    "RefreshingToken",
    "ShopifyAuthError",
    "ShopifyBudgetWait",
    "ShopifyClient",
    "ShopifyConfig",
    "ShopifyError",
    "ShopifyGraphQLError",
    "ShopifyOAuth",
    "ShopifyThrottledError",
    "ShopifyTransportError",
    "ShopifyUserError",
    "StaticToken",
    "ThrottleRegistry",
    "TokenSource",
    "assemble_products",
    "callback_hmac",
    "is_shop_domain",
    "products_bulk_query",
    "validate_callback",
    "verify_webhook",
    "webhook_hmac",
]
