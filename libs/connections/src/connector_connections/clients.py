"""One cache of platform clients per service: a client pair per connection revision.

Clients are kept across messages (they pace their own QPS and reuse HTTP connections) and
rebuilt when the connection's revision changes (new tokens, a new shop); the replaced pair
and, at stop, every pair are closed.
"""

import asyncio
from collections.abc import Callable

import structlog

from connector_connections.platforms import NotAuthorized, PlatformClients
from connector_connections.replica import Connection
from connector_connections.shops import Shop, shops_of

log = structlog.get_logger()

BuildClients = Callable[[Connection], PlatformClients]


class ClientCache:
    """Platform clients by connection id, built by `build` (a test passes fakes)."""

    def __init__(self, build: BuildClients) -> None:
        self._build = build
        self._clients: dict[str, tuple[int, PlatformClients]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def get(self, connection: Connection) -> PlatformClients:
        """The connection's clients (NotAuthorized, from `build`, when a platform is not)."""
        cached = self._clients.get(connection.connection_id)
        if cached and cached[0] == connection.revision:
            return cached[1]
        clients = self._build(connection)
        self._clients[connection.connection_id] = (connection.revision, clients)
        if cached:
            # Closed in the background so a lookup stays synchronous; `aclose` waits for it.
            task = asyncio.get_running_loop().create_task(_close(connection, cached[1]))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return clients

    def for_shop(self, connection: Connection, shop: Shop) -> PlatformClients:
        """The clients whose TikTok side calls `shop` (per-region code asks for these)."""
        if shop not in shops_of(connection):
            raise NotAuthorized(f"TikTok shop {shop.shop_id} is not part of {connection.name}")
        return self.get(connection)

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
