"""Kafka consumers with one delivery discipline: inbox dedupe, retry, dead letter, commit last.

Every subscriber acknowledges manually (FastStream's default acks before processing, which is
at-most-once). A message is acknowledged only after its effects and inbox row are committed, or
after it has been dead-lettered. Transient infrastructure outages never dead-letter: the message
is sought back and redelivered until the infrastructure returns.
"""

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from connector_contracts import Envelope, Event
from faststream import AckPolicy, BaseMiddleware
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.message import StreamMessage
from pydantic import SkipValidation, ValidationError
from tenacity import (
    AsyncRetrying,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from connector_runtime import metrics, parking
from connector_runtime.db import UNAVAILABLE, Connection
from connector_runtime.outbox import Effects
from connector_runtime.settings import ServiceSettings
from connector_runtime.work import Worker, WorkItem, describe

log = structlog.get_logger()

Handler = Callable[[Envelope[Any], Effects], Awaitable[None]]
# Applies many messages of one topic in one transaction; its Effects has no cause (an event it
# emits names its connection).
BatchHandler = Callable[[Sequence[Envelope[Any]], Effects], Awaitable[None]]


class PermanentError(Exception):
    """A failure retrying cannot fix (bad data, a business rule): dead-letter at once."""


class StepFailed(Exception):
    """Settling a message failed at one stage (park, dead_letter, ack): it must be nacked."""

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(f"{stage}: {describe(error)}")
        self.stage = stage
        self.error = error


@dataclass
class Route:
    """One subscription: the payload type it takes and the handler that applies it (a batch
    route also applies up to `max_records` messages at once with `batch`)."""

    event: type[Event]
    handler: Handler
    batch: BatchHandler | None = None
    max_records: int = 1


@dataclass
class EventRouter:
    """Collects a service's handlers: `@router.on(OrderPaid)`."""

    routes: list[Route] = field(default_factory=list)

    def on(self, event: type[Event]) -> Callable[[Handler], Handler]:
        """Register a handler for one payload type."""

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(event, handler))
            return handler

        return register

    def on_batch(
        self, event: type[Event], *, max_records: int
    ) -> Callable[[BatchHandler], BatchHandler]:
        """Register a handler that applies the messages a poll returns, up to `max_records`,
        in one transaction (`Consumers.process_batch`). One message alone (a parked one, or
        a batch that failed and is applied message by message) is a batch of one."""

        def register(handler: BatchHandler) -> BatchHandler:
            async def one(envelope: Envelope[Any], fx: Effects) -> None:
                await handler([envelope], fx)

            one.__name__, one.__doc__ = handler.__name__, handler.__doc__
            self.routes.append(Route(event, one, handler, max(1, max_records)))
            return handler

        return register


def dead_letter_headers(
    origin: "Origin", error: BaseException, attempts: int, service: str
) -> list[tuple[str, bytes]]:
    """Headers a dead-lettered message carries: where it came from, why, after how many tries."""
    extra = {
        "x-dead-letter-service": service,
        "x-original-topic": origin.topic,
        "x-original-partition": origin.partition,
        "x-original-offset": origin.offset,
        "x-error-type": type(error).__name__,
        "x-error": str(error)[:4000],
        "x-attempts": str(attempts),
        "x-failed-at": datetime.now(UTC).isoformat(),
    }
    return list(origin.headers) + [(k, v.encode()) for k, v in extra.items()]


@dataclass(frozen=True)
class Origin:
    """Where a consumed message came from: its bytes, key, headers and position."""

    topic: str
    key: bytes | None
    body: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    partition: str = ""
    offset: str = ""

    @classmethod
    def of(cls, msg: StreamMessage[Any]) -> "Origin":
        """The origin of a message read from Kafka."""
        return cls.of_record(msg.raw_message, msg.body)

    @classmethod
    def of_record(cls, raw: ConsumerRecord[Any, Any] | Any, body: bytes) -> "Origin":
        """The origin of one record as the consumer read it."""
        return cls(
            topic=getattr(raw, "topic", "?"),
            key=getattr(raw, "key", None),
            body=body,
            headers=tuple((k, v) for k, v in (getattr(raw, "headers", None) or [])),
            partition=str(getattr(raw, "partition", "")),
            offset=str(getattr(raw, "offset", "")),
        )


