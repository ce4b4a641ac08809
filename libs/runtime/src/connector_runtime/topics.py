"""The topics a service declares (what it consumes, publishes and dead-letters), ensured at start.

A cluster with topic auto-creation off (the production default we recommend) then needs no
separate step, and a broker that auto-creates topics never picks their partition count for us
(a different count changes which partition a key lands on). Existing topics are never altered.

While the service runs, `TopicWatch` checks them every `KAFKA_TOPIC_CHECK_SECONDS`: a broker that
came back without them (restarted on lost storage) gets them again from the service itself,
and the service's Kafka clients are restarted on them (ADR 0311).
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from connector_contracts import Event

from connector_runtime import metrics
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
    async with _admin(bootstrap_servers) as admin:
        return await _create_missing(admin, topics)


@contextlib.asynccontextmanager
async def _admin(bootstrap_servers: str) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        await admin.start()  # closed even when this fails (an unreachable broker)
        yield admin
    finally:
        await admin.close()


async def _create_missing(admin: AIOKafkaAdminClient, topics: Sequence[TopicSpec]) -> list[str]:
    existing = set(await admin.list_topics())
    missing = [t for t in topics if t.name not in existing]
    if missing:
        with contextlib.suppress(TopicAlreadyExistsError):  # a concurrent creator won
            await admin.create_topics([t.new_topic() for t in missing])
        log.info("topics.created", topics=[t.name for t in missing])
    return [t.name for t in missing]


class TopicWatch:
    """Recreates the service's declared topics when they go missing while it runs, then calls
    `on_recreated` with their names (the runtime restarts its Kafka clients on them)."""

    def __init__(
        self,
        settings: ServiceSettings,
        topics: Sequence[TopicSpec],
        on_recreated: Callable[[list[str]], Awaitable[None]],
    ) -> None:
        self._settings = settings
        self._topics = list(topics)
        self._on_recreated = on_recreated
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self._misshapen: dict[str, int] = {}

    def start(self) -> None:
        """Check in the background."""
        self._task = asyncio.create_task(self._run(), name="topic-watch")

    async def stop(self) -> None:
        """Stop checking."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._settings.kafka_topic_check_seconds)
            await self.check()

    async def check(self) -> list[str]:
        """One check: the names of the topics it had to create again."""
        try:
            bound = self._settings.kafka_topic_check_seconds * 3
            found = await asyncio.wait_for(
                check_topics(self._settings.kafka_bootstrap_servers, self._topics), bound
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not self._failing:  # one warning per broker outage, not one per check
                log.warning("topics.check_failed", error=f"{type(exc).__name__}: {exc}"[:300])
            self._failing = True
            return []
        if self._failing:
            log.info("topics.check_recovered")
        self._failing = False
        await self._report(found)
        return found.created

    async def _report(self, found: "TopicCheck") -> None:
        service = self._settings.service_name
        metrics.TOPICS_MISSHAPEN.labels(service).set(len(found.misshapen))
        if found.misshapen and found.misshapen != self._misshapen:
            # Auto-created by the broker before we could create it: keys may now land on other
            # partitions than before. Not ours to repair (it may hold messages already).
            declared = self._settings.kafka_topic_partitions
            log.warning("topics.partitions_differ", declared=declared, found=found.misshapen)
        self._misshapen = found.misshapen
        if found.created:
            metrics.TOPICS_RECREATED.labels(service).inc(len(found.created))
            log.warning("topics.recreated", topics=found.created)
            await self._on_recreated(found.created)


@dataclass(frozen=True)
class TopicCheck:
    """What one check of the declared topics found."""

    created: list[str]  # missing, and created now
    misshapen: dict[str, int]  # declared topics with another partition count: name -> count


async def check_topics(bootstrap_servers: str, topics: Sequence[TopicSpec]) -> TopicCheck:
    """Create the missing topics, and find those whose partition count differs from ours."""
    async with _admin(bootstrap_servers) as admin:
        created = await _create_missing(admin, topics)
        # Only topics that exist are described: a broker that auto-creates topics would
        # create a missing one on this very request, with its own partition count.
        present = [t for t in topics if t.name not in created]
        counts = {
            str(d["topic"]): len(d["partitions"])
            for d in (await admin.describe_topics([t.name for t in present]) if present else [])
            if not d["error_code"]
        }
        misshapen = {
            t.name: counts[t.name]
            for t in present
            if counts.get(t.name, t.partitions) != t.partitions
        }
        return TopicCheck(created, misshapen)
