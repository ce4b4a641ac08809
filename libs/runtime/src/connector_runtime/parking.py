"""Parked messages: a handler that failed on a platform outage is retried later, durably.

A message whose handler keeps failing with one of the service's transient errors (Shopify or
TikTok Shop away, throttled past every retry) is not dead-lettered: it is parked as a work
item of kind `parked` (connector_runtime.work) and its offset committed, so the partition
moves on. Later messages with the same Kafka key park behind it (the item's ordering key),
keeping per-entity order. The `parked` worker retries the head of each key with growing
backoff, applying it with the inbox discipline in the transaction that removes it; a message
parked longer than `parked_max_age_seconds`, or failing permanently, is dead-lettered.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass

from connector_runtime import metrics, work
from connector_runtime.db import Connection
from connector_runtime.settings import ServiceSettings

PARKED = "parked"


@dataclass(frozen=True)
class ParkedMessage:
    """One parked message: the original bytes and where they came from."""

    topic: str
    key: bytes | None
    body: bytes


def park_key(topic: str, key: bytes | None, event_id: str) -> str:
    """Messages sharing this value are applied in order (a keyless message stands alone)."""
    return f"{topic}:{key.hex() if key is not None else 'event:' + event_id}"


def backoff(settings: ServiceSettings) -> work.Backoff:
    """Waits between retries of a parked message (doubling, capped)."""
    return work.Backoff(settings.parked_retry_min_seconds, settings.parked_retry_max_seconds)


async def is_blocked(conn: Connection, key: str) -> bool:
    """Whether messages of this key are parked (a newer one must wait behind them)."""
    return await work.has_order_key(conn, PARKED, key)


async def blocked_among(conn: Connection, keys: set[str]) -> set[str]:
    """Those of `keys` that have messages parked (a batch leaves their messages to wait)."""
    return await work.queued_order_keys(conn, PARKED, keys)


async def park(
    conn: Connection,
    key: str,
    event_id: str,
    message: ParkedMessage,
    error: str | None,
    delay_seconds: float,
) -> None:
    """Store a message to retry after `delay_seconds` (0, and no error, for one waiting behind
    another). A message parked twice (a redelivery) is kept once."""
    payload = {
        "topic": message.topic,
        "kafka_key": message.key.hex() if message.key is not None else None,
        "body": base64.b64encode(message.body).decode(),
    }
    await work.queue(
        conn,
        PARKED,
        event_id,
        delay_seconds=delay_seconds,
        payload=payload,
        order_key=key,
        replace_existing=False,
        attempts=1 if error else 0,
        error=error,
    )


def message_of(item: work.WorkItem) -> ParkedMessage:
    """The parked message an item holds."""
    key = item.payload.get("kafka_key")
    return ParkedMessage(
        topic=str(item.payload["topic"]),
        key=bytes.fromhex(key) if key is not None else None,
        body=base64.b64decode(item.payload["body"]),
    )


def observe(service: str) -> Callable[[work.WorkStats], None]:
    """Export how many messages are parked and how long the oldest has waited."""

    def export(stats: work.WorkStats) -> None:
        metrics.PARKED.labels(service).set(stats.queued)
        metrics.PARKED_OLDEST.labels(service).set(stats.oldest_queued_seconds)

    return export