@dataclass
class DeadLetters:
    """Publishes poison messages to the service's dead-letter topic, original bytes intact."""

    producer: AIOKafkaProducer
    settings: ServiceSettings

    async def send(self, origin: Origin, error: BaseException, attempts: int) -> None:
        """Publish the original message with the error and attempt count in its headers."""
        await self.producer.send_and_wait(
            self.settings.dead_letter_topic,
            value=origin.body,
            key=origin.key,
            headers=dead_letter_headers(origin, error, attempts, self.settings.service_name),
        )
        metrics.DEAD_LETTERED.labels(self.settings.service_name, origin.topic).inc()
        log.error(
            "message.dead_lettered", topic=origin.topic, error=str(error)[:500], attempts=attempts
        )


def invalid_message_middleware(dead_letters: DeadLetters) -> type[BaseMiddleware]:
    """Middleware that dead-letters messages whose body fails validation against the contract."""
    service = dead_letters.settings.service_name

    class InvalidMessages(BaseMiddleware):
        async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
            try:
                return await call_next(msg)
            except ValidationError as exc:
                topic = getattr(msg.raw_message, "topic", "?")
                metrics.MESSAGES_FAILED.labels(service, topic, "invalid").inc()
                await dead_letters.send(Origin.of(msg), exc, attempts=1)
                await msg.ack()
                return None

    return InvalidMessages


