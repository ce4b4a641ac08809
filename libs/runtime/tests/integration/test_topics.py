"""A service creates the topics it declares at start, with its partitions, and never alters
an existing one (issue 16: topics auto-created by the broker got 4 partitions instead of 3);
while it runs, its topic watch creates them again when they vanish (ADR 0311)."""

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from connector_contracts import ConnectionChanged, OrderPaid
from connector_devstack.in_process import isolated_settings, serve
from connector_devstack.infra import Infra
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects
from connector_runtime.service import ServiceSpec
from connector_runtime.settings import ServiceSettings
from connector_runtime.topics import TopicWatch, declared_topics
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


def spec() -> ServiceSpec:
    events = EventRouter()

    @events.on(ConnectionChanged)
    async def on_connection(envelope: object, fx: Effects) -> None:
        """Nothing to do."""

    return ServiceSpec(name="topic-owner", events=events, publishes=[OrderPaid])


async def partitions(bootstrap: str, names: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
        return {t["topic"]: len(t["partitions"]) for t in described if not t["error_code"]}
    finally:
        await admin.close()


def test_declared_topics_are_what_it_consumes_publishes_and_dead_letters() -> None:
    settings = ServiceSettings(service_name="svc", topic_prefix="p.")
    names = [t.name for t in declared_topics([ConnectionChanged], [OrderPaid], settings)]
    assert names == ["p.connection.changed", "p.order.paid", "p.svc.dead-letter"]


async def test_a_service_creates_its_missing_topics_at_start_and_keeps_existing_ones(
    infra: Infra,
) -> None:
    settings = isolated_settings(ServiceSettings, infra, service_name="topic-owner")
    existing = settings.topic("order.paid")
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(existing, 1, 1)])  # made by someone else, 1 partition
    finally:
        await admin.close()
    names = [settings.topic("connection.changed"), existing, settings.dead_letter_topic]
    async with serve(spec(), settings):
        counts = await partitions(settings.kafka_bootstrap_servers, names)
    assert counts == {names[0]: 3, existing: 1, names[2]: 3}


async def test_the_watch_recreates_missing_topics_and_reports_misshapen_ones(infra: Infra) -> None:
    settings = isolated_settings(ServiceSettings, infra, service_name="topic-watcher")
    topics = declared_topics([ConnectionChanged], [OrderPaid], settings)
    resumed: list[list[str]] = []

    async def on_recreated(names: list[str]) -> None:
        resumed.append(names)

    watch = TopicWatch(settings, topics, on_recreated)
    first = await watch.check()
    again = await watch.check()
    # As if a broker that auto-creates topics had made one with its own partition count.
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        await admin.delete_topics([topics[1].name])
        await admin.create_topics([NewTopic(topics[1].name, 4, 1)])
    finally:
        await admin.close()
    await watch.check()
    misshapen = REGISTRY.get_sample_value(
        "connector_topics_misshapen", {"service": "topic-watcher"}
    )
    recreated = REGISTRY.get_sample_value(
        "connector_topics_recreated_total", {"service": "topic-watcher"}
    )
    assert first == [t.name for t in topics]
    assert (again, resumed) == ([], [first])
    assert (misshapen, recreated) == (1.0, 3.0)
