"""Connection events: a merchant linked one Shopify store to one TikTok shop."""

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from connector_contracts.envelope import Event


class ConnectionStatus(StrEnum):
    """Lifecycle of a connection."""

    PENDING = "pending"  # created, at least one platform not authorized yet
    ACTIVE = "active"  # both platforms authorized
    DISCONNECTED = "disconnected"  # app uninstalled or seller deauthorized


class ConnectionChanged(Event):
    """The full current state of a connection; every service keeps its own replica.

    Tokens travel encrypted (Fernet, key `CONNECTOR_SECRET_KEY`); refresh tokens never leave
    the gateway, which refreshes access tokens and publishes the new state.
    """

    TYPE: ClassVar[str] = "connection.changed"

    connection_id: str = Field(description="Connection id (also in the envelope).")
    revision: int = Field(ge=1, description="Increases with every change; older ones are stale.")
    name: str = Field(description="Display name chosen by the merchant.")
    status: ConnectionStatus
    shopify_shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    shopify_access_token: str | None = Field(
        default=None, description="Encrypted Shopify Admin API access token."
    )
    tiktok_region: str = Field(description="TikTok market, e.g. `US`, `GB`, `DE`.")
    tiktok_shop_id: str | None = Field(default=None, description="TikTok shop id (a string).")
    tiktok_shop_cipher: str | None = Field(default=None, description="TikTok `shop_cipher`.")
    tiktok_access_token: str | None = Field(
        default=None, description="Encrypted TikTok Shop access token."
    )
    tiktok_access_token_expires_at: AwareDatetime | None = None
    authorization_problem: str | None = Field(
        default=None,
        description="Why a platform authorization stopped working (e.g. a refresh token the"
        " platform refused), in the merchant's words; authorizing again clears it.",
    )

    def key(self) -> str:
        return self.connection_id
