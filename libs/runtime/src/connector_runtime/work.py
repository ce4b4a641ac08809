"""Durable work: keyed items with a due time in the service's schema, run by declared workers.

An item is queued inside the caller's transaction (NOTIFY wakes idle workers at commit). Any
replica claims a due item by deleting it with `FOR UPDATE SKIP LOCKED` and runs it in that same
transaction: success commits the deletion (a periodic item is queued again), a failure puts the
item back with one more attempt and a backoff, or, past the worker's maximum age, hands it to
the worker's give-up callback. A run that cannot proceed yet without waiting (a tenant's
platform budget, say) raises `Postpone`: the item is put back for later with no attempt counted,
and the worker is free for other items at once (ADR 0310). A replica dying mid-run aborts its
transaction, so the item reappears for another one. Items sharing an ordering key run one at a
time, oldest first.

A worker may claim several due items in one statement (`Worker.batch`, ADR 0710): they run one
after another in the claim's transaction, each in its own savepoint with its own outcome
(success, retry with backoff, postponement, give-up), after an optional `prepare` that fetches
what they all need in one go (a batched platform read). A crash before the commit releases
the whole batch.
"""

import asyncio
import collections
import contextlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import asyncpg
import structlog

from connector_runtime import metrics
from connector_runtime.db import BROKEN, Connection, Outage

log = structlog.get_logger()

_COLUMNS = "id, kind, key, order_key, due_at, attempts, queued_at, last_error, payload::text"


def notify_channel(schema: str) -> str:
    """LISTEN/NOTIFY channel on which queued work of one schema wakes its workers."""
    return f"work_{schema}"


@dataclass(frozen=True)
class WorkItem:
    """One piece of queued work, as claimed (its row is deleted until the claim commits)."""

    id: int
    kind: str
    key: str
    order_key: str | None
    due_at: datetime
    attempts: int  # failed tries so far
    queued_at: datetime  # first queued; the maximum age counts from here
    last_error: str | None
    payload: dict[str, Any]
    # As claimed: seconds since due (lag) and since first queued (age).
    lag_seconds: float = 0.0
    age_seconds: float = 0.0
    # What the worker's `prepare` fetched for this item with the rest of its batch (None: nothing).
    prepared: Any = None


