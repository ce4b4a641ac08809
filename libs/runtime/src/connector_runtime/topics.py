"""The topics a service declares (what it consumes, publishes and dead-letters), ensured at start.

A cluster with topic auto-creation off (the production default we recommend) then needs no
separate step, and a broker that auto-creates topics never picks their partition count for us
(a different count changes which partition a key lands on). Existing topics are never altered.
"""

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from connector_contracts import Event

from connector_runtime.settings import ServiceSettings

log = structlog.get_logger()


@dataclass(frozen=True)
class TopicSpec:
    """One topic as the service wants it created."""

    name: str
    partitions: int
    replication: int
    retention_ms: int

    def new_topic(self) -> NewTopic:
        """The admin client's request for it."""
        return NewTopic(
            self.name,
            self.partitions,
            self.replication,
            topic_configs={"retention.ms": str(self.retention_ms)},
        )


def declared_topics(
    consumed: Iterable[type[Event]], published: Iterable[type[Event]], settings: ServiceSettings
) -> list[TopicSpec]:
    """The service's topics: those it consumes and publishes, and its dead-letter topic."""
    names = {settings.topic(e.topic()) for e in [*consumed, *published]}
    names.add(settings.dead_letter_topic)
    return [
        TopicSpec(
            name,
            settings.kafka_topic_partitions,
            settings.kafka_topic_replication,
            settings.kafka_topic_retention_ms,
        )
        for name in sorted(names)
    ]


async def ensure_topics(bootstrap_servers: str, topics: Sequence[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t.name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent creator won
                await admin.create_topics([t.new_topic() for t in missing])
            log.info("topics.created", topics=[t.name for t in missing])
        return [t.name for t in missing]
    finally:
        await admin.close()
