"""Rebuilding a read model from its topics: `python -m gateway rebuild-read-model tasks|home`.

The read model is emptied and its topics replayed from their first offsets past the ends they
had when the rebuild began, until they are quiet, all in one transaction: readers keep the old
rows until it commits, and the live consumer, which applies the same merge rules, can run
alongside (the newer state wins either way). The replay reads without a consumer group: it
commits nothing and moves no one's offsets.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from connector_contracts import (
    Envelope,
    ProductSyncChanged,
    ShopifyCustomerRedactRequested,
    TaskChanged,
)
from connector_runtime import db as database
from connector_runtime.consumer import EventRouter, Route
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from pydantic import ValidationError

from gateway import home_product_store, home_store, read_model_lag, task_store
from gateway.home_handlers import (
    READ_MODEL,
    order_event,
    record_orders,
    record_products,
    track_home,
)
from gateway.settings import GatewaySettings
from gateway.task_list import apply_task_changed

log = structlog.get_logger()


Batch = Callable[[Connection, list[Envelope[Any]]], Awaitable[None]]


@dataclass(frozen=True)
class Phase:
    """Subscriptions replayed together; `batch` applies many of their messages at once (the
    same merge as the live handlers, a few statements per batch), else one by one."""

    routes: Sequence[Route]
    batch: Batch | None = None


@dataclass(frozen=True)
class ReadModel:
    """What a rebuild empties, and the subscriptions it replays, phase after phase."""

    name: str
    clear: Callable[[Connection], Awaitable[None]]
    phases: Sequence[Phase]


async def _apply_task(envelope: Envelope[Any], fx: Effects) -> None:
    await apply_task_changed(fx.conn, envelope)


async def _apply_tasks(conn: Connection, envelopes: list[Envelope[Any]]) -> None:
    # Only a task's newest state counts (ADR 0900): the batch's older ones are never stored.
    newest: dict[str, Envelope[Any]] = {}
    for e in envelopes:
        held = newest.get(e.payload.task_id)
        if held is None or e.payload.sequence > held.payload.sequence:
            newest[e.payload.task_id] = e
    for envelope in newest.values():
        await apply_task_changed(conn, envelope)


async def _clear_home(conn: Connection) -> None:
    await home_store.clear(conn)
    await home_product_store.clear(conn)


async def _apply_home(conn: Connection, envelopes: list[Envelope[Any]]) -> None:
    products = [e for e in envelopes if isinstance(e.payload, ProductSyncChanged)]
    orders = [order_event(e) for e in envelopes if not isinstance(e.payload, ProductSyncChanged)]
    if orders:
        await record_orders(conn, orders)
        read_model_lag.applied(READ_MODEL, max(e.occurred_at for e in envelopes))
    if products:
        await record_products(conn, products)


def _home() -> ReadModel:
    # Redactions go last: one names orders by their Shopify id, which only the replayed order
    # events bring (live, the order came first; a replay reads the topics in any order).
    routes = track_home(EventRouter()).routes
    redactions = [r for r in routes if r.event is ShopifyCustomerRedactRequested]
    facts = [r for r in routes if r not in redactions]
    return ReadModel("home", _clear_home, [Phase(facts, _apply_home), Phase(redactions)])


READ_MODELS: dict[str, Callable[[], ReadModel]] = {
    "tasks": lambda: ReadModel(
        "tasks", task_store.clear_tasks, [Phase([Route(TaskChanged, _apply_task)], _apply_tasks)]
    ),
    "home": _home,
}
BATCH = 5000  # messages applied together at most


async def rebuild(settings: GatewaySettings, name: str) -> int:
    """Empty the read model `name` and replay its topics into it; returns the messages
    replayed."""
    model = READ_MODELS[name]()
    pool = await database.create_pool(
        settings.database_url, settings.schema_name, 1, service=settings.service_name
    )
    try:
        async with pool.acquire() as conn, conn.transaction():
            await model.clear(conn)
            replayed = 0
            for phase in model.phases:
                replayed += await _replay(conn, settings, phase)
            return replayed
    finally:
        await pool.close()


async def _replay(conn: Connection, settings: GatewaySettings, phase: Phase) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        by_topic = {settings.topic(r.event.topic()): r for r in phase.routes}
        ends = await _assign_from_start(consumer, list(by_topic))
        fx = Effects(conn, settings)
        return await _apply_until(
            consumer, ends, lambda messages: _apply(fx, by_topic, phase.batch, messages)
        )
    finally:
        await consumer.stop()


async def _assign_from_start(
    consumer: AIOKafkaConsumer, topics: list[str]
) -> dict[TopicPartition, int]:
    """Every partition of the topics from its first offset; the end offsets to stop at."""
    await consumer._client.force_metadata_update()
    partitions = [
        TopicPartition(topic, p)
        for topic in topics
        for p in sorted(consumer.partitions_for_topic(topic) or ())
    ]
    if not partitions:
        return {}
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
    return ends


async def _apply_until(
    consumer: AIOKafkaConsumer,
    ends: dict[TopicPartition, int],
    apply: Callable[[list[tuple[str, bytes | None]]], Awaitable[int]],
) -> int:
    """Apply every message up to the ends and on until a poll brings none: a broker may report
    a partition's end before its last batch (stopping exactly at the ends missed one in about
    one run of five), and later messages are harmless (the newer state wins either way)."""
    replayed = 0
    left = set(ends)
    while left:
        batches = await consumer.getmany(*left, timeout_ms=1000, max_records=BATCH)
        messages = [(tp.topic, m.value) for tp, ms in batches.items() for m in ms]
        if messages:
            replayed += await apply(messages)
        for tp in list(left):
            if tp not in batches and await consumer.position(tp) >= ends[tp]:
                left.discard(tp)
    return replayed


async def _apply(
    fx: Effects,
    by_topic: dict[str, Route],
    batch: Batch | None,
    messages: list[tuple[str, bytes | None]],
) -> int:
    """Apply the messages as the live subscribers do (together, when the phase can); a
    malformed one is skipped with a log line (the live consumer has dead-lettered it)."""
    envelopes = []
    for topic, value in messages:
        envelope = _parsed(by_topic[topic], value)
        if envelope is not None:
            envelopes.append((by_topic[topic], envelope))
    if batch is not None:
        await batch(fx.conn, [e for _, e in envelopes])
        return len(envelopes)
    for route, envelope in envelopes:
        await route.handler(envelope, Effects(fx.conn, fx.settings, cause=envelope))
    return len(envelopes)


@cache
def _envelope_of(event: type[Any]) -> type[Envelope[Any]]:
    # Parametrizing a generic model per message cost more than parsing it.
    return Envelope[event]  # type: ignore[valid-type]


def _parsed(route: Route, value: bytes | None) -> Envelope[Any] | None:
    try:
        envelope = _envelope_of(route.event).model_validate_json(value or b"")
    except ValidationError as exc:
        log.warning("gateway.rebuild_skipped_message", error=str(exc)[:500])
        return None
    return envelope