@dataclass(frozen=True)
class Backoff:
    """Wait after the n-th failed try: `first_seconds` doubling, capped at `max_seconds`."""

    first_seconds: float
    max_seconds: float

    def delay(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failed ones."""
        return float(min(self.max_seconds, self.first_seconds * 2 ** max(0, attempts - 1)))


class Postpone(Exception):
    """Raised by a run: not now, and not a failure. The runner puts the item back due after
    `delay_seconds` with its attempts unchanged (no backoff, no give-up), its `last_error`
    saying `reason`, instead of the run holding a worker while it waits."""

    def __init__(self, delay_seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.delay_seconds = max(0.0, delay_seconds)
        self.reason = reason


# How long background loops wait after the n-th failure in a row on an unreachable database.
OUTAGE_BACKOFF = Backoff(first_seconds=0.5, max_seconds=30.0)


# runtime, the claim's connection (inside its transaction), the item [, the error]
Run = Callable[[Any, Connection, WorkItem], Awaitable[None]]
OnFailure = Callable[[Any, Connection, WorkItem, BaseException], Awaitable[None]]
# runtime, the claim's connection, a claimed batch -> what to hand each run, by item id
Prepare = Callable[[Any, Connection, Sequence[WorkItem]], Awaitable[Mapping[int, Any]]]


@dataclass(frozen=True)
class WorkStats:
    """What is queued of one kind, for metrics (ages in seconds, 0 when none)."""

    queued: int
    due: int
    oldest_due_seconds: float
    oldest_queued_seconds: float
    next_due_in_seconds: float | None


@dataclass(frozen=True)
class Worker:
    """A declared consumer of one kind of work (`ServiceSpec.workers`), run by every replica.

    `run` raising means "try again later": the item is put back after `backoff` (then
    `retrying` runs), or handed to `give_up` once older than `max_age_seconds`. Errors that
    retrying cannot fix are the run's to handle (record them and return).
    """

    kind: str
    run: Run
    concurrency: int = 1
    backoff: Backoff = Backoff(5.0, 300.0)
    max_age_seconds: float | None = None
    give_up: OnFailure | None = None
    retrying: OnFailure | None = None
    # Claim only the oldest item of each ordering key (per-key order).
    ordered: bool = False
    # Periodic: after each successful run the item is due again this many seconds later.
    every_seconds: float | None = None
    # Longest idle wait when no NOTIFY arrives (items queued for later wake nobody).
    poll_seconds: float = 1.0
    observe: Callable[[WorkStats], None] | None = None
    # Items claimed at once by one loop (one statement), then run one after another.
    batch: int = 1
    # Before a batch's runs: fetch what its items need in one go (`WorkItem.prepared`). Its
    # failure is logged and the runs go on unprepared (each fetches for itself).
    prepare: Prepare | None = None


async def queue(
    conn: Connection,
    kind: str,
    key: str,
    *,
    at: datetime | None = None,
    delay_seconds: float = 0.0,
    payload: dict[str, Any] | None = None,
    order_key: str | None = None,
    replace_existing: bool = True,
    attempts: int = 0,
    error: str | None = None,
) -> None:
    """Queue the item `key` of `kind` (due `at`, or after `delay_seconds`) in the caller's
    transaction. An item already queued under that key is moved to the new due time with the
    new payload (last payload wins), or kept as it is when `replace_existing` is false."""
    conflict = (
        "DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload,"
        " order_key = EXCLUDED.order_key"
        if replace_existing
        else "DO NOTHING"
    )
    # One round trip: the NOTIFY (delivered at commit) rides on the insert. It is sent even when
    # the item was kept as it was: a spare wake-up costs one empty claim.
    await conn.execute(
        "WITH ins AS (INSERT INTO work_items (kind, key, order_key, due_at, payload, attempts,"
        " last_error) VALUES ($1, $2, $3,"
        " COALESCE($4::timestamptz, now() + make_interval(secs => $5)), $6::jsonb, $7, $8)"
        f" ON CONFLICT (kind, key) {conflict} RETURNING 1)"
        " SELECT pg_notify('work_' || current_schema(), $1) FROM (SELECT 1) one",
        kind,
        key,
        order_key,
        at,
        delay_seconds,
        json.dumps(payload or {}),
        attempts,
        error[:4000] if error else None,
    )


async def queue_many(
    conn: Connection, kind: str, keys: Iterable[str], *, delay_seconds: float = 0.0
) -> set[str]:
    """Queue each of `keys` of `kind`, due after `delay_seconds`, in the caller's transaction
    and in key order (one lock order for every transaction that queues several). An item
    already queued keeps its due time, but is locked like one `queue` moves: no worker runs it
    before this transaction ends (it then sees what the transaction wrote), and one being run
    now is waited for, then queued afresh. Returns the keys that had no item queued."""
    rows = await conn.fetch(
        "INSERT INTO work_items (kind, key, due_at)"
        " SELECT $1, k, now() + make_interval(secs => $3) FROM unnest($2::text[]) k ORDER BY k"
        " ON CONFLICT (kind, key) DO UPDATE SET due_at = work_items.due_at"
        " RETURNING key, xmax = 0 AS inserted",
        kind,
        sorted(set(keys)),
        delay_seconds,
    )
    if rows:
        await _notify(conn, kind)
    return {r["key"] for r in rows if r["inserted"]}


async def _notify(conn: Connection, kind: str) -> None:
    # Delivered at commit; the channel is `notify_channel(schema)`, the pool's search path.
    await conn.execute("SELECT pg_notify('work_' || current_schema(), $1)", kind)


async def queue_missing(conn: Connection, kind: str, keys: Sequence[str]) -> None:
    """Queue, due now, each of `keys` that has no item of `kind` yet (one being run counts:
    NOT EXISTS sees it, so this never waits for a run to end)."""
    status = await conn.execute(
        "INSERT INTO work_items (kind, key, due_at) SELECT $1, k, now() FROM unnest($2::text[]) k"
        " WHERE NOT EXISTS (SELECT 1 FROM work_items w WHERE w.kind = $1 AND w.key = k)"
        " ON CONFLICT (kind, key) DO NOTHING",
        kind,
        list(keys),
    )
    if status != "INSERT 0 0":
        await _notify(conn, kind)


async def cancel(conn: Connection, kind: str, key: str) -> None:
    """Drop the item `key` of `kind`, if queued. One being run is left to its run: waiting for
    it could deadlock with a run that waits for a row the caller holds."""
    await conn.execute(
        "DELETE FROM work_items WHERE id = (SELECT id FROM work_items WHERE kind = $1"
        " AND key = $2 FOR UPDATE SKIP LOCKED)",
        kind,
        key,
    )


async def is_queued(conn: Connection, kind: str, key: str) -> bool:
    """Whether the item `key` of `kind` is queued (or being run right now)."""
    return bool(
        await conn.fetchval("SELECT 1 FROM work_items WHERE kind = $1 AND key = $2", kind, key)
    )


async def due_at(conn: Connection, kind: str, key: str) -> datetime | None:
    """When the item `key` of `kind` is due (None: not queued), e.g. to queue again without
    postponing it (a coalescing window that a steady stream of changes must not starve)."""
    due: datetime | None = await conn.fetchval(
        "SELECT due_at FROM work_items WHERE kind = $1 AND key = $2", kind, key
    )
    return due


async def has_order_key(conn: Connection, kind: str, order_key: str) -> bool:
    """Whether items of `kind` with this ordering key are queued (a new one must wait)."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM work_items WHERE kind = $1 AND order_key = $2 LIMIT 1", kind, order_key
        )
    )


