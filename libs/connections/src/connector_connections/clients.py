"""One cache of platform clients per service: a client pair per shop and connection revision.

Clients are kept across messages (they pace their own QPS and reuse HTTP connections) and
rebuilt when the connection's revision changes (new tokens, a new shop); the replaced pair
and, at stop, every pair are closed. Each TikTok shop (region) of a connection has its own
pair, so each shop's calls carry its own cipher and token and pace its own QPS.
"""

import asyncio
from collections.abc import Callable

import structlog

from connector_connections.platforms import NotAuthorized, PlatformClients
from connector_connections.replica import Connection
from connector_connections.shops import Shop, as_shop, shop_of, shops_of

log = structlog.get_logger()

BuildClients = Callable[[Connection], PlatformClients]


class ClientCache:
    """Platform clients by connection and shop, built by `build` (a test passes fakes)."""

    def __init__(self, build: BuildClients) -> None:
        self._build = build
        self._clients: dict[tuple[str, str], tuple[int, PlatformClients]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def get(self, connection: Connection) -> PlatformClients:
        """The clients of the connection's default shop (NotAuthorized, from `build`, when a
        platform is not authorized)."""
        shops = shops_of(connection)
        if not shops:
            return self._cached(connection, "", lambda: connection)
        return self.for_shop(connection, shops[0])

    def for_shop(self, connection: Connection, shop: Shop) -> PlatformClients:
        """The clients whose TikTok side calls `shop` (per-region code asks for these)."""
        if shop_of(connection, shop.shop_id) is None:
            raise NotAuthorized(f"TikTok shop {shop.shop_id} is not part of {connection.name}")
        return self._cached(connection, shop.shop_id, lambda: as_shop(connection, shop))

    def _cached(
        self, connection: Connection, shop_id: str, view: Callable[[], Connection]
    ) -> PlatformClients:
        """The cached pair of one shop (`view`: the connection as that shop's clients see it,
        built only when the pair is)."""
        key = (connection.connection_id, shop_id)
        cached = self._clients.get(key)
        if cached and cached[0] == connection.revision:
            return cached[1]
        clients = self._build(view())
        self._clients[key] = (connection.revision, clients)
        if cached:
            # Closed in the background so a lookup stays synchronous; `aclose` waits for it.
            task = asyncio.get_running_loop().create_task(_close(connection, cached[1]))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return clients

    async def aclose(self) -> None:
        """Close every cached pair, and wait for replaced ones still closing."""
        current, self._clients = list(self._clients.values()), {}
        for _, clients in current:
            await clients.aclose()
        await asyncio.gather(*self._closing)


async def _close(connection: Connection, clients: PlatformClients) -> None:
    try:
        await clients.aclose()
    except Exception as exc:
        # Only sockets are at stake: log it, the new clients are already in use.
        log.warning(
            "platform_clients.close_failed",
            connection_id=connection.connection_id,
            error=repr(exc),
        )
