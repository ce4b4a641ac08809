"""Async client for the TikTok Shop Open API (202309+): signing, OAuth, QPS pacing, typed errors."""

from tiktok_shop.auth import OAuthClient, RefreshingToken, TokenSet, authorize_url
from tiktok_shop.calls import RetryPolicy
from tiktok_shop.client import DEFAULT_BASE_URL, TikTokShopClient
from tiktok_shop.errors import (
    ApiError,
    BusinessError,
    CredentialError,
    InvalidSign,
    MissingShopCipher,
    RateLimited,
    RequestTimeout,
    ServerError,
    TikTokShopError,
    TokenExpired,
    TransportError,
)
from tiktok_shop.pagination import Page, paginate
from tiktok_shop.signing import request_sign, verify_webhook, webhook_signature
from tiktok_shop.webhook_events import InvalidWebhookSignature, Webhook, parse_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "BusinessError",
    "CredentialError",
    "InvalidSign",
    "InvalidWebhookSignature",
    "MissingShopCipher",
    "OAuthClient",
    "Page",
    "RateLimited",
    "RefreshingToken",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "TikTokShopClient",
    "TikTokShopError",
    "TokenExpired",
    "TokenSet",
    "TransportError",
    "Webhook",
    "authorize_url",
    "paginate",
    "parse_webhook",
    "request_sign",
    "verify_webhook",
    "webhook_signature",
]