async def queued_order_keys(conn: Connection, kind: str, order_keys: Iterable[str]) -> set[str]:
    """Those of `order_keys` that items of `kind` are queued under."""
    rows = await conn.fetch(
        "SELECT DISTINCT order_key FROM work_items WHERE kind = $1 AND order_key = ANY($2::text[])",
        kind,
        list(order_keys),
    )
    return {r["order_key"] for r in rows}


async def last_errors(conn: Connection, kind: str, keys: Sequence[str]) -> dict[str, str]:
    """Why each queued item of `kind` among `keys` was put back (failed or postponed), by key;
    items never put back, or being run right now, are left out."""
    rows = await conn.fetch(
        "SELECT key, last_error FROM work_items WHERE kind = $1 AND key = ANY($2::text[])"
        " AND last_error IS NOT NULL",
        kind,
        list(keys),
    )
    return {r["key"]: r["last_error"] for r in rows}


_HEAD_ONLY = (
    " AND (p.order_key IS NULL OR NOT EXISTS (SELECT 1 FROM work_items q"
    " WHERE q.kind = p.kind AND q.order_key = p.order_key AND q.id < p.id))"
)


async def claim(conn: Connection, kind: str, *, ordered: bool = False) -> WorkItem | None:
    """Take the longest-due item of `kind` in the caller's transaction; other replicas skip
    it until that transaction ends. With `ordered`, only the oldest item of an ordering key."""
    items = await claim_many(conn, kind, 1, ordered=ordered)
    return items[0] if items else None


