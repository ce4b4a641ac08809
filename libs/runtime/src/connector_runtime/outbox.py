"""Transactional outbox: write events with the state change, publish them after commit."""

import asyncio
import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer
from connector_contracts import Envelope, Event, new_envelope

from connector_runtime import metrics
from connector_runtime.db import BROKEN, Connection, Outage
from connector_runtime.settings import ServiceSettings
from connector_runtime.work import OUTAGE_BACKOFF

log = structlog.get_logger()

# The leader holds its connection: lost while it waited, its pool proxy is detached and the
# next call on it raises InterfaceError; both mean "PostgreSQL went away".


def notify_channel(schema: str) -> str:
    """LISTEN/NOTIFY channel that wakes the relay of one schema."""
    return f"outbox_{schema}"


@dataclass
class Effects:
    """What a handler may do inside its transaction: SQL on `conn` and emitting events."""

    conn: Connection
    settings: ServiceSettings
    cause: Envelope[Event] | None = None

    async def emit(
        self,
        payload: Event,
        *,
        connection_id: str | None = None,
        task_id: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope[Event]:
        """Store an event in the outbox; it is published only if the transaction commits."""
        cause = self.cause
        if connection_id is None:
            if cause is None:
                raise ValueError("connection_id is required for an event with no cause")
            connection_id = cause.connection_id
        envelope: Envelope[Event] = new_envelope(
            payload,
            connection_id=connection_id,
            correlation_id=correlation_id or (cause.correlation_id if cause else None),
            task_id=task_id or (cause.task_id if cause else None),
            causation_id=cause.event_id if cause else None,
        )
        await write_outbox(self.conn, self.settings, envelope)
        return envelope


async def write_outbox(
    conn: Connection, settings: ServiceSettings, envelope: Envelope[Any]
) -> None:
    """Insert one envelope into the outbox of the current transaction."""
    headers = {
        "event-type": envelope.type,
        "event-version": str(envelope.version),
        "correlation-id": envelope.correlation_id,
    }
    # One round trip: the NOTIFY (delivered at commit) rides on the insert.
    await conn.execute(
        "WITH ins AS (INSERT INTO outbox (event_id, topic, key, value, headers)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING 1) SELECT pg_notify($6, '') FROM ins",
        envelope.event_id,
        settings.topic(envelope.payload.topic()),
        envelope.payload.key(),
        envelope.model_dump_json().encode(),
        json.dumps(headers),
        notify_channel(settings.schema_name),
    )


class OutboxRelay:
    """Publishes outbox rows in id order; one leader per schema (advisory lock) keeps key order."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        settings: ServiceSettings,
        outage: Outage | None = None,
    ):
        self._pool = pool
        self._producer = producer
        self._settings = settings
        self._outage = outage or Outage(settings.service_name)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the relay in the background."""
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop the relay; unpublished rows stay for the next leader."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                async with self._pool.acquire() as conn:
                    await self._lead(conn)
            except asyncio.CancelledError:
                raise
            except BROKEN as exc:
                self._outage.failed("outbox", exc)
                await asyncio.sleep(OUTAGE_BACKOFF.delay(self._outage.failures))
            except Exception:
                log.exception("outbox.relay_failed")
                await asyncio.sleep(1)

    async def _lead(self, conn: Connection) -> None:
        schema = self._settings.schema_name
        lock = f"outbox:{schema}"
        # Standby replicas poll for the leader's session lock; it is released when it dies.
        while not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", lock):  # noqa: ASYNC110
            await asyncio.sleep(self._settings.outbox_poll_seconds * 4)
        channel = notify_channel(schema)
        await conn.add_listener(channel, self._on_notify)
        clock, poll = asyncio.get_running_loop().time, self._settings.outbox_poll_seconds
        observed = -poll
        try:
            while True:
                published = await self.publish_batch(conn)
                # The gauges at most once a poll while busy: a query per batch would double
                # the relay's round trips when events trickle in one by one.
                if not published or clock() - observed >= poll:
                    observed = clock()
                    await self._observe(conn)
                self._outage.recovered()
                if published < self._settings.outbox_batch_size:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._wake.wait(), self._settings.outbox_poll_seconds
                        )
                    self._wake.clear()
        finally:
            # A lost connection took its listener and session lock with it (and its pool
            # proxy is detached: calling it raises InterfaceError), so there is nothing to undo.
            with contextlib.suppress(*BROKEN):
                await conn.remove_listener(channel, self._on_notify)
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock)

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def publish_batch(self, conn: Connection) -> int:
        """Publish up to one batch of rows, wait for the broker's acks, then delete them."""
        rows = await conn.fetch(
            "SELECT id, topic, key, value, headers FROM outbox ORDER BY id LIMIT $1",
            self._settings.outbox_batch_size,
        )
        if not rows:
            return 0
        sends = [
            await self._producer.send(
                r["topic"],
                value=r["value"],
                key=r["key"].encode(),
                headers=[(k, v.encode()) for k, v in json.loads(r["headers"]).items()],
            )
            for r in rows
        ]
        await asyncio.gather(*sends)
        # A crash here republishes the batch: consumers dedupe on event_id (inbox).
        await conn.execute(
            "DELETE FROM outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
        )
        for r in rows:
            metrics.MESSAGES_PRODUCED.labels(self._settings.service_name, r["topic"]).inc()
        return len(rows)

    async def _observe(self, conn: Connection) -> None:
        row = await conn.fetchrow("SELECT count(*) AS n, min(created_at) AS oldest FROM outbox")
        count, oldest = (row["n"], row["oldest"]) if row else (0, None)
        metrics.OUTBOX_BACKLOG.labels(self._settings.service_name).set(count)
        lag = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        metrics.OUTBOX_LAG.labels(self._settings.service_name).set(lag)
