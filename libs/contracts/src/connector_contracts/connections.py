"""Connection events: a merchant linked one Shopify store to one or more TikTok shops (regions)."""

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from connector_contracts.envelope import Event


class ConnectionStatus(StrEnum):
    """Lifecycle of a connection."""

    PENDING = "pending"  # created, at least one platform not authorized yet
    ACTIVE = "active"  # the Shopify store and at least one TikTok shop authorized
    DISCONNECTED = "disconnected"  # app uninstalled or the seller deauthorized every shop


class ShopStatus(StrEnum):
    """Lifecycle of one TikTok shop (region) of a connection."""

    AUTHORIZED = "authorized"  # its token works: the region syncs
    NEEDS_REAUTHORIZATION = "needs_reauthorization"  # TikTok refused to refresh its token
    DEAUTHORIZED = "deauthorized"  # the seller revoked the app for this shop


class TikTokShopGrant(BaseModel):
    """One TikTok shop of a connection (one market, a region) and its own authorization.

    Each shop is authorized on its own ("Add Country/Region"), so each has its own tokens,
    expiry, status and problem; the first one of a connection is its default region.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    shop_id: str = Field(description="TikTok shop id (a string).")
    region: str = Field(description="TikTok market, e.g. `US`, `GB`, `DE`.")
    cipher: str = Field(description="TikTok `shop_cipher`, sent with every shop-scoped call.")
    seller_id: str = Field(default="", description="TikTok seller (`open_id`) owning the shop.")
    access_token: str | None = Field(
        default=None, description="Encrypted TikTok Shop access token of this shop's grant."
    )
    access_token_expires_at: AwareDatetime | None = None
    status: ShopStatus = ShopStatus.AUTHORIZED
    authorization_problem: str | None = Field(
        default=None, description="Why this shop's authorization stopped, in the merchant's words."
    )


# The connection's top-level TikTok fields mirror the default shop (for single-region readers).
_MIRRORED = {
    "tiktok_shop_id": "shop_id",
    "tiktok_shop_cipher": "cipher",
    "tiktok_access_token": "access_token",
    "tiktok_access_token_expires_at": "access_token_expires_at",
}


class ConnectionChanged(Event):
    """The full current state of a connection; every service keeps its own replica.

    Tokens travel encrypted (Fernet, key `CONNECTOR_SECRET_KEY`); refresh tokens never leave
    the gateway, which refreshes access tokens and publishes the new state. `tiktok_shops` is
    the truth about regions; the `tiktok_region`/`tiktok_shop_*`/`tiktok_access_*` fields repeat
    its default shop (the first authorized one; the first one when none is), and a state
    published before regions existed (those fields only) reads as a connection of that one shop.
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
    tiktok_region: str = Field(
        description="Default TikTok market, e.g. `US`, `GB`, `DE` (the first authorized shop's)."
    )
    tiktok_shops: list[TikTokShopGrant] = Field(
        default_factory=list,
        description="The connection's TikTok shops (regions), the default (first authorized) first.",
    )
    tiktok_shop_id: str | None = Field(default=None, description="Default shop's id.")
    tiktok_shop_cipher: str | None = Field(default=None, description="Default shop's cipher.")
    tiktok_access_token: str | None = Field(
        default=None, description="Default shop's encrypted TikTok Shop access token."
    )
    tiktok_access_token_expires_at: AwareDatetime | None = None
    authorization_problem: str | None = Field(
        default=None,
        description="Why a platform authorization stopped working (e.g. a refresh token the"
        " platform refused), in the merchant's words; authorizing again clears it.",
    )
    account_id: str | None = Field(
        default=None,
        description="The merchant account owning the connection (None: none, or published"
        " before accounts travelled); services resolve a large account's connections from it"
        " (ADR 0840).",
    )
    removed: bool = Field(
        default=False,
        description="Its owner deleted the connection (or it expired while pending): every"
        " service purges its rows about it and keeps the replica row as a tombstone (ADR 0841).",
    )

    @model_validator(mode="before")
    @classmethod
    def _shops_and_their_mirror(cls, data: Any) -> Any:
        """Legacy single-shop state becomes one shop; otherwise the mirror follows the shops."""
        if not isinstance(data, dict):
            return data
        shops = data.get("tiktok_shops") or []
        if not shops:
            if data.get("tiktok_shop_id") and data.get("tiktok_shop_cipher"):
                return {**data, "tiktok_shops": [_legacy_shop(data)]}
            return data
        first = next((s for s in shops if _syncs(s)), shops[0])
        return {
            **data,
            "tiktok_region": _field(first, "region"),
            **{field: _field(first, attr) for field, attr in _MIRRORED.items()},
        }

    def key(self) -> str:
        return self.connection_id


def _field(shop: Any, name: str) -> Any:
    """A field of a shop given as a dict (JSON) or as a grant."""
    return shop.get(name) if isinstance(shop, dict) else getattr(shop, name, None)


def _syncs(shop: Any) -> bool:
    """Whether a shop (a dict or a grant) is authorized with a token: the default is the first."""
    status = _field(shop, "status") or ShopStatus.AUTHORIZED
    return bool(_field(shop, "access_token")) and ShopStatus(status) is ShopStatus.AUTHORIZED


def _legacy_shop(data: dict[str, Any]) -> dict[str, Any]:
    token = data.get("tiktok_access_token")
    return {
        "shop_id": data["tiktok_shop_id"],
        "region": data.get("tiktok_region", ""),
        "cipher": data["tiktok_shop_cipher"],
        "access_token": token,
        "access_token_expires_at": data.get("tiktok_access_token_expires_at"),
        "status": ShopStatus.AUTHORIZED if token else ShopStatus.NEEDS_REAUTHORIZATION,
        "authorization_problem": None if token else data.get("authorization_problem"),
    }
