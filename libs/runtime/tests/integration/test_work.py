"""Durable work on the real PostgreSQL: exclusive claims, per-key order, backoff, give-up,
NOTIFY wake-up, periodic items and batches claimed at once."""

import asyncio
import signal
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import asyncpg
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll_async
from connector_runtime import db, parking, work
from connector_runtime.db import Connection
from connector_runtime.work import Backoff, Worker, WorkItem, WorkRunner, WorkStats

pytestmark = pytest.mark.integration

KIND = "test-kind"


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    schema = f"work_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 6)
    await db.migrate(pool, schema, db.package_migrations("connector_runtime"))
    yield pool
    await pool.close()


async def queue(pool: asyncpg.Pool, key: str, **options: Any) -> None:
    async with pool.acquire() as conn:
        await work.queue(conn, KIND, key, **options)


async def item_row(pool: asyncpg.Pool, key: str) -> asyncpg.Record | None:
    async with pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT attempts, last_error, payload::text AS payload,"
            " extract(epoch FROM due_at - now())::float8 AS due_in"
            " FROM work_items WHERE kind = $1 AND key = $2",
            KIND,
            key,
        )


class Calls:
    """What a test worker was asked to do."""

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.fail_with = fail_with
        self.ran: list[str] = []
        self.given_up: list[tuple[str, int]] = []
        self.done = asyncio.Event()

    async def run(self, _runtime: Any, _conn: Connection, item: WorkItem) -> None:
        self.ran.append(item.key)
        self.done.set()
        if self.fail_with is not None:
            raise self.fail_with

    async def give_up(
        self, _runtime: Any, _conn: Connection, item: WorkItem, _exc: BaseException
    ) -> None:
        self.given_up.append((item.key, item.attempts))


async def test_two_claimers_never_take_the_same_item(pool: asyncpg.Pool) -> None:
    await queue(pool, "only")
    async with pool.acquire() as a, pool.acquire() as b, a.transaction(), b.transaction():
        first = await work.claim(a, KIND)
        second = await work.claim(b, KIND)
    assert first is not None
    assert first.key == "only"
    assert second is None


async def test_a_key_being_run_is_neither_queued_again_nor_claimed_beside_its_run(
    pool: asyncpg.Pool,
) -> None:
    """What lets a periodic kind (a region's sweep) run many loops: one item per key."""
    await queue(pool, "region")
    async with pool.acquire() as a, pool.acquire() as b, a.transaction():
        running = await work.claim(a, KIND)
        # The schedule job meanwhile: never waits for the run, and adds no second item.
        await asyncio.wait_for(work.queue_missing(b, KIND, ["region"]), 10)
        async with b.transaction():
            beside = await work.claim(b, KIND)
    assert running is not None
    assert running.key == "region"
    assert beside is None
    assert await item_row(pool, "region") is None  # the run took the only one


async def test_an_ordered_claim_takes_only_the_head_of_each_ordering_key(
    pool: asyncpg.Pool,
) -> None:
    await queue(pool, "k-first", order_key="k")
    await queue(pool, "k-second", order_key="k")
    await queue(pool, "other", order_key="j")
    async with pool.acquire() as a, pool.acquire() as b, pool.acquire() as c:
        async with a.transaction(), b.transaction(), c.transaction():
            head = await work.claim(a, KIND, ordered=True)
            beside = await work.claim(b, KIND, ordered=True)
            behind = await work.claim(c, KIND, ordered=True)
        # `a` committed: the second item of `k` heads its key now (b and c rolled back).
        async with a.transaction():
            nxt = await work.claim(a, KIND, ordered=True)
    assert (head and head.key, beside and beside.key, behind) == ("k-first", "other", None)
    assert nxt is not None
    assert nxt.key == "k-second"