async def claim_many(
    conn: Connection, kind: str, limit: int, *, ordered: bool = False
) -> list[WorkItem]:
    """Take up to `limit` of the longest-due items of `kind` in one statement, in the caller's
    transaction, longest-due first; other replicas skip them (SKIP LOCKED) until that
    transaction ends. With `ordered`, at most one item per ordering key: its oldest (the
    statement's snapshot still sees the head, so its followers are not heads yet)."""
    rows = await conn.fetch(
        "DELETE FROM work_items WHERE id IN (SELECT id FROM work_items p"
        f" WHERE p.kind = $1 AND p.due_at <= now(){_HEAD_ONLY if ordered else ''}"
        f" ORDER BY p.due_at, p.id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING {_COLUMNS},"
        " extract(epoch FROM now() - due_at)::float8 AS lag_seconds,"
        " extract(epoch FROM now() - queued_at)::float8 AS age_seconds",
        kind,
        max(1, limit),
    )
    items = []
    for row in rows:
        values = dict(row)
        values["payload"] = json.loads(values.pop("payload"))
        items.append(WorkItem(**values))
    # DELETE ... RETURNING keeps no order: run the longest-due first, as claimed.
    return sorted(items, key=lambda item: (item.due_at, item.id))


async def put_back(conn: Connection, item: WorkItem, delay_seconds: float) -> WorkItem:
    """Restore a claimed item, due after `delay_seconds` (same id: it keeps its place in its
    ordering key)."""
    due_at = await conn.fetchval(
        "INSERT INTO work_items (id, kind, key, order_key, due_at, attempts, queued_at,"
        " last_error, payload) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5),"
        " $6, $7, $8, $9::jsonb) RETURNING due_at",
        item.id,
        item.kind,
        item.key,
        item.order_key,
        delay_seconds,
        item.attempts,
        item.queued_at,
        item.last_error,
        json.dumps(item.payload),
    )
    return replace(item, due_at=due_at)


async def stats(conn: Connection, kind: str) -> WorkStats:
    """How much of `kind` is queued and due, and how long the oldest has waited."""
    row = await conn.fetchrow(
        "SELECT count(*) AS queued, count(*) FILTER (WHERE due_at <= now()) AS due,"
        " extract(epoch FROM now() - min(due_at) FILTER (WHERE due_at <= now()))::float8"
        "   AS oldest_due,"
        " extract(epoch FROM now() - min(queued_at))::float8 AS oldest_queued,"
        " extract(epoch FROM min(due_at) - now())::float8 AS next_due_in"
        " FROM work_items WHERE kind = $1",
        kind,
    )
    assert row is not None
    return WorkStats(
        queued=row["queued"],
        due=row["due"],
        oldest_due_seconds=row["oldest_due"] or 0.0,
        oldest_queued_seconds=row["oldest_queued"] or 0.0,
        next_due_in_seconds=row["next_due_in"],
    )


def describe(error: BaseException) -> str:
    """An error as recorded on an item and in logs: its type and message."""
    return f"{type(error).__name__}: {error}"[:4000]


class Wakeups:
    """Wakes the idle loops of one kind one at a time. A NOTIFY (usually one queued item) wakes
    one loop and a loop that found work wakes the next, so a burst still fans out to every
    loop while a lone item costs one or two claims instead of one per loop."""

    def __init__(self) -> None:
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._pending = False  # a wake-up no loop was waiting for: the next wait takes it

    def one(self) -> None:
        """Wake one waiting loop (or the next to wait)."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._pending = True

    def all(self) -> None:
        """Wake every waiting loop (work may have been queued while no one listened)."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
        self._pending = True

    async def wait(self, seconds: float) -> None:
        """Return when woken, or after `seconds`."""
        if self._pending:
            self._pending = False
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            # Not wait_for: on Python 3.11 it swallows a cancellation that meets a wake-up.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await waiter
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)


