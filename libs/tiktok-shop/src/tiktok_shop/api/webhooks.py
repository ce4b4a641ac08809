"""Per-shop webhook subscriptions through the Event API (reference A6 Events)."""

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.models.shops import ShopWebhook


class WebhooksApi(AreaApi):
    """Subscribe a shop's events to an address."""

    async def list(self) -> list[ShopWebhook]:
        """Get Shop Webhooks."""
        data = await self._call(ep.WEBHOOKS_GET)
        return [ShopWebhook.model_validate(w) for w in data.get("webhooks") or []]

    async def update(self, event_type: str, address: str) -> None:
        """Subscribe `event_type` (e.g. ORDER_STATUS_CHANGE) to an https address."""
        await self._call(ep.WEBHOOKS_UPDATE, body={"address": address, "event_type": event_type})

    async def delete(self, event_type: str) -> None:
        """Unsubscribe an event type."""
        await self._call(ep.WEBHOOKS_DELETE, body={"event_type": event_type})