async def test_a_failed_item_is_put_back_with_one_more_attempt_and_a_doubling_backoff(
    pool: asyncpg.Pool,
) -> None:
    calls = Calls(fail_with=RuntimeError("platform away"))
    worker = Worker(kind=KIND, run=calls.run, backoff=Backoff(100.0, 1000.0))
    runner = WorkRunner(pool, "s", "svc")
    await queue(pool, "x")
    assert await runner.run_one(worker, None)
    once = await item_row(pool, "x")
    async with pool.acquire() as conn:  # as if the backoff had passed
        await conn.execute("UPDATE work_items SET due_at = now() WHERE key = 'x'")
    assert await runner.run_one(worker, None)
    twice = await item_row(pool, "x")
    assert once is not None
    assert twice is not None
    assert (once["attempts"], twice["attempts"]) == (1, 2)
    assert once["last_error"] == "RuntimeError: platform away"
    assert 50 < once["due_in"] <= 100  # first wait
    assert 150 < twice["due_in"] <= 200  # doubled
    assert not await runner.run_one(worker, None)  # not due yet
    assert calls.ran == ["x", "x"]


async def test_an_item_failing_past_its_maximum_age_is_given_up(pool: asyncpg.Pool) -> None:
    calls = Calls(fail_with=RuntimeError("still away"))
    worker = Worker(kind=KIND, run=calls.run, max_age_seconds=0.0, give_up=calls.give_up)
    await queue(pool, "old", attempts=1, error="away")
    assert await WorkRunner(pool, "s", "svc").run_one(worker, None)
    assert calls.given_up == [("old", 2)]
    assert await item_row(pool, "old") is None


async def test_an_item_failing_within_its_maximum_age_is_not_given_up(pool: asyncpg.Pool) -> None:
    calls = Calls(fail_with=RuntimeError("away"))
    worker = Worker(kind=KIND, run=calls.run, max_age_seconds=3600.0, give_up=calls.give_up)
    await queue(pool, "young")
    assert await WorkRunner(pool, "s", "svc").run_one(worker, None)
    assert calls.given_up == []
    assert await item_row(pool, "young") is not None


async def test_a_postponed_item_waits_without_an_attempt_and_frees_the_worker_for_the_next(
    pool: asyncpg.Pool,
) -> None:
    ran: list[str] = []

    async def run(_runtime: Any, _conn: Connection, item: WorkItem) -> None:
        ran.append(item.key)
        if item.key == "throttled":
            raise work.Postpone(100.0, "waiting for the store's API budget")

    worker = Worker(kind=KIND, run=run, max_age_seconds=0.0, give_up=Calls().give_up)
    runner = WorkRunner(pool, "s", "svc")
    await queue(pool, "throttled", attempts=2, error="earlier failure")
    await queue(pool, "other")
    assert await runner.run_one(worker, None)
    assert await runner.run_one(worker, None)  # the next item, at once
    assert not await runner.run_one(worker, None)  # the postponed one is not due yet
    row = await item_row(pool, "throttled")
    assert ran == ["throttled", "other"]
    assert row is not None
    # Not a failure: attempts unchanged, not given up despite its maximum age of 0.
    assert (row["attempts"], row["last_error"]) == (2, "waiting for the store's API budget")
    assert 50 < row["due_in"] <= 100
    assert await item_row(pool, "other") is None
    async with pool.acquire() as conn:  # what the item waits for, as a stuck view reads it
        reasons = await work.last_errors(conn, KIND, ["throttled", "other", "unknown"])
    assert reasons == {"throttled": "waiting for the store's API budget"}


async def test_queueing_wakes_an_idle_worker_by_notify(pool: asyncpg.Pool) -> None:
    calls = Calls()
    idle = asyncio.Event()

    def observe(_stats: WorkStats) -> None:
        idle.set()

    # An hour's poll: only the NOTIFY of the queueing commit can wake it within the test.
    worker = Worker(kind=KIND, run=calls.run, poll_seconds=3600.0, observe=observe)
    schema = await pool.fetchval("SELECT current_schema()")
    runner = WorkRunner(pool, schema, "svc")
    await runner.start([worker], None)
    try:
        await asyncio.wait_for(idle.wait(), 30)
        async with pool.acquire() as conn, conn.transaction():
            await work.queue(conn, KIND, "wake")
        await asyncio.wait_for(calls.done.wait(), 30)
    finally:
        await runner.stop()
    assert calls.ran == ["wake"]


