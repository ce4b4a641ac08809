"""The TikTok shops (regions) of a connection, as per-region code should see them.

Inventory, pricing and every other per-region capability key their state by
`(connection_id, shop_id)` and take the shops from here, never from the connection's
fields directly, so the connection model can hold one shop or several (ADR 0023, 0300).
"""

from connector_contracts import ShopStatus, TikTokShopGrant
from connector_runtime.db import Connection as Db
from pydantic import BaseModel, ConfigDict, Field

from connector_connections.replica import Connection, load_connection


class Shop(BaseModel):
    """One authorized TikTok shop of a connection: one market (region)."""

    model_config = ConfigDict(frozen=True)

    shop_id: str = Field(description="TikTok shop id.")
    region: str = Field(description="TikTok market, e.g. `US`, `GB`, `DE`.")
    cipher: str = Field(description="TikTok `shop_cipher`, sent with every shop-scoped call.")


def _authorized(grant: TikTokShopGrant) -> bool:
    return grant.status is ShopStatus.AUTHORIZED and grant.access_token is not None


def shops_of(connection: Connection) -> list[Shop]:
    """The connection's authorized TikTok shops, the default region first."""
    grants = [g for g in connection.tiktok_shops if _authorized(g)]
    return [Shop(shop_id=g.shop_id, region=g.region, cipher=g.cipher) for g in grants]


def shop_of(connection: Connection, shop_id: str) -> Shop | None:
    """One of the connection's shops by id; None when the connection does not hold it."""
    return next((s for s in shops_of(connection) if s.shop_id == shop_id), None)


def shop_in_region(connection: Connection, region: str) -> Shop | None:
    """The connection's authorized shop in a market (`region`, e.g. `DE`), if any."""
    return next((s for s in shops_of(connection) if s.region == region.upper()), None)


def as_shop(connection: Connection, shop: Shop) -> Connection:
    """The connection as seen from one of its shops: that shop is its default (first), so
    code built on the default shop's fields (a client, a replica column) calls that shop."""
    grants = connection.tiktok_shops
    chosen = [g for g in grants if g.shop_id == shop.shop_id]
    rest = [g for g in grants if g.shop_id != shop.shop_id]
    return Connection.model_validate(
        {**connection.model_dump(), "tiktok_shops": [g.model_dump() for g in chosen + rest]}
    )


def region_of(connection: Connection, shop_id: str | None) -> str:
    """The market of one of the connection's shops (whatever its status, for history), else
    the connection's default market."""
    found = next((g.region for g in connection.tiktok_shops if g.shop_id == shop_id), None)
    return found or connection.tiktok_region


def region_shop_id(connection: Connection, region: str | None) -> str | None:
    """The shop id of a market the merchant selected (`region`, e.g. `DE`; None: the default
    region); None when the connection has no shop in that market. Shops of any status count,
    so a region deauthorized keeps showing its data."""
    if region is None:
        shops = shops_of(connection)
        return shops[0].shop_id if shops else connection.tiktok_shop_id
    wanted = region.upper()
    found = [g for g in connection.tiktok_shops if g.region == wanted]
    live = [g for g in found if _authorized(g)]
    return (live or found)[0].shop_id if found else None


class UnknownRegion(LookupError):
    """The merchant selected a market the connection has no TikTok shop in (a 404)."""


async def region_scope(db: Db, connection_id: str, region: str | None) -> str | None:
    """The TikTok shop id of the region an API request selected (None: the default region's;
    None too when the connection has no shop yet). UnknownRegion when the connection (or its
    shop in that market) is unknown, in words the merchant reads."""
    connection = await load_connection(db, connection_id)
    if connection is None:
        if region is None:
            return None
        raise UnknownRegion(f"no connection {connection_id}")
    shop_id = region_shop_id(connection, region)
    if shop_id is None and region is not None:
        raise UnknownRegion(f"{region.upper()} is not a region of {connection.name}")
    return shop_id
