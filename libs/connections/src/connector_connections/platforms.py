"""Platform API clients for one connection, built from its replica and the service settings."""

from dataclasses import dataclass
from typing import Any, Self

from connector_runtime.refusals import SetupIncomplete
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings
from shopify import ShopifyClient, ShopifyConfig
from shopify.errors import ShopifyThrottledError, ShopifyTransportError
from tiktok_shop import TikTokShopClient
from tiktok_shop.errors import RateLimited, ServerError, TransportError

from connector_connections.crypto import SecretBox
from connector_connections.replica import Connection

# Secrets have no default anywhere in the source: a service refuses to start without them
# (the devstack passes its sandbox values explicitly, see connector_devstack.sandboxes).
_REQUIRED_SECRETS = (
    "connector_secret_key",
    "connector_identity_key",
    "shopify_client_secret",
    "tiktok_app_secret",
)
# An HMAC key guessable in less than 2^128 tries would let anyone inside the network pose as
# any account to the services.
MIN_IDENTITY_KEY_LENGTH = 32


class PlatformSettings(BaseSettings):
    """Where the platforms are and who we are to them (mixed into service settings)."""

    connector_secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Required. Fernet keys shared by all services, comma-separated: the first"
        " encrypts tokens on Kafka and at rest, all decrypt (key rotation).",
    )
    connector_identity_key: SecretStr = Field(
        default=SecretStr(""),
        description="Required. Key shared by all services (at least 32 characters): the gateway"
        " signs the caller's identity with it, the services refuse API requests without a valid"
        " signature (ADR 0820).",
    )
    shopify_api_version: str = Field(default="2026-01", description="Pinned Admin API version.")
    shopify_base_url_template: str = Field(
        default="https://{shop}",
        description="Shopify shop URL; `{shop}` is `<name>.myshopify.com` (sandbox: its /shops/{shop}).",
    )
    shopify_client_id: str = Field(
        default="sandbox-client-id", description="Shopify app client id."
    )
    shopify_client_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Required. Shopify app client secret (OAuth, webhook HMAC).",
    )
    tiktok_app_key: str = Field(default="sandbox-app-key", description="TikTok Shop app key.")
    tiktok_app_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Required. TikTok Shop app secret (request signing, webhook signatures).",
    )
    tiktok_api_base_url: str = Field(
        default="https://open-api.tiktokglobalshop.com", description="TikTok Shop Open API host."
    )
    tiktok_auth_base_url: str = Field(
        default="https://auth.tiktok-shops.com", description="TikTok Shop OAuth token host."
    )

    @model_validator(mode="after")
    def _secrets_are_set(self) -> Self:
        missing = [n.upper() for n in _REQUIRED_SECRETS if not getattr(self, n).get_secret_value()]
        if missing:
            raise ValueError(f"missing required environment variable(s): {', '.join(missing)}")
        if len(self.connector_identity_key.get_secret_value()) < MIN_IDENTITY_KEY_LENGTH:
            raise ValueError(
                f"CONNECTOR_IDENTITY_KEY is shorter than {MIN_IDENTITY_KEY_LENGTH} characters"
            )
        self.secret_box()  # a malformed key stops the start here, not at the first token
        return self

    def secret_box(self) -> SecretBox:
        """The shared token encryption."""
        return SecretBox(self.connector_secret_key.get_secret_value())


@dataclass
class PlatformClients:
    """Both platforms' clients for one connection; close with `aclose()`."""

    shopify: ShopifyClient
    tiktok: TikTokShopClient

    async def aclose(self) -> None:
        """Close both HTTP connection pools."""
        await self.shopify.aclose()
        await self.tiktok.aclose()


class NotAuthorized(SetupIncomplete):
    """The connection lacks a platform authorization the operation needs (a route meeting it
    answers 409 with the reason: the merchant authorizes, then tries again)."""


# A platform is away or throttling past the clients' own retries: worth trying again later
# (services park such messages instead of dead-lettering them).
PLATFORM_UNAVAILABLE: tuple[type[BaseException], ...] = (
    ShopifyTransportError,
    ShopifyThrottledError,
    TransportError,
    RateLimited,
    ServerError,
)


def shopify_client(
    connection: Connection, settings: PlatformSettings, max_budget_wait_seconds: float | None = None
) -> ShopifyClient:
    """A Shopify client for the connection's store (`max_budget_wait_seconds`: see
    `ShopifyConfig`; None waits for the store's cost budget however long it takes)."""
    if not connection.shopify_access_token:
        raise NotAuthorized(f"Shopify store {connection.shopify_shop_domain} is not authorized")
    token = settings.secret_box().open(connection.shopify_access_token)
    config = ShopifyConfig(
        api_version=settings.shopify_api_version,
        base_url_template=settings.shopify_base_url_template,
        max_budget_wait_seconds=max_budget_wait_seconds,
    )
    return ShopifyClient(connection.shopify_shop_domain, token, config=config)


def tiktok_client(
    connection: Connection, settings: PlatformSettings, **options: Any
) -> TikTokShopClient:
    """A TikTok Shop client for the connection's shop (`options`: e.g. qps_per_endpoint)."""
    if not (connection.tiktok_access_token and connection.tiktok_shop_cipher):
        raise NotAuthorized(f"TikTok shop for {connection.name} is not authorized")
    return TikTokShopClient(
        app_key=settings.tiktok_app_key,
        app_secret=settings.tiktok_app_secret.get_secret_value(),
        access_token=settings.secret_box().open(connection.tiktok_access_token),
        shop_cipher=connection.tiktok_shop_cipher,
        base_url=settings.tiktok_api_base_url,
        auth_base_url=settings.tiktok_auth_base_url,
        **options,
    )


def clients_for(
    connection: Connection,
    settings: PlatformSettings,
    *,
    shopify_max_budget_wait_seconds: float | None = None,
    **tiktok_options: Any,
) -> PlatformClients:
    """Both clients for a connection (NotAuthorized when a platform is missing)."""
    return PlatformClients(
        shopify_client(connection, settings, shopify_max_budget_wait_seconds),
        tiktok_client(connection, settings, **tiktok_options),
    )