class Consumers:
    """Binds an EventRouter to a broker and a pool with the delivery discipline above."""

    def __init__(
        self,
        broker: KafkaBroker,
        pool: asyncpg.Pool,
        settings: ServiceSettings,
        dead_letters: DeadLetters,
        transient: tuple[type[BaseException], ...] = (),
    ) -> None:
        self._broker = broker
        self._pool = pool
        self._settings = settings
        self._dead_letters = dead_letters
        # Errors meaning "a platform is away": park the message instead of dead-lettering it.
        self._transient = transient
        self._routes: dict[str, Route] = {}
        self._stalled: set[str] = set()
        self._subscribers: dict[str, Any] = {}  # topic -> FastStream subscriber
        self._lag_task: asyncio.Task[None] | None = None

    def bind(self, router: EventRouter) -> None:
        """Create one subscriber per route in this service's consumer group."""
        for route in router.routes:
            self._routes[route.event.TYPE] = route
            self._subscribe(route)

    def _subscribe(self, route: Route) -> None:
        topic = self._settings.topic(route.event.topic())
        # FastStream validates the body against this type: its schema documents the channel.
        envelope_type: Any = Envelope[route.event]  # type: ignore[name-defined]

        async def consume(body: envelope_type, msg: KafkaMessage) -> None:
            await self.process(route, body, msg)

        # A poll's body is a list, documented as what each of its records is (the channel's
        # message) and not validated here: each record is, on its own (`_parse`), so one bad
        # message never fails the messages polled with it.
        batch_type: Any = SkipValidation[envelope_type]  # type: ignore[misc]

        async def consume_batch(body: batch_type, msg: KafkaMessage) -> None:
            await self.process_batch(route, msg)

        handler = consume_batch if route.batch else consume
        handler.__name__ = route.handler.__name__
        handler.__doc__ = route.handler.__doc__
        subscriber = self._broker.subscriber(
            topic,
            batch=route.batch is not None,
            max_records=route.max_records if route.batch else None,
            group_id=self._settings.group_id(route.event.TYPE),
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            session_timeout_ms=self._settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=self._settings.kafka_heartbeat_interval_ms,
            title=f"{self._settings.service_name}.consumes.{route.event.TYPE}",
            description=route.handler.__doc__,
        )
        subscriber(handler)
        self._subscribers[topic] = subscriber

    async def process(self, route: Route, envelope: Envelope[Event], msg: KafkaMessage) -> None:
        """Apply one message exactly once, then acknowledge it; on any failure, nack it."""
        structlog.contextvars.bind_contextvars(
            event_id=str(envelope.event_id),
            correlation_id=envelope.correlation_id,
            task_id=envelope.task_id,
            event_type=envelope.type,
        )
        topic = self._settings.topic(route.event.topic())
        try:
            await self._settle(route, envelope, msg, topic)
        except Exception as exc:
            # FastStream runs with logger=None: nothing escapes this method unlogged.
            await self.unsettled(msg, topic, exc)
        finally:
            structlog.contextvars.unbind_contextvars(
                "event_id", "correlation_id", "task_id", "event_type"
            )

    async def process_batch(self, route: Route, msg: KafkaMessage) -> None:
        """Apply the messages of one poll exactly once each, then acknowledge them together;
        on any failure, nack them all (seek back: the inbox skips those already applied)."""
        topic = self._settings.topic(route.event.topic())
        try:
            if await self._settle_batch(route, tuple(msg.raw_message), topic):
                await _step("ack", self.ack(msg, topic))
            else:
                await msg.nack()
        except Exception as exc:
            await self.unsettled(msg, topic, exc)

    async def _settle_batch(
        self, route: Route, records: tuple[ConsumerRecord[Any, Any], ...], topic: str
    ) -> bool:
        """One transaction for the batch; should it fail, each message on its own with the
        single-message discipline (retries, parking, dead letter). False: redeliver them."""
        messages = [m for r in records if (m := await self._parse(route, r, topic)) is not None]
        started = time.perf_counter()
        try:
            applied = await self._apply_batch(route, messages, topic)
        except UNAVAILABLE as exc:
            metrics.MESSAGES_FAILED.labels(self._settings.service_name, topic, "unavailable").inc()
            log.warning("message.infrastructure_unavailable", error=str(exc), batch=len(records))
            await asyncio.sleep(1)
            return False
        except Exception as exc:
            log.warning("message.batch_failed", error=describe(exc), batch=len(messages))
            applied = set()
        finally:
            seconds = time.perf_counter() - started
            metrics.HANDLER_SECONDS.labels(self._settings.service_name, topic).observe(seconds)
        for envelope, origin in messages:
            if id(envelope) in applied:
                continue
            with structlog.contextvars.bound_contextvars(
                event_id=str(envelope.event_id), correlation_id=envelope.correlation_id
            ):
                if not await self.settle_one(route, envelope, origin, topic):
                    return False
        return True

    async def _parse(
        self, route: Route, record: ConsumerRecord[Any, Any], topic: str
    ) -> tuple[Envelope[Event], Origin] | None:
        """A record as its envelope, or None once it is dead-lettered as invalid."""
        origin = Origin.of_record(record, record.value or b"")
        try:
            envelope = Envelope[route.event].model_validate_json(origin.body)  # type: ignore[name-defined]
        except ValidationError as exc:
            metrics.MESSAGES_FAILED.labels(self._settings.service_name, topic, "invalid").inc()
            await _step("dead_letter", self._dead_letters.send(origin, exc, attempts=1))
            return None
        return envelope, origin

    async def _apply_batch(
        self, route: Route, messages: list[tuple[Envelope[Event], Origin]], topic: str
    ) -> set[int]:
        """Record in the inbox and hand to the batch handler, in one transaction, every message
        of the expected type whose key has none parked; what it applied (or skipped as seen
        before), by `id()` of the envelope. The rest are left to the single-message path."""
        assert route.batch is not None
        service = self._settings.service_name
        async with self._pool.acquire() as conn:
            keys = [parking.park_key(o.topic, o.key, str(m.event_id)) for m, o in messages]
            blocked = await parking.blocked_among(conn, set(keys)) if self._transient else set()
            ready = [
                m
                for (m, _), key in zip(messages, keys, strict=True)
                if key not in blocked and m.type == route.event.TYPE
            ]
            async with conn.transaction():
                fresh = await _record_in_inbox(conn, ready, topic)
                if fresh:
                    await route.batch(fresh, Effects(conn, self._settings))
        metrics.MESSAGES_CONSUMED.labels(service, topic).inc(len(fresh))
        if len(ready) > len(fresh):
            metrics.MESSAGES_DEDUPLICATED.labels(service, topic).inc(len(ready) - len(fresh))
            log.info("message.deduplicated", batch=len(ready), seen=len(ready) - len(fresh))
        metrics.BATCH_MESSAGES.labels(service, topic).observe(len(ready))
        return {id(m) for m in ready}

    def start_lag_observer(self) -> None:
        """Export every subscription's lag every `consumer_lag_poll_seconds`."""
        self._lag_task = asyncio.create_task(self._observe_lag_forever(), name="consumer-lag")

    async def stop_lag_observer(self) -> None:
        """Stop exporting lag."""
        if self._lag_task is not None:
            self._lag_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag_task

    async def _observe_lag_forever(self) -> None:
        while True:
            for topic, subscriber in self._subscribers.items():
                try:
                    await self._observe_lag(topic, subscriber.consumer)
                except Exception as exc:  # e.g. the topic is gone: the stall has its own gauge
                    log.warning("consumer.lag_unknown", topic=topic, error=describe(exc))
            await asyncio.sleep(self._settings.consumer_lag_poll_seconds)

    async def _observe_lag(self, topic: str, consumer: AIOKafkaConsumer | None) -> None:
        partitions = list(consumer.assignment()) if consumer is not None else []
        lag = 0
        if consumer is not None and partitions:
            # A turn's length, but at least 5 s: a request queued behind the consumer's fetch
            # long-poll takes over half a second, and a shorter bound never read any lag.
            bound = max(self._settings.consumer_lag_poll_seconds, 5.0)
            ends = await asyncio.wait_for(consumer.end_offsets(partitions), bound)
            committed = {tp: await asyncio.wait_for(consumer.committed(tp), bound) for tp in ends}
            lag = lag_of(ends, committed)
        metrics.CONSUMER_LAG.labels(self._settings.service_name, topic).set(lag)

    def stalled(self) -> list[str]:
        """Topics whose consumer could not commit its last acknowledgement."""
        return sorted(self._stalled)

    async def _settle(
        self, route: Route, envelope: Envelope[Event], msg: KafkaMessage, topic: str
    ) -> None:
        if not await self.settle_one(route, envelope, Origin.of(msg), topic):
            await msg.nack()  # seek back: redelivered once the database is back
            return
        await _step("ack", self.ack(msg, topic))

    async def settle_one(
        self, route: Route, envelope: Envelope[Event], origin: Origin, topic: str
    ) -> bool:
        """Apply, park or dead-letter one message (False: the database is away, so it must be
        redelivered); the caller acknowledges it."""
        service = self._settings.service_name
        event_id = str(envelope.event_id)
        key = parking.park_key(origin.topic, origin.key, event_id)
        started = time.perf_counter()
        try:
            if envelope.type != route.event.TYPE:
                raise PermanentError(f"expected {route.event.TYPE}, got {envelope.type}")
            if not await self._apply_once(route, envelope, topic, key, origin):
                await self._apply_with_retries(route, envelope, topic)
        except UNAVAILABLE as exc:
            metrics.MESSAGES_FAILED.labels(service, topic, "unavailable").inc()
            log.warning("message.infrastructure_unavailable", error=str(exc))
            await asyncio.sleep(1)
            return False
        except self._transient as exc:
            metrics.MESSAGES_FAILED.labels(service, topic, "outage").inc()
            await _step("park", self._park(key, origin, event_id, exc))
        except Exception as exc:
            metrics.MESSAGES_FAILED.labels(service, topic, "error").inc()
            attempts = max(1, await self._attempts(envelope))
            await _step("dead_letter", self._dead_letters.send(origin, exc, attempts))
        finally:
            metrics.HANDLER_SECONDS.labels(service, topic).observe(time.perf_counter() - started)
        return True

    async def ack(self, msg: KafkaMessage, topic: str) -> None:
        """Commit, bounded: a commit retried forever (e.g. its topic is gone) is a stall."""
        service = self._settings.service_name
        bound = self._settings.kafka_ack_timeout_seconds
        try:
            await asyncio.wait_for(msg.ack(), bound)
        except Exception as exc:
            self._stalled.add(topic)
            metrics.CONSUMER_STALLED.labels(service, topic).set(1)
            if isinstance(exc, TimeoutError):
                raise TimeoutError(f"the offset commit took longer than {bound} s") from None
            raise
        if topic in self._stalled:
            self._stalled.discard(topic)
            log.info("consumer.recovered", topic=topic)
        metrics.CONSUMER_STALLED.labels(service, topic).set(0)

    async def unsettled(self, msg: KafkaMessage, topic: str, exc: Exception) -> None:
        """Log and count a message nothing could settle, then seek back to redeliver it."""
        stage, error = (exc.stage, exc.error) if isinstance(exc, StepFailed) else ("handle", exc)
        metrics.CONSUMER_FAILURES.labels(self._settings.service_name, topic, stage).inc()
        log.error(
            "message.unsettled", stage=stage, error=describe(error), topic=topic, exc_info=error
        )
        await asyncio.sleep(1)  # whatever failed is likely still failing: do not spin
        try:
            await msg.nack()
        except Exception as nack_error:
            log.error("message.nack_failed", error=describe(nack_error), topic=topic)

    async def _apply_once(
        self, route: Route, envelope: Envelope[Event], topic: str, key: str, origin: Origin
    ) -> bool:
        """The usual case on one pooled connection: park behind a parked message of the same
        key, or apply the message. False when this first try failed and may be retried (the
        failure is recorded); raises what must not be retried."""
        async with self._pool.acquire() as conn:
            if self._transient and await parking.is_blocked(conn, key):
                # An earlier message of this key is parked: keep their order.
                await parking.park(conn, key, str(envelope.event_id), _parked(origin), None, 0)
                metrics.MESSAGES_PARKED.labels(
                    self._settings.service_name, origin.topic, "behind"
                ).inc()
                log.info("message.parked_behind", park_key=key)
                return True
            try:
                async with conn.transaction():
                    await self._apply_in(conn, route, envelope, topic)
            except UNAVAILABLE:
                raise
            except Exception as exc:
                error = exc
            else:
                metrics.MESSAGES_CONSUMED.labels(self._settings.service_name, topic).inc()
                return True
        # Off the connection: the retries take their own, as a redelivery would.
        await self._record_attempt(envelope, topic, error)
        final: tuple[type[BaseException], ...] = (PermanentError, *self._transient)
        if isinstance(error, final) or await self._attempts(envelope) >= (
            self._settings.handler_max_attempts
        ):
            raise error
        return False

    async def _park(self, key: str, origin: Origin, event_id: str, error: BaseException) -> None:
        delay = parking.backoff(self._settings).delay(1)
        async with self._pool.acquire() as conn:
            await parking.park(conn, key, event_id, _parked(origin), describe(error), delay)
        metrics.MESSAGES_PARKED.labels(self._settings.service_name, origin.topic, "outage").inc()
        log.warning("message.parked", park_key=key, error=describe(error), retry_in=delay)

    def parking_worker(self) -> Worker:
        """The worker retrying parked messages as they fall due (every replica)."""
        s = self._settings
        return Worker(
            kind=parking.PARKED,
            run=lambda _runtime, conn, item: self.redeliver(conn, item),
            backoff=parking.backoff(s),
            max_age_seconds=s.parked_max_age_seconds,
            give_up=self._parked_too_long,
            retrying=self._parked_postponed,
            ordered=True,
            poll_seconds=s.parked_poll_seconds,
            observe=parking.observe(s.service_name),
        )

    async def redeliver(self, conn: Connection, item: WorkItem) -> None:
        """Apply a parked message in the claim's transaction; raise to retry it later."""
        parked = parking.message_of(item)
        origin = Origin(parked.topic, parked.key, parked.body)
        try:
            route, envelope = self._decode(parked.body)
        except (ValidationError, ValueError, KeyError) as exc:
            await self._dead_letter_parked(origin, exc, item.attempts + 1)
            return
        structlog.contextvars.bind_contextvars(
            event_id=str(envelope.event_id), correlation_id=envelope.correlation_id
        )
        later: tuple[type[BaseException], ...] = (*UNAVAILABLE, *self._transient)
        try:
            async with conn.transaction():  # a savepoint: a failure undoes the handler only
                await self._apply_in(conn, route, envelope, parked.topic)
        except later:
            raise  # the worker puts it back with a backoff, or gives up past the maximum age
        except Exception as exc:
            await self._dead_letter_parked(origin, exc, item.attempts + 1)
            return
        finally:
            structlog.contextvars.unbind_contextvars("event_id", "correlation_id")
        service = self._settings.service_name
        metrics.PARKED_REDELIVERED.labels(service, parked.topic, "applied").inc()
        metrics.MESSAGES_CONSUMED.labels(service, parked.topic).inc()
        log.info("message.parked_applied", attempts=item.attempts + 1)

    async def _parked_postponed(
        self, _runtime: Any, _conn: Connection, item: WorkItem, exc: BaseException
    ) -> None:
        topic = parking.message_of(item).topic
        metrics.PARKED_REDELIVERED.labels(self._settings.service_name, topic, "postponed").inc()
        log.warning("message.parked_retry_failed", error=describe(exc), due=str(item.due_at))

    async def _parked_too_long(
        self, _runtime: Any, _conn: Connection, item: WorkItem, exc: BaseException
    ) -> None:
        parked = parking.message_of(item)
        await self._dead_letter_parked(
            Origin(parked.topic, parked.key, parked.body), exc, item.attempts
        )

    async def _dead_letter_parked(self, origin: Origin, exc: BaseException, attempts: int) -> None:
        await self._dead_letters.send(origin, exc, attempts)
        metrics.PARKED_REDELIVERED.labels(
            self._settings.service_name, origin.topic, "dead_lettered"
        ).inc()

    def _decode(self, body: bytes) -> tuple[Route, Envelope[Event]]:
        event_type = json.loads(body)["type"]
        route = self._routes.get(event_type)
        if route is None:
            raise ValueError(f"no handler for {event_type!r} any more")
        envelope: Envelope[Event] = Envelope[route.event].model_validate_json(body)  # type: ignore[name-defined]
        return route, envelope

    async def _apply_with_retries(
        self, route: Route, envelope: Envelope[Event], topic: str
    ) -> None:
        done = await self._attempts(envelope)
        remaining = max(1, self._settings.handler_max_attempts - done)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(remaining),
            wait=wait_exponential_jitter(
                multiplier=0.1, max=self._settings.handler_retry_max_seconds
            ),
            # A declared transient (platform) error has been retried by its client already:
            # re-running the handler would repeat all of those calls, so it is parked at once
            # (ADR 0011). In-process retries are for other failures, e.g. a serialization conflict.
            retry=retry_if_not_exception_type((PermanentError, *UNAVAILABLE, *self._transient)),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    await self._apply(route, envelope, topic)
                except UNAVAILABLE:
                    raise
                except Exception as exc:
                    await self._record_attempt(envelope, topic, exc)
                    raise

    async def _apply(self, route: Route, envelope: Envelope[Event], topic: str) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await self._apply_in(conn, route, envelope, topic)
        metrics.MESSAGES_CONSUMED.labels(self._settings.service_name, topic).inc()

    async def _apply_in(
        self, conn: Connection, route: Route, envelope: Envelope[Event], topic: str
    ) -> None:
        """Record the event in the inbox and run its handler, in the caller's transaction."""
        redeliveries = await conn.fetchval(
            "INSERT INTO inbox (event_id, topic) VALUES ($1, $2)"
            " ON CONFLICT (event_id) DO UPDATE SET redeliveries = inbox.redeliveries + 1"
            " RETURNING redeliveries",
            envelope.event_id,
            topic,
        )
        if redeliveries:
            metrics.MESSAGES_DEDUPLICATED.labels(self._settings.service_name, topic).inc()
            log.info("message.deduplicated", redeliveries=redeliveries)
            return
        await route.handler(envelope, Effects(conn, self._settings, envelope))

    async def _attempts(self, envelope: Envelope[Event]) -> int:
        async with self._pool.acquire() as conn:
            value = await conn.fetchval(
                "SELECT attempts FROM consumer_attempts WHERE event_key = $1",
                str(envelope.event_id),
            )
        return int(value or 0)

    async def _record_attempt(self, envelope: Envelope[Event], topic: str, exc: Exception) -> None:
        log.warning("message.attempt_failed", error=str(exc)[:500], error_type=type(exc).__name__)
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO consumer_attempts (event_key, topic, attempts, last_error)"
                " VALUES ($1, $2, 1, $3) ON CONFLICT (event_key) DO UPDATE"
                " SET attempts = consumer_attempts.attempts + 1, last_error = $3,"
                " updated_at = now()",
                str(envelope.event_id),
                topic,
                str(exc)[:4000],
            )


