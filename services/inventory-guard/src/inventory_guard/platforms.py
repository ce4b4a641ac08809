"""The service's resources: settings, pool, clock and the platform clients per connection."""

from dataclasses import dataclass
from functools import partial

from connector_connections import ClientCache, clients_for
from connector_runtime.deps import ServiceDeps

from inventory_guard.settings import InventoryGuardSettings


@dataclass(kw_only=True)
class Deps(ServiceDeps[InventoryGuardSettings]):
    """What the guard's handlers, workers and routes share."""

    platform_clients: ClientCache

    @classmethod
    def of(cls, settings: InventoryGuardSettings) -> "Deps":
        """The service's deps with real platform clients."""
        return cls(
            settings=settings,
            platform_clients=ClientCache(partial(clients_for, settings=settings)),
            # Each running sweep holds one side connection as it walks its region.
            side_pool_size=settings.inventory_sweep_concurrency,
        )

    async def aclose(self) -> None:
        """Close clients and the side pool."""
        await self.platform_clients.aclose()
        await super().aclose()
