"""Reading and writing raw Kafka records, for tests, the demo and benchmarks."""

import asyncio
import time
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


@dataclass(frozen=True)
class Record:
    """One Kafka record as read back."""

    key: bytes | None
    value: bytes
    headers: dict[str, bytes]


async def produce(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    """Publish one raw record and wait for the broker's ack."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def read_all(bootstrap: str, topic: str, *, at_least: int, within: float) -> list[Record]:
    """Read a topic from the start until `at_least` records arrived and it went quiet."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[Record] = []
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            got = [r for rs in batch.values() for r in rs]
            records += [Record(r.key, r.value, dict(r.headers)) for r in got]
            if len(records) >= at_least and not got:
                break
    finally:
        await consumer.stop()
    return records


def read_all_sync(bootstrap: str, topic: str, *, at_least: int, within: float) -> list[Record]:
    """Synchronous read_all."""
    return asyncio.run(read_all(bootstrap, topic, at_least=at_least, within=within))


async def read_to_end(bootstrap: str, topic: str) -> list[Record]:
    """Every record the topic holds now, from the start (no consumer group, so no join wait)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # fetches the metadata partitions_for_topic reads
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[Record] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=500)
            records += [
                Record(r.key, r.value, dict(r.headers)) for rs in batch.values() for r in rs
            ]
        return records
    finally:
        await consumer.stop()


async def partition_counts(bootstrap: str, prefix: str) -> dict[str, int]:
    """Partitions of every topic whose name starts with `prefix`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        names = [t for t in await consumer.topics() if t.startswith(prefix)]
        return {t: len(consumer.partitions_for_topic(t) or ()) for t in sorted(names)}
    finally:
        await consumer.stop()


def partition_counts_sync(bootstrap: str, prefix: str) -> dict[str, int]:
    """Synchronous partition_counts."""
    return asyncio.run(partition_counts(bootstrap, prefix))
