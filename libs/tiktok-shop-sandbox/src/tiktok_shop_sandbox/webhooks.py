"""Signed webhook delivery with the platform's retry schedule, plus duplicate/reorder/drop chaos.

Envelope, `Authorization` signature, retry schedule and topics follow reference A8.
"""

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from pydantic import BaseModel
from tiktok_shop.signing import webhook_signature

from tiktok_shop_sandbox.ids import IdFactory
from tiktok_shop_sandbox.state import App, Shop

log = structlog.get_logger()

# Payload `type` -> Event API `event_type` (reference A8 topics table).
EVENT_TYPES = {
    1: "ORDER_STATUS_CHANGE",
    3: "RECIPIENT_ADDRESS_UPDATE",
    4: "PACKAGE_UPDATE",
    5: "PRODUCT_STATUS_CHANGE",
    6: "SELLER_DEAUTHORIZATION",
    7: "UPCOMING_AUTHORIZATION_EXPIRATION",
    11: "CANCELLATION_STATUS_CHANGE",
    12: "RETURN_STATUS_CHANGE",
    15: "PRODUCT_INFORMATION_CHANGE",
    16: "PRODUCT_CREATION",
    36: "INVOICE_STATUS_CHANGE",
    37: "PRODUCT_AUDIT_STATUS_CHANGE",
    39: "PROMOTION_ACTIVITY_STATUS_CHANGE",  # name UNCONFIRMED (reference TTS-WH/39)
}


class WebhookChaos(BaseModel):
    """Probabilities of delivery misbehaviour (each decided per notification)."""

    duplicate_probability: float = 0.0
    reorder_probability: float = 0.0
    drop_probability: float = 0.0
    # A reordered notification is held back this long, so later ones overtake it.
    reorder_delay_seconds: float = 0.5


@dataclass
class Delivery:
    """One delivery attempt, kept for inspection through the control plane."""

    notification_id: str
    type: int
    shop_id: str
    url: str
    attempt: int
    status: int | None
    error: str
    at: float
    body: dict[str, Any]


@dataclass
class WebhookDispatcher:
    """Sends notifications in background tasks and records every attempt."""

    retry_delays: list[float]
    timeout: float
    rng: random.Random
    ids: IdFactory
    chaos: WebhookChaos = field(default_factory=WebhookChaos)
    deliveries: list[Delivery] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _http: httpx.AsyncClient | None = None

    def emit(self, app: App, shop: Shop, type_: int, data: dict[str, Any]) -> None:
        """Notify the shop's subscriber of an event, if any (per-shop URL wins over app URL)."""
        url = _target(app, shop, type_)
        if url is None:
            return
        body = {
            "type": type_,
            "tts_notification_id": self.ids.next(),
            "shop_id": shop.id,
            "timestamp": int(time.time()),
            "data": data,
        }
        if self.rng.random() < self.chaos.drop_probability:
            self.dropped.append(body)
            return
        delay = (
            self.chaos.reorder_delay_seconds
            if self.rng.random() < self.chaos.reorder_probability
            else 0.0
        )
        copies = 2 if self.rng.random() < self.chaos.duplicate_probability else 1
        for _ in range(copies):
            self._spawn(self._deliver(app, url, body, delay))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, app: App, url: str, body: dict[str, Any], delay: float) -> None:
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = {
            "Authorization": webhook_signature(app.key, app.secret, raw),
            "Content-Type": "application/json",
        }
        await asyncio.sleep(delay)
        for attempt, wait in enumerate([0.0, *self.retry_delays], start=1):
            await asyncio.sleep(wait)
            if await self._attempt(url, raw, headers, body, attempt):
                return
        log.info("sandbox.webhook_gave_up", notification_id=body["tts_notification_id"])

    async def _attempt(
        self, url: str, raw: bytes, headers: dict[str, str], body: dict[str, Any], attempt: int
    ) -> bool:
        status: int | None = None
        error = ""
        try:
            response = await self._client().post(url, content=raw, headers=headers)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        self.deliveries.append(
            Delivery(
                str(body["tts_notification_id"]),
                int(body["type"]),
                str(body["shop_id"]),
                url,
                attempt,
                status,
                error,
                time.time(),
                body,
            )
        )
        # Anything but HTTP 200 counts as a failure to be retried (reference A8).
        return status == 200

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.timeout)
        return self._http

    async def aclose(self) -> None:
        """Cancel pending deliveries and close the HTTP client."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None


def _target(app: App, shop: Shop, type_: int) -> str | None:
    subscription = shop.webhooks.get(EVENT_TYPES.get(type_, ""))
    return subscription[0] if subscription else app.webhook_url
