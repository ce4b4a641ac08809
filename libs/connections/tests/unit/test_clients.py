"""The client cache: one pair per connection revision, replaced and ending pairs closed."""

import asyncio

import pytest
from connector_connections import ClientCache, Connection, PlatformClients, Shop, shops_of
from connector_connections.platforms import NotAuthorized
from connector_contracts import ConnectionStatus, TikTokShopGrant


class FakeClient:
    """Stands for one platform's client: only closing matters here."""

    def __init__(self) -> None:
        self.closed = asyncio.Event()

    async def aclose(self) -> None:
        self.closed.set()


def connection(revision: int, connection_id: str = "c1") -> Connection:
    return Connection(
        connection_id=connection_id,
        revision=revision,
        name="Shop",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="shop.myshopify.com",
        tiktok_region="US",
    )


def cache_of(built: list[PlatformClients]) -> ClientCache:
    def build(_: Connection) -> PlatformClients:
        clients = PlatformClients(FakeClient(), FakeClient())  # type: ignore[arg-type]
        built.append(clients)
        return clients

    return ClientCache(build)


def closed(clients: PlatformClients) -> bool:
    return clients.shopify.closed.is_set() and clients.tiktok.closed.is_set()  # type: ignore[attr-defined]


async def test_the_same_revision_reuses_its_clients() -> None:
    built: list[PlatformClients] = []
    cache = cache_of(built)
    first = cache.get(connection(1))
    assert cache.get(connection(1)) is first
    assert cache.get(connection(1, "c2")) is not first
    assert len(built) == 2


async def test_a_new_revision_builds_new_clients_and_closes_the_replaced_ones() -> None:
    built: list[PlatformClients] = []
    cache = cache_of(built)
    old = cache.get(connection(1))
    new = cache.get(connection(2))
    assert new is not old
    await asyncio.wait_for(old.tiktok.closed.wait(), 10)  # type: ignore[attr-defined]
    assert closed(old)
    assert not closed(new)


async def test_closing_the_cache_closes_every_pair() -> None:
    built: list[PlatformClients] = []
    cache = cache_of(built)
    cache.get(connection(1))
    cache.get(connection(2))
    cache.get(connection(1, "c2"))
    await cache.aclose()
    assert len(built) == 3
    assert all(closed(clients) for clients in built)


async def test_a_connection_not_authorized_is_not_cached() -> None:
    calls: list[str] = []

    def build(c: Connection) -> PlatformClients:
        calls.append(c.connection_id)
        raise NotAuthorized("Shopify store shop.myshopify.com is not authorized")

    cache = ClientCache(build)
    for _ in range(2):
        with pytest.raises(NotAuthorized):
            cache.get(connection(1))
    assert calls == ["c1", "c1"]


async def test_clients_for_a_shop_are_only_given_for_a_shop_of_the_connection() -> None:
    built: list[PlatformClients] = []
    cache = cache_of(built)
    authorized = regional(1, ("7001", "US"))
    shop = Shop(shop_id="7001", region="US", cipher="cipher-7001")
    assert cache.for_shop(authorized, shop) is cache.get(authorized)
    with pytest.raises(NotAuthorized):
        cache.for_shop(authorized, Shop(shop_id="7002", region="DE", cipher="cipher-2"))
    await cache.aclose()


def regional(revision: int, *shops: tuple[str, str]) -> Connection:
    grants = [
        TikTokShopGrant(shop_id=s, region=r, cipher=f"cipher-{s}", access_token=f"token-{s}")
        for s, r in shops
    ]
    return connection(revision).model_validate(
        {**connection(revision).model_dump(), "tiktok_shops": [g.model_dump() for g in grants]}
    )


async def test_each_shop_has_its_own_clients_calling_it() -> None:
    seen: list[tuple[str | None, str | None]] = []

    def build(c: Connection) -> PlatformClients:
        seen.append((c.tiktok_shop_cipher, c.tiktok_access_token))
        return PlatformClients(FakeClient(), FakeClient())  # type: ignore[arg-type]

    cache = ClientCache(build)
    eu = regional(1, ("1", "DE"), ("2", "FR"))
    de, fr = shops_of(eu)
    assert cache.for_shop(eu, fr) is not cache.for_shop(eu, de)
    assert cache.for_shop(eu, fr) is cache.for_shop(eu, fr)
    assert cache.get(eu) is cache.for_shop(eu, de)
    assert seen == [("cipher-2", "token-2"), ("cipher-1", "token-1")]
    replaced = cache.for_shop(eu, fr)
    cache.for_shop(regional(2, ("1", "DE"), ("2", "FR")), fr)
    await asyncio.wait_for(replaced.tiktok.closed.wait(), 10)  # type: ignore[attr-defined]
    await cache.aclose()