async def test_one_notify_for_a_burst_fans_out_to_every_loop(pool: asyncpg.Pool) -> None:
    """Idle loops wake one at a time (one claim per NOTIFY), and each loop that finds work
    wakes the next: a burst queued in one transaction still runs on every loop at once."""
    running: set[str] = set()
    all_running = asyncio.Event()

    async def run(_runtime: Any, _conn: Connection, item: WorkItem) -> None:
        running.add(item.key)
        if len(running) == 4:
            all_running.set()
        async with asyncio.timeout(30):  # not wait_for: on 3.11 it can swallow the stop
            await all_running.wait()

    worker = Worker(kind=KIND, run=run, concurrency=4, poll_seconds=3600.0)
    schema = await pool.fetchval("SELECT current_schema()")
    runner = WorkRunner(pool, schema, "svc")
    await runner.start([worker], None)
    try:
        await asyncio.sleep(0.2)  # every loop has found nothing and waits an hour
        async with pool.acquire() as conn, conn.transaction():
            for n in range(4):
                await work.queue(conn, KIND, f"burst-{n}")
        await asyncio.wait_for(all_running.wait(), 30)
    finally:
        await runner.stop()
    assert running == {f"burst-{n}" for n in range(4)}


async def test_a_wakeup_wakes_one_waiting_loop_and_is_kept_when_none_waits() -> None:
    wakeups = work.Wakeups()
    first = asyncio.create_task(wakeups.wait(30))
    second = asyncio.create_task(wakeups.wait(30))
    await asyncio.sleep(0.01)
    wakeups.one()
    await asyncio.sleep(0.01)
    assert [first.done(), second.done()] == [True, False]
    wakeups.one()
    await asyncio.wait_for(second, 1)
    wakeups.one()  # nobody waits: the next wait returns at once
    await asyncio.wait_for(wakeups.wait(30), 1)


async def test_a_periodic_item_is_due_again_after_each_run(pool: asyncpg.Pool) -> None:
    calls = Calls()
    worker = Worker(kind=KIND, run=calls.run, every_seconds=100.0)
    runner = WorkRunner(pool, "s", "svc")
    await queue(pool, "sweep-1", payload={"n": 1})
    assert await runner.run_one(worker, None)
    assert not await runner.run_one(worker, None)  # its next turn is later
    row = await item_row(pool, "sweep-1")
    assert calls.ran == ["sweep-1"]
    assert row is not None
    assert (row["attempts"], row["payload"]) == (0, '{"n": 1}')
    assert 50 < row["due_in"] <= 100


async def test_queueing_a_key_again_moves_it_with_the_last_payload_unless_asked_to_keep_it(
    pool: asyncpg.Pool,
) -> None:
    await queue(pool, "sku-1", delay_seconds=2, payload={"qty": 1})
    await queue(pool, "sku-1", delay_seconds=500, payload={"qty": 2})
    moved = await item_row(pool, "sku-1")
    await queue(pool, "sku-1", delay_seconds=0, payload={"qty": 3}, replace_existing=False)
    kept = await item_row(pool, "sku-1")
    async with pool.acquire() as conn:
        count = await conn.fetchval("SELECT count(*) FROM work_items WHERE key = 'sku-1'")
    assert moved is not None
    assert kept is not None
    assert (count, moved["payload"], kept["payload"]) == (1, '{"qty": 2}', '{"qty": 2}')
    assert moved["due_in"] > 100
    assert kept["due_in"] > 100


