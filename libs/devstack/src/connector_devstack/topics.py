"""Reading and writing raw Kafka records, for tests, the demo and benchmarks."""

import asyncio
import time
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


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
