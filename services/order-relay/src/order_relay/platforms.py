"""Platform clients per connection (built once per connection revision)."""

import asyncio
from dataclasses import dataclass, field

import asyncpg
from connector_connections import Connection, PlatformClients, clients_for

from order_relay.settings import OrderRelaySettings


@dataclass
class Deps:
    """What the relay's handlers and loops share: settings, clients, a side pool."""

    settings: OrderRelaySettings
    _clients: dict[str, tuple[int, PlatformClients]] = field(default_factory=dict)
    _side_pool: asyncpg.Pool | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def clients(self, connection: Connection) -> PlatformClients:
        """The clients of a connection (NotAuthorized when a platform is not authorized)."""
        cached = self._clients.get(connection.connection_id)
        if cached and cached[0] == connection.revision:
            return cached[1]
        clients = clients_for(connection, self.settings)
        self._clients[connection.connection_id] = (connection.revision, clients)
        if cached:
            await cached[1].aclose()
        return clients

    async def side_pool(self) -> asyncpg.Pool:
        """A small pool for writes that must commit outside the handler's transaction."""
        async with self._lock:
            if self._side_pool is None:
                self._side_pool = await asyncpg.create_pool(
                    self.settings.database_url,
                    min_size=1,
                    max_size=2,
                    server_settings={"search_path": self.settings.schema_name},
                )
            return self._side_pool

    async def aclose(self) -> None:
        """Close clients and the side pool."""
        for _, clients in self._clients.values():
            await clients.aclose()
        self._clients.clear()
        if self._side_pool is not None:
            await self._side_pool.close()
            self._side_pool = None