class WorkRunner:
    """Runs a service's declared workers: `concurrency` loops each, woken by NOTIFY."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        service: str,
        outage: Outage | None = None,
        *,
        listen_pool: asyncpg.Pool | None = None,
    ) -> None:
        self._pool = pool
        # The LISTEN connection is held for good: from a pool of its own, so it never takes one
        # the workers and requests count on.
        self._listen_pool = listen_pool or pool
        self._schema = schema
        self._service = service
        self._outage = outage or Outage(service)
        self._wake: dict[str, Wakeups] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, workers: list[Worker], runtime: Any) -> None:
        """Listen for queued work, then start every worker's loops."""
        self._wake = {w.kind: Wakeups() for w in workers}
        listening = asyncio.Event()
        self._tasks.append(asyncio.create_task(self._listen(listening), name="work-listen"))
        await listening.wait()
        for worker in workers:
            for n in range(worker.concurrency):
                task = asyncio.create_task(
                    self._loop(worker, runtime), name=f"work-{worker.kind}-{n}"
                )
                self._tasks.append(task)

    async def stop(self) -> None:
        """Cancel every loop (a run in progress aborts its transaction: the item reappears)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(self, listening: asyncio.Event) -> None:
        """Hold a LISTEN connection, opening a new one whenever PostgreSQL drops it."""
        while True:
            try:
                async with self._listen_pool.acquire() as conn:
                    await self._hold(conn, listening)
            except asyncio.CancelledError:
                raise
            except BROKEN as exc:
                self._outage.failed("work:listen", exc)
                listening.set()  # the loops poll meanwhile
                await asyncio.sleep(OUTAGE_BACKOFF.delay(self._outage.failures))

    async def _hold(self, conn: Connection, listening: asyncio.Event) -> None:
        """Listen on `conn` until PostgreSQL drops it or the runner stops."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        channel = notify_channel(self._schema)
        await conn.add_listener(channel, self._on_notify)
        try:
            listening.set()
            for wake in self._wake.values():
                wake.all()  # work queued while no one listened
            await lost.wait()
        finally:
            # A lost connection's pool proxy is detached (InterfaceError): nothing to undo.
            with contextlib.suppress(*BROKEN):
                await conn.remove_listener(channel, self._on_notify)

    def _on_notify(self, _conn: object, _pid: int, _channel: str, kind: object) -> None:
        wake = self._wake.get(str(kind))
        if wake is not None:
            wake.one()

    async def _loop(self, worker: Worker, runtime: Any) -> None:
        wake = self._wake[worker.kind]
        clock = asyncio.get_running_loop().time
        observed = -worker.poll_seconds
        while True:
            try:
                claimed = await self._run_batch(worker, runtime)
                busy = claimed > 0
                wait = 0.0
                # Gauges move while busy too: a backlog is when they matter.
                if not busy or clock() - observed >= worker.poll_seconds:
                    observed = clock()
                    current = await self._observe(worker)
                    wait = 0.0 if busy else _idle_wait(worker, current)
                if 0 < claimed < worker.batch:
                    # A short batch took every claimable item: no empty claim to learn that.
                    # Work queued meanwhile left a wake-up, so this wait ends at once.
                    wait = worker.poll_seconds
                self._outage.recovered()
            except asyncio.CancelledError:
                raise
            except BROKEN as exc:
                self._outage.failed(f"work:{worker.kind}", exc)
                wait = OUTAGE_BACKOFF.delay(self._outage.failures)
            except Exception:
                log.exception("work.loop_failed", kind=worker.kind)
                wait = worker.poll_seconds
            if wait:
                await wake.wait(wait)

    async def _observe(self, worker: Worker) -> WorkStats:
        """Export the kind's gauges."""
        async with self._pool.acquire() as conn:
            current = await stats(conn, worker.kind)
        metrics.WORK_DUE.labels(self._service, worker.kind).set(current.due)
        metrics.WORK_OLDEST_DUE.labels(self._service, worker.kind).set(current.oldest_due_seconds)
        if worker.observe is not None:
            worker.observe(current)
        return current

    async def run_one(self, worker: Worker, runtime: Any) -> bool:
        """Claim the worker's batch of due items (one item unless `Worker.batch`) and run each
        in the claim's transaction; False when none is due."""
        return await self._run_batch(worker, runtime) > 0

    async def _run_batch(self, worker: Worker, runtime: Any) -> int:
        """`run_one`, saying how many items it claimed. The batch commits once: one
        BEGIN/claim/COMMIT for all of its items."""
        async with self._pool.acquire() as conn, conn.transaction():
            items = await claim_many(conn, worker.kind, worker.batch, ordered=worker.ordered)
            if not items:
                return 0
            if len(items) == worker.batch and (wake := self._wake.get(worker.kind)):
                # More may be due: another idle loop looks while this one runs. A short batch
                # took every claimable item: waking a loop would only buy an empty claim.
                wake.one()
            metrics.WORK_CLAIMED.labels(self._service, worker.kind).inc(len(items))
            lag = metrics.WORK_LAG.labels(self._service, worker.kind)
            for item in items:
                lag.observe(max(0.0, item.lag_seconds))
            if worker.prepare is not None:
                items = await self._prepare(conn, worker, runtime, items)
            for item in items:
                await self._run_item(conn, worker, runtime, item)
        return len(items)

    async def _prepare(
        self, conn: Connection, worker: Worker, runtime: Any, items: list[WorkItem]
    ) -> list[WorkItem]:
        """The batch with what `prepare` fetched for each item (as claimed if it failed)."""
        assert worker.prepare is not None
        try:
            async with conn.transaction():  # a savepoint: its failure leaves the claim intact
                prepared = await worker.prepare(runtime, conn, items)
        except Exception:
            log.exception("work.prepare_failed", kind=worker.kind, items=len(items))
            return items
        return [replace(item, prepared=prepared.get(item.id)) for item in items]

    async def _run_item(
        self, conn: Connection, worker: Worker, runtime: Any, item: WorkItem
    ) -> None:
        """Run one claimed item in a savepoint and settle its own outcome."""
        try:
            async with conn.transaction():  # a savepoint: a failure undoes this run only
                await worker.run(runtime, conn, item)
        except Postpone as later:
            await put_back(conn, replace(item, last_error=later.reason), later.delay_seconds)
            metrics.WORK_POSTPONED.labels(self._service, worker.kind).inc()
            return
        except Exception as exc:
            await self._failed(conn, worker, item, exc, runtime)
            return
        if worker.every_seconds is not None:
            # Unless the run queued its own next turn.
            await queue(
                conn,
                item.kind,
                item.key,
                delay_seconds=worker.every_seconds,
                payload=item.payload,
                order_key=item.order_key,
                replace_existing=False,
            )

    async def _failed(
        self, conn: Connection, worker: Worker, item: WorkItem, exc: Exception, runtime: Any
    ) -> None:
        metrics.WORK_FAILURES.labels(self._service, worker.kind).inc()
        failed = replace(item, attempts=item.attempts + 1, last_error=describe(exc))
        if worker.max_age_seconds is not None and item.age_seconds >= worker.max_age_seconds:
            metrics.WORK_GIVEN_UP.labels(self._service, worker.kind).inc()
            log.error(
                "work.given_up",
                kind=item.kind,
                key=item.key,
                attempts=failed.attempts,
                error=failed.last_error,
            )
            if worker.give_up is not None:
                await worker.give_up(runtime, conn, failed, exc)
            return
        delay = worker.backoff.delay(failed.attempts)
        failed = await put_back(conn, failed, delay)
        log.warning(
            "work.retrying",
            kind=item.kind,
            key=item.key,
            attempts=failed.attempts,
            retry_in=delay,
            error=failed.last_error,
        )
        if worker.retrying is not None:
            await worker.retrying(runtime, conn, failed, exc)


def _idle_wait(worker: Worker, current: WorkStats) -> float:
    """Seconds until the kind's next item is due, at most a poll."""
    soon = current.next_due_in_seconds
    # Due but not claimable (running elsewhere, or behind its ordering key): poll.
    return soon if soon is not None and 0 < soon < worker.poll_seconds else worker.poll_seconds
