"""Signed webhook deliveries with Shopify's headers, retries and injectable faults (B8)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from shopify.webhook_signatures import webhook_hmac

from shopify_sandbox.faults import FaultBook
from shopify_sandbox.records import WebhookSubscription, now
from shopify_sandbox.settings import SandboxSettings

log = structlog.get_logger("shopify_sandbox")


@dataclass
class Delivery:
    """One webhook (and its retries) to one subscription."""

    webhook_id: str
    shop: str
    topic: str
    uri: str
    body: bytes
    headers: dict[str, str]
    state: str = "pending"  # pending, delivered, failed, dropped
    attempts: list[dict[str, Any]] = field(default_factory=list)
    duplicate: bool = False

    def summary(self) -> dict[str, Any]:
        """JSON view for the control plane."""
        return {
            "webhook_id": self.webhook_id,
            "shop": self.shop,
            "topic": self.topic,
            "uri": self.uri,
            "state": self.state,
            "duplicate": self.duplicate,
            "attempts": self.attempts,
            "headers": self.headers,
            "payload": json.loads(self.body),
        }


class WebhookDispatcher:
    """Queues, signs and sends webhooks in the background of the server's event loop."""

    def __init__(
        self, settings: SandboxSettings, faults: FaultBook, secret_for: Callable[[str], str]
    ) -> None:
        self._settings = settings
        self._faults = faults
        self._secret_for = secret_for
        self.deliveries: list[Delivery] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._http = httpx.AsyncClient(timeout=settings.webhook_timeout_seconds)

    def emit(
        self, shop: str, topic: str, payload: dict[str, Any], subs: list[WebhookSubscription]
    ) -> None:
        """Deliver `payload` to every subscription of `topic` on `shop`."""
        enum = topic.replace("/", "_").upper()
        triggered_at = now().isoformat()
        for sub in subs:
            if sub.topic != enum:
                continue
            body = _trim(payload, sub.include_fields)
            raw = json.dumps(body, separators=(",", ":"), default=str).encode()
            headers = {
                "Content-Type": "application/json",
                "X-Shopify-Topic": topic,
                "X-Shopify-Hmac-Sha256": webhook_hmac(raw, self._secret_for(sub.client_id)),
                "X-Shopify-Shop-Domain": shop,
                "X-Shopify-API-Version": sub.api_version,
                "X-Shopify-Webhook-Id": str(uuid.uuid4()),
                "X-Shopify-Event-Id": str(uuid.uuid4()),
                "X-Shopify-Triggered-At": triggered_at,
            }
            self._schedule(
                Delivery(headers["X-Shopify-Webhook-Id"], shop, topic, sub.uri, raw, headers)
            )

    def _schedule(self, delivery: Delivery) -> None:
        faults = self._faults.webhook_faults(delivery.shop)
        self.deliveries.append(delivery)
        if self._faults.chance(faults.drop_probability):
            delivery.state = "dropped"
            return
        self._spawn(delivery, faults.reorder_window_seconds)
        if self._faults.chance(faults.duplicate_probability):
            twin = Delivery(**{**delivery.__dict__, "attempts": [], "duplicate": True})
            self.deliveries.append(twin)
            self._spawn(twin, faults.reorder_window_seconds)

    def _spawn(self, delivery: Delivery, window: float) -> None:
        delay = self._faults.rng.uniform(0, window) if window else 0.0
        task = asyncio.get_running_loop().create_task(self._deliver(delivery, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, delivery: Delivery, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        schedule = [0.0, *self._settings.webhook_retry_delays]
        for attempt, wait in enumerate(schedule, start=1):
            if wait:
                await asyncio.sleep(wait * self._settings.webhook_retry_scale)
            outcome = await self._attempt(delivery)
            delivery.attempts.append({"attempt": attempt, "at": now().isoformat(), **outcome})
            if outcome.get("status", 0) // 100 == 2:
                delivery.state = "delivered"
                return
        delivery.state = "failed"
        log.info("sandbox.webhook_failed", topic=delivery.topic, shop=delivery.shop)

    async def _attempt(self, delivery: Delivery) -> dict[str, Any]:
        try:
            response = await self._http.post(
                delivery.uri, content=delivery.body, headers=delivery.headers
            )
        except httpx.HTTPError as exc:
            return {"error": type(exc).__name__}
        return {"status": response.status_code}

    async def aclose(self) -> None:
        """Stop pending deliveries and close connections."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._http.aclose()


def _trim(payload: dict[str, Any], include_fields: list[str]) -> dict[str, Any]:
    if not include_fields:
        return payload
    return {k: v for k, v in payload.items() if k in include_fields}
