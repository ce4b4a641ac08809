"""Platform clients per connection (built once per connection revision)."""

from dataclasses import dataclass
from functools import partial

from connector_connections import ClientCache, Connection, PlatformClients, clients_for, shop_of
from connector_connections.platforms import NotAuthorized
from connector_runtime.deps import ServiceDeps

from order_relay.settings import OrderRelaySettings


@dataclass(kw_only=True)
class Deps(ServiceDeps[OrderRelaySettings]):
    """What the relay's handlers, loops and routes share: settings, pool, clock, clients and a
    side pool."""

    platform_clients: ClientCache

    @classmethod
    def of(cls, settings: OrderRelaySettings) -> "Deps":
        """The service's deps with real platform clients."""
        # A relay worker serves every tenant: it never sleeps long on one store's cost budget
        # (the job is postponed instead, ADR 0310).
        build = partial(
            clients_for,
            settings=settings,
            shopify_max_budget_wait_seconds=settings.order_relay_max_budget_wait_seconds,
        )
        return cls(settings=settings, platform_clients=ClientCache(build))

    async def clients(self, connection: Connection, shop_id: str | None = None) -> PlatformClients:
        """The clients of a connection whose TikTok side calls the order's shop (`shop_id`; the
        default region without one). NotAuthorized when a platform or that region is not."""
        if not shop_id:
            return self.platform_clients.get(connection)
        shop = shop_of(connection, shop_id)
        if shop is None:
            raise NotAuthorized(
                f"TikTok shop {shop_id} is not an authorized region of {connection.name}"
            )
        return self.platform_clients.for_shop(connection, shop)

    async def aclose(self) -> None:
        """Close clients and the side pool."""
        await self.platform_clients.aclose()
        await super().aclose()