async def test_messages_parked_by_the_previous_version_become_parked_items_in_key_order(
    infra: Infra,
) -> None:
    schema = f"work_{uuid.uuid4().hex[:8]}"
    pool = await db.create_pool(infra.service_env()["DATABASE_URL"], schema, 4)
    migrations = db.package_migrations("connector_runtime")
    before = [
        m
        for m in migrations
        if m[0].endswith(("0001_outbox_inbox.sql", "0002_parked_messages.sql"))
    ]
    body = ('{"type": "order.paid", "note": "' + "é" * 100 + '"}').encode()
    try:
        await db.migrate(pool, schema, before)
        async with pool.acquire() as conn:
            for park_key, kafka_key in (("t:6b", b"k"), ("t:6b", b"k"), ("t:event:e", None)):
                await conn.execute(
                    "INSERT INTO parked_messages (park_key, topic, kafka_key, body, attempts,"
                    " last_error, next_attempt_at) VALUES ($1, 't', $2, $3, 1, 'away', now())",
                    park_key,
                    kafka_key,
                    body,
                )
        await db.migrate(pool, schema, migrations)
        async with pool.acquire() as conn:
            await parking.park(
                conn, "t:6b", "new", parking.ParkedMessage("t", b"k", b"{}"), None, 0
            )
            newest = await conn.fetchval("SELECT id FROM work_items WHERE key = 'new'")
        # Three replicas claiming at once.
        async with (
            pool.acquire() as a,
            pool.acquire() as b,
            pool.acquire() as c,
            a.transaction(),
            b.transaction(),
            c.transaction(),
        ):
            first = await work.claim(a, parking.PARKED, ordered=True)
            keyless = await work.claim(b, parking.PARKED, ordered=True)
            behind = await work.claim(c, parking.PARKED, ordered=True)
    finally:
        await pool.close()
    assert first is not None
    assert keyless is not None
    assert parking.message_of(first) == parking.ParkedMessage("t", b"k", body)
    assert parking.message_of(keyless) == parking.ParkedMessage("t", None, body)
    assert (first.order_key, first.attempts, first.last_error) == ("t:6b", 1, "away")
    assert behind is None  # the second message of key `k` waits behind the first
    assert newest > keyless.id


async def test_cancel_drops_a_queued_item_and_leaves_a_running_one_to_its_run(
    pool: asyncpg.Pool,
) -> None:
    await queue(pool, "queued")
    await queue(pool, "running", delay_seconds=-1)  # the longest due: claimed first
    async with pool.acquire() as a, pool.acquire() as b, a.transaction():
        running = await work.claim(a, KIND)
        # Never waits for the claim's transaction (a run may wait for the canceller's rows).
        await asyncio.wait_for(work.cancel(b, KIND, "running"), 10)
        await work.cancel(b, KIND, "queued")
    assert running is not None
    assert running.key == "running"
    assert await item_row(pool, "queued") is None


async def test_a_batch_claim_takes_the_longest_due_items_and_skips_those_claimed_elsewhere(
    pool: asyncpg.Pool,
) -> None:
    for n in range(5):
        await queue(pool, f"b{n}", delay_seconds=-10.0 + n)  # b0 due longest
    async with pool.acquire() as a, pool.acquire() as b, a.transaction(), b.transaction():
        first = await work.claim_many(a, KIND, 3)
        second = await work.claim_many(b, KIND, 3)
    assert [i.key for i in first] == ["b0", "b1", "b2"]
    assert [i.key for i in second] == ["b3", "b4"]  # SKIP LOCKED: the rest, never the same


async def test_an_ordered_batch_claims_one_item_per_ordering_key(pool: asyncpg.Pool) -> None:
    await queue(pool, "k-first", order_key="k")
    await queue(pool, "k-second", order_key="k")
    await queue(pool, "j-only", order_key="j")
    async with pool.acquire() as conn, conn.transaction():
        batch = await work.claim_many(conn, KIND, 10, ordered=True)
    assert sorted(i.key for i in batch) == ["j-only", "k-first"]


