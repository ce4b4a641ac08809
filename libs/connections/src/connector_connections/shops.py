"""The TikTok shops (regions) of a connection, as per-region code should see them.

Inventory, pricing and every other per-region capability key their state by
`(connection_id, shop_id)` and take the shops from here, never from the connection's
fields directly, so the connection model can hold one shop or several (ADR 0023).
"""

from pydantic import BaseModel, ConfigDict, Field

from connector_connections.replica import Connection


class Shop(BaseModel):
    """One authorized TikTok shop of a connection: one market (region)."""

    model_config = ConfigDict(frozen=True)

    shop_id: str = Field(description="TikTok shop id.")
    region: str = Field(description="TikTok market, e.g. `US`, `GB`, `DE`.")
    cipher: str = Field(description="TikTok `shop_cipher`, sent with every shop-scoped call.")


def shops_of(connection: Connection) -> list[Shop]:
    """The connection's authorized TikTok shops, the default region first."""
    if not (connection.tiktok_shop_id and connection.tiktok_shop_cipher):
        return []
    return [
        Shop(
            shop_id=connection.tiktok_shop_id,
            region=connection.tiktok_region,
            cipher=connection.tiktok_shop_cipher,
        )
    ]


def shop_of(connection: Connection, shop_id: str) -> Shop | None:
    """One of the connection's shops by id; None when the connection does not hold it."""
    return next((s for s in shops_of(connection) if s.shop_id == shop_id), None)