async def _record_in_inbox(
    conn: Connection, envelopes: Sequence[Envelope[Event]], topic: str
) -> list[Envelope[Event]]:
    """Record a batch's events in the inbox; the ones it had not seen, in their order (a
    second copy within the batch counts as seen)."""
    unique: dict[Any, Envelope[Event]] = {}
    for envelope in envelopes:
        unique.setdefault(envelope.event_id, envelope)
    rows = await conn.fetch(
        "INSERT INTO inbox (event_id, topic) SELECT unnest($1::uuid[]), $2"
        " ON CONFLICT (event_id) DO UPDATE SET redeliveries = inbox.redeliveries + 1"
        " RETURNING event_id, redeliveries",
        list(unique),
        topic,
    )
    new = {r["event_id"] for r in rows if r["redeliveries"] == 0}
    return [e for e in unique.values() if e.event_id in new]


def lag_of(
    ends: Mapping[TopicPartition, int], committed: Mapping[TopicPartition, int | None]
) -> int:
    """Messages not committed yet: each partition's highwater minus its committed offset (a
    partition with no commit yet lags by all of it, read from the start)."""
    return sum(max(0, end - (committed.get(tp) or 0)) for tp, end in ends.items())


async def _step(stage: str, step: Awaitable[None]) -> None:
    try:
        await step
    except Exception as exc:
        raise StepFailed(stage, exc) from exc


def _parked(origin: Origin) -> parking.ParkedMessage:
    return parking.ParkedMessage(origin.topic, origin.key, origin.body)
