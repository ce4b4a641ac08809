"""The delivery discipline on the real broker and PostgreSQL: dedupe, retry, park, dead letter;
batch routes apply a poll in one transaction and fall back to one message at a time."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
import structlog
from aiokafka import AIOKafkaProducer
from connector_contracts import (
    Envelope,
    InventoryChanged,
    OrderPaid,
    OrderStatus,
    ProductPulled,
    new_envelope,
)
from connector_devstack.infra import Infra
from connector_devstack.topics import produce, read_all
from connector_runtime.consumer import EventRouter, PermanentError
from connector_runtime.outbox import Effects
from connector_runtime.service import Runtime, ServiceSpec
from connector_runtime.settings import ServiceSettings
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

pytestmark = pytest.mark.integration

flaky_failures: dict[str, int] = {}
outage_failures: dict[uuid.UUID, int] = {}  # event id -> failures so far (events in an outage)
held: dict[str, asyncio.Event] = {}  # order id -> released when set
waiting: set[str] = set()  # held order ids whose handler has reached the hold
OUTAGE_FAILURES = 5  # parked at once (ADR 0011), then 4 failed retries of the parked message
batch_sizes: list[int] = []  # messages per call of the batch handler


class PlatformAway(Exception):
    """Stands for a platform outage (the service declares it transient)."""


def build_router() -> EventRouter:
    router = EventRouter()

    @router.on(OrderPaid)
    async def on_order_paid(envelope: Envelope[OrderPaid], fx: Effects) -> None:
        """Record one effect per order; fail on demand."""
        order_id = envelope.payload.tiktok_order_id
        if order_id.startswith("broken"):
            raise RuntimeError(f"cannot handle {order_id}")
        if order_id.startswith("invalid"):
            raise PermanentError(f"{order_id} breaks a business rule")
        if order_id in held:
            waiting.add(order_id)
            await held[order_id].wait()  # the test decides when this message is done
        if order_id.startswith("outage-forever"):
            raise PlatformAway("Shopify is away for good")
        failures = outage_failures.get(envelope.event_id)
        if failures is not None and failures < OUTAGE_FAILURES:
            outage_failures[envelope.event_id] = failures + 1
            raise PlatformAway(f"Shopify is away ({failures + 1})")
        if order_id.startswith("flaky") and flaky_failures.get(order_id, 0) < 2:
            flaky_failures[order_id] = flaky_failures.get(order_id, 0) + 1
            raise ConnectionResetError("peer went away")  # transient: retried in-process
        await fx.conn.execute(
            "CREATE TABLE IF NOT EXISTS effects (order_id text, event_id uuid, seq bigserial)"
        )
        await fx.conn.execute(
            "INSERT INTO effects (order_id, event_id) VALUES ($1, $2)", order_id, envelope.event_id
        )
        # The outbox is part of the same transaction (a topic this consumer doesn't read).
        await fx.emit(ProductPulled(shopify_product_id=order_id, title="t", variant_count=1))

    @router.on_batch(InventoryChanged, max_records=50)
    async def on_changes(envelopes: Sequence[Envelope[InventoryChanged]], fx: Effects) -> None:
        """Record one effect per change, all in the poll's transaction; fail on demand."""
        batch_sizes.append(len(envelopes))
        for envelope in envelopes:
            item = envelope.payload.shopify_inventory_item_id
            if item in held:
                await held[item].wait()
            if item.startswith("broken"):
                raise RuntimeError(f"cannot handle {item}")
        await fx.conn.execute("CREATE TABLE IF NOT EXISTS changes (item text, event_id uuid)")
        await fx.conn.executemany(
            "INSERT INTO changes (item, event_id) VALUES ($1, $2)",
            [(e.payload.shopify_inventory_item_id, e.event_id) for e in envelopes],
        )

    return router


@pytest.fixture
async def runtime(infra: Infra) -> AsyncIterator[Runtime]:
    env = infra.service_env()
    settings = ServiceSettings(
        service_name=f"rt-{uuid.uuid4().hex[:6]}",
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        database_url=env["DATABASE_URL"],
        topic_prefix=f"{infra.prefix}{uuid.uuid4().hex[:4]}.",
        handler_max_attempts=3,
        handler_retry_max_seconds=0.2,
        parked_retry_min_seconds=0.2,
        parked_retry_max_seconds=0.5,
        parked_max_age_seconds=3,
        parked_poll_seconds=0.1,
        consumer_lag_poll_seconds=0.2,
        kafka_session_timeout_ms=int(env.get("KAFKA_SESSION_TIMEOUT_MS", "10000")),
        kafka_heartbeat_interval_ms=int(env.get("KAFKA_HEARTBEAT_INTERVAL_MS", "3000")),
    )
    rt = Runtime(
        ServiceSpec(
            name=settings.service_name, events=build_router(), transient_errors=(PlatformAway,)
        ),
        settings,
    )
    await rt.start()
    yield rt
    await rt.stop()


