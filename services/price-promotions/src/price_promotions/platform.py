"""The service's resources: cached platform clients per connection, settings, pool, clock."""

from dataclasses import dataclass

from connector_connections import ClientCache, Connection, PlatformClients, clients_for
from connector_runtime.deps import ServiceDeps

from price_promotions.settings import PricePromotionsSettings


@dataclass(kw_only=True)
class Deps(ServiceDeps[PricePromotionsSettings]):
    """Clients are kept per connection revision, so their QPS pacing spans work items."""

    platform_clients: ClientCache

    @classmethod
    def of(cls, settings: PricePromotionsSettings) -> "Deps":
        """The real resources, TikTok calls paced per endpoint."""

        def build(connection: Connection) -> PlatformClients:
            return clients_for(
                connection, settings, qps_per_endpoint=settings.tiktok_qps_per_endpoint
            )

        return cls(settings=settings, platform_clients=ClientCache(build))

    async def aclose(self) -> None:
        """Close every client pair, then the runtime's parts."""
        await self.platform_clients.aclose()
        await super().aclose()
