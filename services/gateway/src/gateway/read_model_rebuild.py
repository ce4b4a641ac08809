"""Rebuilding a read model from its topic: `python -m gateway rebuild-read-model tasks`.

The list is emptied and the topic replayed from its first offset past the end it had when the
rebuild began, until it is quiet, all in one transaction: readers keep the old rows until it
commits, and the live consumer, which applies the same merge rule, can run alongside (the
higher sequence wins either way). The replay reads without a consumer group: it commits nothing and moves no one's offsets.
"""

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from connector_contracts import Envelope, TaskChanged
from connector_runtime import db as database
from connector_runtime.db import Connection
from pydantic import ValidationError

from gateway import task_store
from gateway.settings import GatewaySettings
from gateway.task_list import apply_task_changed

log = structlog.get_logger()


async def rebuild_tasks(settings: GatewaySettings) -> int:
    """Empty the task list and replay `task.changed` into it; returns the messages replayed."""
    pool = await database.create_pool(
        settings.database_url, settings.schema_name, 1, service=settings.service_name
    )
    try:
        async with pool.acquire() as conn, conn.transaction():
            await task_store.clear_tasks(conn)
            return await _replay(conn, settings)
    finally:
        await pool.close()


async def _replay(conn: Connection, settings: GatewaySettings) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        ends = await _assign_from_start(consumer, settings.topic(TaskChanged.topic()))
        return await _apply_until(conn, consumer, ends)
    finally:
        await consumer.stop()


async def _assign_from_start(consumer: AIOKafkaConsumer, topic: str) -> dict[TopicPartition, int]:
    """Every partition of the topic from its first offset; the end offsets to stop at."""
    partitions = [TopicPartition(topic, p) for p in await _partitions(consumer, topic)]
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
    return ends


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[int]:
    await consumer._client.force_metadata_update()
    return sorted(consumer.partitions_for_topic(topic) or ())


async def _apply_until(
    conn: Connection, consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]
) -> int:
    """Apply every message up to the ends and on until a poll brings none: a broker may report
    a partition's end before its last batch, and later messages are harmless (the newer state
    wins either way)."""
    replayed = 0
    left = set(ends)
    while left:
        batches = await consumer.getmany(*left, timeout_ms=1000)
        for messages in batches.values():
            for message in messages:
                replayed += await _apply(conn, message.value)
        for tp in list(left):
            if tp not in batches and await consumer.position(tp) >= ends[tp]:
                left.discard(tp)
    return replayed


async def _apply(conn: Connection, value: bytes | None) -> int:
    """Apply one message; a malformed one is skipped with a log line (the live consumer has
    dead-lettered it already)."""
    try:
        envelope = Envelope[TaskChanged].model_validate_json(value or b"")
    except ValidationError as exc:
        log.warning("gateway.rebuild_skipped_message", error=str(exc)[:500])
        return 0
    await apply_task_changed(conn, envelope)
    return 1