def paid(order_id: str) -> Envelope[OrderPaid]:
    return new_envelope(
        OrderPaid(
            tiktok_order_id=order_id,
            tiktok_shop_id="1",
            status=OrderStatus.AWAITING_SHIPMENT,
            paid_at=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        connection_id="c",
    )


async def send(rt: Runtime, envelope: Envelope[OrderPaid]) -> None:
    await produce(
        rt.settings.kafka_bootstrap_servers,
        rt.settings.topic("order.paid"),
        envelope.model_dump_json().encode(),
        key=envelope.payload.key().encode(),
    )


async def effects(rt: Runtime, want: int) -> list[asyncpg.Record]:
    deadline = asyncio.get_running_loop().time() + 60
    rows: list[asyncpg.Record] = []
    while asyncio.get_running_loop().time() < deadline:
        async with rt.pool.acquire() as conn:
            if await conn.fetchval("SELECT to_regclass('effects')"):
                rows = await conn.fetch(
                    "SELECT order_id, event_id FROM effects ORDER BY order_id, seq"
                )
        if len(rows) >= want:
            return rows
        await asyncio.sleep(0.1)
    return rows


async def test_redelivered_event_takes_effect_once(runtime: Runtime) -> None:
    envelope = paid("o-1")
    await send(runtime, envelope)
    await send(runtime, envelope)  # a redelivery: same event id
    await send(runtime, paid("o-2"))
    rows = await effects(runtime, 2)
    await asyncio.sleep(1)  # give a wrong second effect the chance to appear
    rows = await effects(runtime, 2)
    assert [r["order_id"] for r in rows] == ["o-1", "o-2"]
    pulled = await read_all(
        runtime.settings.kafka_bootstrap_servers,
        runtime.settings.topic("product.pulled"),
        at_least=2,
        within=30,
    )
    assert sorted(
        Envelope[ProductPulled].model_validate_json(r.value).payload.shopify_product_id
        for r in pulled
    ) == ["o-1", "o-2"]
    async with runtime.pool.acquire() as conn:
        assert (
            await conn.fetchval(
                "SELECT redeliveries FROM inbox WHERE event_id = $1", envelope.event_id
            )
            == 1
        )


async def test_transient_failure_is_retried_then_applied(runtime: Runtime) -> None:
    await send(runtime, paid("flaky-1"))
    rows = await effects(runtime, 1)
    assert [r["order_id"] for r in rows] == ["flaky-1"]
    assert flaky_failures["flaky-1"] == 2


async def test_failing_event_is_dead_lettered_after_max_attempts_and_the_stream_goes_on(
    runtime: Runtime,
) -> None:
    await send(runtime, paid("broken-1"))
    await send(runtime, paid("invalid-1"))
    await send(runtime, paid("o-after"))
    rows = await effects(runtime, 1)
    assert [r["order_id"] for r in rows] == ["o-after"]
    dead = await read_all(
        runtime.settings.kafka_bootstrap_servers,
        runtime.settings.dead_letter_topic,
        at_least=2,
        within=30,
    )
    by_order = {
        Envelope[OrderPaid].model_validate_json(r.value).payload.tiktok_order_id: r for r in dead
    }
    assert set(by_order) == {"broken-1", "invalid-1"}
    assert by_order["broken-1"].headers["x-attempts"] == b"3"
    assert b"cannot handle broken-1" in by_order["broken-1"].headers["x-error"]
    assert by_order["invalid-1"].headers["x-attempts"] == b"1"  # permanent: no retries
    assert by_order["invalid-1"].headers["x-error-type"] == b"PermanentError"


async def test_a_message_failing_on_an_outage_is_parked_and_applied_later_in_key_order(
    runtime: Runtime,
) -> None:
    first, second = paid("outage-1"), paid("outage-1")  # two events of one order: one key
    outage_failures[first.event_id] = 0  # only the first meets the outage
    for envelope in (first, second, paid("o-other")):
        await send(runtime, envelope)
    await effects(runtime, 3)
    async with runtime.pool.acquire() as conn:
        sequence = [
            (r["order_id"], r["event_id"])
            for r in await conn.fetch("SELECT order_id, event_id FROM effects ORDER BY seq")
        ]
        parked_left = await conn.fetchval("SELECT count(*) FROM work_items WHERE kind = 'parked'")
    # The other order was not held up; the parked one came back, its follower after it.
    assert [order for order, _ in sequence] == ["o-other", "outage-1", "outage-1"]
    assert [event for _, event in sequence[1:]] == [first.event_id, second.event_id]
    assert outage_failures[first.event_id] == OUTAGE_FAILURES
    assert parked_left == 0


async def test_a_message_parked_past_its_maximum_age_is_dead_lettered(runtime: Runtime) -> None:
    await send(runtime, paid("outage-forever-1"))
    dead = await read_all(
        runtime.settings.kafka_bootstrap_servers,
        runtime.settings.dead_letter_topic,
        at_least=1,
        within=30,
    )
    [record] = dead
    assert record.headers["x-error-type"] == b"PlatformAway"
    assert int(record.headers["x-attempts"]) > 1
    async with runtime.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM work_items WHERE kind = 'parked'") == 0


def failures(rt: Runtime, stage: str) -> float:
    labels = {"service": rt.settings.service_name, "topic": rt.settings.topic("order.paid")}
    value = REGISTRY.get_sample_value(
        "connector_consumer_failures_total", labels | {"stage": stage}
    )
    return value or 0.0


def lag(rt: Runtime) -> float:
    labels = {"service": rt.settings.service_name, "topic": rt.settings.topic("order.paid")}
    return REGISTRY.get_sample_value("connector_consumer_lag_messages", labels) or 0.0


async def until(check: Callable[[], bool]) -> None:
    for _ in range(600):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the condition did not hold within 60 s")


# Parking fails in PostgreSQL itself, as it would on a database going away mid-outage.
REFUSE_PARKING = """
CREATE OR REPLACE FUNCTION refuse_parking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'parked' THEN RAISE EXCEPTION 'parking is refused'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse_parking BEFORE INSERT ON work_items
  FOR EACH ROW EXECUTE FUNCTION refuse_parking();
"""


def unsettled(logs: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    return [e for e in logs if e["event"] == "message.unsettled" and e["stage"] == stage]


async def test_a_message_whose_parking_fails_is_logged_nacked_and_parked_once_it_can_be(
    runtime: Runtime,
) -> None:
    envelope = paid("outage-park-1")
    outage_failures[envelope.event_id] = 0
    async with runtime.pool.acquire() as conn:
        await conn.execute(REFUSE_PARKING)
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        await send(runtime, envelope)
        await until(lambda: failures(runtime, "park") >= 2)  # redelivered, failing again
        async with runtime.pool.acquire() as conn:
            await conn.execute("DROP TRIGGER refuse_parking ON work_items")
        rows = await effects(runtime, 1)
    assert [r["event_id"] for r in rows] == [envelope.event_id]  # not committed past: applied
    assert failures(runtime, "park") >= 2
    [first, *_] = unsettled(logs, "park")
    assert first["correlation_id"] == envelope.correlation_id
    assert "parking is refused" in first["error"]


async def test_a_message_whose_dead_letter_send_fails_is_redelivered_until_it_is_sent(
    runtime: Runtime,
) -> None:
    envelope = paid("broken-dl-1")
    live = runtime.dead_letters.producer
    # A connected producer that refuses every record as too large: no dead letter can be sent.
    refusing = AIOKafkaProducer(
        bootstrap_servers=runtime.settings.kafka_bootstrap_servers, max_request_size=64
    )
    await refusing.start()
    runtime.dead_letters.producer = refusing
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        await send(runtime, envelope)
        await until(lambda: failures(runtime, "dead_letter") >= 2)
        runtime.dead_letters.producer = live
        await refusing.stop()
        dead = await read_all(
            runtime.settings.kafka_bootstrap_servers,
            runtime.settings.dead_letter_topic,
            at_least=1,
            within=30,
        )
    assert failures(runtime, "dead_letter") >= 2
    [record] = dead
    assert Envelope[OrderPaid].model_validate_json(record.value).event_id == envelope.event_id
    [first, *_] = unsettled(logs, "dead_letter")
    assert first["correlation_id"] == envelope.correlation_id


async def test_a_message_whose_ack_does_not_return_in_time_marks_the_consumer_stalled(
    runtime: Runtime,
) -> None:
    envelope = paid("o-ack-1")
    topic = runtime.settings.topic("order.paid")
    bound = runtime.settings.kafka_ack_timeout_seconds
    # No commit can answer within a nanosecond: every acknowledgement exceeds its bound.
    runtime.settings.kafka_ack_timeout_seconds = 1e-9
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        await send(runtime, envelope)
        await until(lambda: failures(runtime, "ack") >= 2)
        stalled = runtime.consumers.stalled()
        gauge = REGISTRY.get_sample_value(
            "connector_consumer_stalled",
            {"service": runtime.settings.service_name, "topic": topic},
        )
        runtime.settings.kafka_ack_timeout_seconds = bound
        await until(lambda: not runtime.consumers.stalled())
    assert stalled == [topic]
    assert gauge == 1
    assert runtime.consumers.stalled() == []
    rows = await effects(runtime, 1)
    assert [r["event_id"] for r in rows] == [
        envelope.event_id
    ]  # applied once, redeliveries deduped
    [first, *_] = unsettled(logs, "ack")
    assert first["correlation_id"] == envelope.correlation_id
    assert "offset commit" in first["error"]


async def test_a_consumer_exports_its_lag_until_it_has_committed_what_it_read(
    runtime: Runtime,
) -> None:
    held["o-held"] = asyncio.Event()
    await send(runtime, paid("o-held"))
    # The two keys fall in different partitions, and a poll may hand either partition's record
    # first: the second is sent once the first is being handled, so it waits behind it.
    await until(lambda: "o-held" in waiting)
    await send(runtime, paid("o-behind"))
    await until(lambda: lag(runtime) == 2)  # neither is committed while the first is handled
    lagging = lag(runtime)
    held["o-held"].set()
    await until(lambda: lag(runtime) == 0)
    rows = await effects(runtime, 2)
    assert lagging == 2
    assert lag(runtime) == 0
    assert [r["order_id"] for r in rows] == ["o-behind", "o-held"]


def changed(item: str) -> Envelope[InventoryChanged]:
    change = InventoryChanged(
        shopify_inventory_item_id=item,
        shopify_location_id="L",
        available=1,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return new_envelope(change, connection_id="c")


async def send_raw(rt: Runtime, body: bytes, key: str) -> None:
    topic = rt.settings.topic("inventory.changed")
    await produce(rt.settings.kafka_bootstrap_servers, topic, body, key=key.encode())


async def changes(rt: Runtime, want: int) -> list[tuple[str, uuid.UUID]]:
    rows: list[tuple[str, uuid.UUID]] = []
    for _ in range(600):
        async with rt.pool.acquire() as conn:
            if await conn.fetchval("SELECT to_regclass('changes')"):
                found = await conn.fetch("SELECT item, event_id FROM changes ORDER BY item")
                rows = [(r["item"], r["event_id"]) for r in found]
        if len(rows) >= want:
            return rows
        await asyncio.sleep(0.1)
    return rows


async def test_a_batch_route_applies_what_one_poll_brings_in_one_call_once_each(
    runtime: Runtime,
) -> None:
    batch_sizes.clear()
    held["held-1"] = asyncio.Event()
    first = changed("held-1")
    await send_raw(runtime, first.model_dump_json().encode(), "held-1")
    await until(lambda: bool(batch_sizes))  # the consumer holds the first poll, alone
    burst = [changed(f"i-{n:02}") for n in range(30)]
    for envelope in [*burst, burst[3], first]:  # a second copy and a redelivery
        await send_raw(runtime, envelope.model_dump_json().encode(), "k")
    held["held-1"].set()
    rows = await changes(runtime, 31)
    await asyncio.sleep(1)  # give a wrong second effect the chance to appear
    rows = await changes(runtime, 31)
    assert sorted(rows) == sorted(
        [("held-1", first.event_id)]
        + [(e.payload.shopify_inventory_item_id, e.event_id) for e in burst]
    )
    assert max(batch_sizes) > 1  # the 32 queued behind the held poll came in few polls
    async with runtime.pool.acquire() as conn:
        seen = await conn.fetchval(
            "SELECT redeliveries FROM inbox WHERE event_id = $1", first.event_id
        )
    assert seen == 1


async def test_a_failing_message_of_a_batch_is_dead_lettered_alone_and_the_rest_applied(
    runtime: Runtime,
) -> None:
    batch_sizes.clear()
    held["held-2"] = asyncio.Event()
    await send_raw(runtime, changed("held-2").model_dump_json().encode(), "held-2")
    await until(lambda: bool(batch_sizes))
    broken, ok = changed("broken-b"), [changed("ok-a"), changed("ok-c")]
    await send_raw(runtime, ok[0].model_dump_json().encode(), "k")
    await send_raw(runtime, broken.model_dump_json().encode(), "k")
    await send_raw(runtime, b'{"type": "inventory.changed"}', "k")  # no envelope: invalid
    await send_raw(runtime, ok[1].model_dump_json().encode(), "k")
    held["held-2"].set()
    rows = await changes(runtime, 3)
    dead = await read_all(
        runtime.settings.kafka_bootstrap_servers,
        runtime.settings.dead_letter_topic,
        at_least=2,
        within=30,
    )
    assert [item for item, _ in rows] == ["held-2", "ok-a", "ok-c"]
    errors = sorted(r.headers["x-error-type"] for r in dead)
    assert errors == [b"RuntimeError", b"ValidationError"]
    [failed] = [r for r in dead if r.headers["x-error-type"] == b"RuntimeError"]
    assert failed.headers["x-attempts"] == b"3"  # retried on its own, as a single message
    assert Envelope[InventoryChanged].model_validate_json(failed.value).event_id == broken.event_id