async def test_each_item_of_a_batch_has_its_own_outcome_and_the_batch_is_prepared_once(
    pool: asyncpg.Pool,
) -> None:
    ran: dict[str, Any] = {}
    prepared_batches: list[list[str]] = []

    async def prepare(
        _runtime: Any, _conn: Connection, items: Sequence[WorkItem]
    ) -> Mapping[int, Any]:
        prepared_batches.append(sorted(i.key for i in items))
        return {i.id: f"fetched {i.key}" for i in items}

    async def run(_runtime: Any, conn: Connection, item: WorkItem) -> None:
        ran[item.key] = item.prepared
        await conn.execute("SELECT 1")  # the run's own statements happen in its savepoint
        if item.key == "bad":
            raise RuntimeError("platform away")
        if item.key == "later":
            raise work.Postpone(100.0, "budget")

    worker = Worker(kind=KIND, run=run, batch=10, prepare=prepare, backoff=Backoff(100.0, 1000.0))
    for key in ("good", "bad", "later"):
        await queue(pool, key)
    assert await WorkRunner(pool, "s", "svc").run_one(worker, None)
    assert prepared_batches == [["bad", "good", "later"]]
    assert ran == {k: f"fetched {k}" for k in ("good", "bad", "later")}
    bad, later = await item_row(pool, "bad"), await item_row(pool, "later")
    assert await item_row(pool, "good") is None  # committed with the batch
    assert bad is not None
    assert later is not None
    assert (bad["attempts"], bad["last_error"]) == (1, "RuntimeError: platform away")
    assert 50 < bad["due_in"] <= 100
    assert (later["attempts"], later["last_error"]) == (0, "budget")


async def test_a_failing_prepare_leaves_each_run_to_fetch_for_itself(pool: asyncpg.Pool) -> None:
    ran: dict[str, Any] = {}

    async def prepare(
        _runtime: Any, conn: Connection, _items: Sequence[WorkItem]
    ) -> Mapping[int, Any]:
        await conn.execute("SELECT 1/0")  # aborts its savepoint, not the claim
        return {}

    async def run(_runtime: Any, _conn: Connection, item: WorkItem) -> None:
        ran[item.key] = item.prepared

    worker = Worker(kind=KIND, run=run, batch=5, prepare=prepare)
    await queue(pool, "p1")
    await queue(pool, "p2")
    assert await WorkRunner(pool, "s", "svc").run_one(worker, None)
    assert ran == {"p1": None, "p2": None}
    assert await item_row(pool, "p1") is None
    assert await item_row(pool, "p2") is None


_CLAIM_AND_HANG = textwrap.dedent(
    """
    import asyncio, sys
    from connector_runtime import db, work

    async def main() -> None:
        pool = await db.create_pool(sys.argv[1], sys.argv[2], 1)
        async with pool.acquire() as conn, conn.transaction():
            items = await work.claim_many(conn, sys.argv[3], 10)
            print(",".join(sorted(i.key for i in items)), flush=True)
            await asyncio.sleep(600)  # mid-batch: killed here

    asyncio.run(main())
    """
)


async def test_a_replica_killed_between_claim_and_finish_releases_its_whole_batch(
    infra: Infra, pool: asyncpg.Pool
) -> None:
    for key in ("c1", "c2", "c3"):
        await queue(pool, key)
    schema = await pool.fetchval("SELECT current_schema()")
    replica = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _CLAIM_AND_HANG,
        infra.service_env()["DATABASE_URL"],
        schema,
        KIND,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert replica.stdout is not None
        claimed = (await asyncio.wait_for(replica.stdout.readline(), 60)).decode().strip()
        async with pool.acquire() as conn, conn.transaction():
            during = await work.claim_many(conn, KIND, 10)
        assert (claimed, during) == ("c1,c2,c3", [])  # all three held by the replica
    finally:
        replica.send_signal(signal.SIGKILL)
        await replica.wait()

    async def peek() -> list[WorkItem]:
        async with pool.acquire() as conn:
            look = conn.transaction()
            await look.start()
            items = await work.claim_many(conn, KIND, 10)
            await look.rollback()  # look only: the items stay queued
            return items

    back = await poll_async(peek, lambda items: len(items) == 3, within=60)
    assert sorted(i.key for i in back) == ["c1", "c2", "c3"]
    assert [i.attempts for i in back] == [0, 0, 0]  # a crash is not a failed try
