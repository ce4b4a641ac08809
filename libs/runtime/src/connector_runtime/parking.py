"""Parked messages: a handler that failed on a platform outage is retried later, durably.

A message whose handler keeps failing with one of the service's transient errors (Shopify or
TikTok Shop away, throttled past every retry) is not dead-lettered: it is parked in PostgreSQL
and its offset committed, so the partition moves on. Later messages with the same Kafka key
park behind it, keeping per-entity order. A redelivery loop retries the head of each key with
growing backoff, applying it with the inbox discipline in the transaction that removes it;
a message parked longer than `parked_max_age_seconds`, or failing permanently, is dead-lettered.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

from connector_runtime import metrics
from connector_runtime.db import Connection
from connector_runtime.settings import ServiceSettings


@dataclass(frozen=True)
class ParkedMessage:
    """One parked message: the original bytes and where it came from."""

    id: int
    topic: str
    key: bytes | None
    body: bytes
    attempts: int
    parked_at: datetime
    last_error: str


def park_key(topic: str, key: bytes | None, event_id: str) -> str:
    """Messages sharing this value are applied in order (a keyless message stands alone)."""
    return f"{topic}:{key.hex() if key is not None else 'event:' + event_id}"


def next_attempt_delay(attempts: int, settings: ServiceSettings) -> float:
    """Seconds before the next try after `attempts` failed ones (doubling, capped)."""
    delay = settings.parked_retry_min_seconds * 2 ** max(0, attempts - 1)
    return float(min(settings.parked_retry_max_seconds, delay))


async def is_blocked(conn: Connection, key: str) -> bool:
    """Whether messages of this key are parked (a newer one must wait behind them)."""
    return bool(await conn.fetchval("SELECT 1 FROM parked_messages WHERE park_key = $1", key))


async def park(
    conn: Connection,
    key: str,
    topic: str,
    kafka_key: bytes | None,
    body: bytes,
    error: str,
    delay_seconds: float,
) -> None:
    """Store a message to retry after `delay_seconds` (0 for one waiting behind another)."""
    await conn.execute(
        "INSERT INTO parked_messages (park_key, topic, kafka_key, body, last_error,"
        " attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6,"
        " now() + make_interval(secs => $7))",
        key,
        topic,
        kafka_key,
        body,
        error[:4000],
        1 if delay_seconds else 0,
        delay_seconds,
    )


async def take_due(conn: Connection) -> ParkedMessage | None:
    """Lock the oldest due message that heads its key (None when nothing is due)."""
    row = await conn.fetchrow(
        "SELECT id, topic, kafka_key, body, attempts, parked_at, last_error"
        " FROM parked_messages p WHERE next_attempt_at <= now()"
        " AND NOT EXISTS (SELECT 1 FROM parked_messages q"
        "   WHERE q.park_key = p.park_key AND q.id < p.id)"
        " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
    )
    if row is None:
        return None
    return ParkedMessage(
        id=row["id"],
        topic=row["topic"],
        key=row["kafka_key"],
        body=bytes(row["body"]),
        attempts=row["attempts"],
        parked_at=row["parked_at"],
        last_error=row["last_error"],
    )


async def remove(conn: Connection, message_id: int) -> None:
    """Drop a message once applied or dead-lettered."""
    await conn.execute("DELETE FROM parked_messages WHERE id = $1", message_id)


async def postpone(
    conn: Connection, message: ParkedMessage, error: str, settings: ServiceSettings
) -> datetime:
    """Count a failed try and schedule the next one; return when it is due."""
    attempts = message.attempts + 1
    due = datetime.now(UTC) + timedelta(seconds=next_attempt_delay(attempts, settings))
    await conn.execute(
        "UPDATE parked_messages SET attempts = $2, last_error = $3, next_attempt_at = $4"
        " WHERE id = $1",
        message.id,
        attempts,
        error[:4000],
        due,
    )
    return due


async def observe(pool: asyncpg.Pool, service: str) -> None:
    """Export how many messages are parked and how long the oldest has waited."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT count(*) AS n, extract(epoch FROM now() - min(parked_at)) AS oldest"
            " FROM parked_messages"
        )
    metrics.PARKED.labels(service).set(row["n"] if row else 0)
    metrics.PARKED_OLDEST.labels(service).set(float(row["oldest"] or 0) if row else 0.0)
