"""The relay's durable background work: retry timers, reconciliation sweeps, missed-order syncs.

All three live in PostgreSQL and are claimed with `FOR UPDATE SKIP LOCKED`, so any number of
replicas can run this loop: each due row is taken by exactly one of them, and a replica that
dies mid-way releases its row (its transaction aborts) for another to take.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg
import structlog
from connector_connections import load_connection
from connector_contracts import OrderStatus, OrderStatusChanged
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import Effects
from fastapi import APIRouter, FastAPI
from tiktok_shop.models.orders import Order, normalize_order_status

from order_relay import metrics, store, sync_store
from order_relay.core.intake import LocalView, RelayState, sweep_should_emit
from order_relay.platforms import Deps
from order_relay.relay import relay_order

log = structlog.get_logger()


def tiktok_status(order: Order) -> OrderStatus:
    """TikTok's status in the contract's spelling."""
    return OrderStatus(normalize_order_status(order.status))


def status_event(order: Order, shop_id: str, source: str) -> OrderStatusChanged:
    """A status fact about a TikTok order read from the API."""
    return OrderStatusChanged(
        tiktok_order_id=order.id,
        tiktok_shop_id=shop_id,
        status=tiktok_status(order),
        is_on_hold_order=order.is_on_hold_order,
        updated_at=datetime.fromtimestamp(order.update_time, UTC),
        source=source,
    )


class Background:
    """One loop doing whichever durable work is due."""

    def __init__(self, pool: asyncpg.Pool, deps: Deps) -> None:
        self._pool = pool
        self._deps = deps
        self._settings = deps.settings

    async def run(self) -> None:
        """Sweeps and missed-order syncs: work while there is work, poll when there is none."""
        while True:
            busy = False
            for kind in (self._ensure_sweeps, self.sweep_one, self.sync_one):
                try:
                    busy = bool(await kind()) or busy
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # One failing kind of work must not starve the others.
                    log.exception("background.step_failed", step=kind.__name__)
            if not busy:
                await asyncio.sleep(self._settings.order_timer_poll_seconds)

    async def relay_worker(self, wake: asyncio.Event) -> None:
        """Take due relay jobs (first tries and retries) one at a time, forever."""
        while True:
            try:
                busy = await self.retry_one()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background.step_failed", step="relay")
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self._settings.order_timer_poll_seconds)
                wake.clear()

    async def _ensure_sweeps(self) -> bool:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO sweeps (connection_id, next_run_at)"
                " SELECT connection_id, now() FROM connections WHERE status = 'active'"
                " ON CONFLICT DO NOTHING"
            )
        return False

    async def retry_one(self) -> bool:
        """Run one due relay job (a first try or a retry); False when none is due."""
        due = None
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                due = await store.take_due_retry(conn)
                if due is None:
                    return False
                fx = Effects(conn, self._settings)
                if due.attempt > 1:
                    metrics.RELAY_RETRIES.inc()
                    log.info(
                        "order.relay_retry",
                        tiktok_order_id=due.tiktok_order_id,
                        attempt=due.attempt,
                    )
                    await store.add_history(
                        conn, due.tiktok_order_id, "retry", f"Retry {due.attempt - 1} started."
                    )
                await relay_order(
                    _WithConnection(fx, due.connection_id), self._deps, due.tiktok_order_id
                )
        except Exception as exc:
            if due is None:
                raise
            # Transient (platform away, replica catching up, crash-adjacent): try again later.
            log.warning(
                "order.relay_postponed", tiktok_order_id=due.tiktok_order_id, error=str(exc)[:300]
            )
            async with self._pool.acquire() as conn:
                failures = await store.postpone(conn, due, f"{type(exc).__name__}: {exc}")
                if failures == 1:
                    await store.add_history(
                        conn,
                        due.tiktok_order_id,
                        "waiting",
                        f"Platform temporarily unavailable ({type(exc).__name__}); retrying.",
                    )
        return True

    async def sweep_one(self) -> bool:
        """Sweep one connection's recently updated TikTok orders for missed changes."""
        interval = timedelta(seconds=self._settings.order_sweep_interval_seconds)
        async with self._pool.acquire() as conn:
            # Committed before sweeping: a sweep that fails waits for its next turn instead of
            # being taken again at once, ahead of every other connection's.
            connection_id = await sync_store.take_due_sweep(conn, interval)
        if connection_id is None:
            return False
        try:
            await self._sweep(connection_id)
        except Exception as exc:
            metrics.SWEEP_FAILURES.labels(type(exc).__name__).inc()
            async with self._pool.acquire() as conn:
                failures = await sync_store.record_sweep_failure(
                    conn, connection_id, f"{type(exc).__name__}: {exc}"
                )
            log.warning(
                "order.sweep_failed",
                connection_id=connection_id,
                error=str(exc)[:300],
                error_type=type(exc).__name__,
                failures_in_a_row=failures,
            )
        return True

    async def _sweep(self, connection_id: str) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            connection = await load_connection(conn, connection_id)
            if connection is None or connection.status != "active" or not connection.tiktok_shop_id:
                return
            clients = await self._deps.clients(connection)
            since = datetime.now(UTC) - timedelta(seconds=self._settings.order_sweep_window_seconds)
            found = [
                o
                async for o in clients.tiktok.orders.iter_search(
                    {"update_time_ge": int(since.timestamp())}, page_size=100
                )
            ]
            emitted = await self._emit_missed(conn, connection_id, connection.tiktok_shop_id, found)
            await sync_store.record_sweep(conn, connection_id, len(found), emitted)
        if emitted:
            log.info(
                "order.sweep_repaired",
                connection_id=connection_id,
                seen=len(found),
                emitted=emitted,
            )

    async def _emit_missed(
        self, conn: Db, connection_id: str, shop_id: str, found: list[Order]
    ) -> int:
        local = await sync_store.local_states(conn, [o.id for o in found])
        now = datetime.now(UTC)
        stuck = timedelta(seconds=self._settings.order_stuck_after_seconds)
        fx = Effects(conn, self._settings)
        emitted = 0
        for order in found:
            event = status_event(order, shop_id, "sweep")
            row = local.get(order.id)
            view = _view(row) if row else None
            if sweep_should_emit(view, event.status, event.updated_at, now=now, stuck_after=stuck):
                await fx.emit(event, connection_id=connection_id)
                emitted += 1
        metrics.RECONCILED.labels("sweep").inc(emitted)
        return emitted

    async def sync_one(self) -> bool:
        """Run one queued "sync missed orders" task to completion, recording progress."""
        async with self._pool.acquire() as conn:
            await sync_store.requeue_stale_tasks(conn, timedelta(minutes=5))
            task = await sync_store.take_queued_task(conn)
        if task is None:
            return False
        try:
            await self._sync(task)
        except Exception as exc:
            log.exception("order.sync_task_failed", task_id=task.task_id)
            async with self._pool.acquire() as conn:
                await sync_store.update_task(
                    conn, task.task_id, status="error", error=str(exc)[:1000]
                )
        return True

    async def _sync(self, task: sync_store.SyncTask) -> None:
        async with self._pool.acquire() as conn:
            connection = await load_connection(conn, task.connection_id)
        if connection is None or not connection.tiktok_shop_id:
            raise ValueError(f"connection {task.connection_id} is not connected to TikTok Shop")
        clients = await self._deps.clients(connection)
        # The guide: only AWAITING_SHIPMENT orders can be found and synced this way.
        filters: dict[str, object] = {
            "order_status": "AWAITING_SHIPMENT",
            "create_time_ge": int(task.window_start.timestamp()),
            "create_time_lt": int(task.window_end.timestamp()),
        }
        found = [o async for o in clients.tiktok.orders.iter_search(filters, page_size=100)]
        async with self._pool.acquire() as conn:
            await sync_store.update_task(conn, task.task_id, found=len(found))
        queued = synced = 0
        for start in range(0, len(found), 50):
            batch = found[start : start + 50]
            q, s = await self._queue(task, connection.tiktok_shop_id, batch)
            queued, synced = queued + q, synced + s
            async with self._pool.acquire() as conn:
                await sync_store.update_task(
                    conn, task.task_id, queued=queued, already_synced=synced
                )
        async with self._pool.acquire() as conn:
            await sync_store.update_task(conn, task.task_id, status="completed")
        log.info("order.sync_task_done", task_id=task.task_id, found=len(found), queued=queued)

    async def _queue(
        self, task: sync_store.SyncTask, shop_id: str, batch: list[Order]
    ) -> tuple[int, int]:
        queued = synced = 0
        async with self._pool.acquire() as conn, conn.transaction():
            local = await sync_store.local_states(conn, [o.id for o in batch])
            fx = Effects(conn, self._settings)
            for order in batch:
                row = local.get(order.id)
                state = RelayState(row["relay_state"]) if row else RelayState.NONE
                if state in (RelayState.RELAYED, RelayState.SKIPPED, RelayState.CANCELLED):
                    synced += 1
                elif row is None or state is RelayState.NONE:
                    event = status_event(order, shop_id, "missed-sync")
                    await fx.emit(event, connection_id=task.connection_id, task_id=task.task_id)
                    queued += 1
                else:  # failed or stuck pending: relay again now
                    attempts = await store.relay_attempts(conn, order.id)
                    await store.schedule_retry(
                        conn, order.id, task.connection_id, datetime.now(UTC), attempts + 1
                    )
                    queued += 1
        metrics.RECONCILED.labels("missed-sync").inc(queued)
        return queued, synced


def _view(row: dict[str, object]) -> LocalView:
    return LocalView(
        status=OrderStatus(str(row["status"])),
        tiktok_updated_at=row["tiktok_updated_at"],  # type: ignore[arg-type]
        paid=bool(row["paid"]),
        relay_state=RelayState(str(row["relay_state"])),
        state_changed_at=row["state_changed_at"],  # type: ignore[arg-type]
        relay_queued=bool(row["relay_queued"]),
    )


class _WithConnection(Effects):
    """Effects of a timer (no causing message) that emit for one connection."""

    def __init__(self, fx: Effects, connection_id: str) -> None:
        super().__init__(fx.conn, fx.settings, fx.cause)
        self._connection_id = connection_id

    async def emit(self, payload, *, connection_id=None, task_id=None, correlation_id=None):  # type: ignore[no-untyped-def]
        return await super().emit(
            payload,
            connection_id=connection_id or self._connection_id,
            task_id=task_id,
            correlation_id=correlation_id,
        )


def background_router(deps: Deps) -> APIRouter:
    """A router whose lifespan runs the background loop once the runtime has started."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = deps.pool
        loop = Background(pool, deps)
        wake = asyncio.Event()
        listener = await pool.acquire()

        def on_job(*_: object) -> None:
            wake.set()

        await listener.add_listener(store.JOBS_CHANNEL, on_job)
        tasks = [asyncio.create_task(loop.run(), name="order-relay-background")] + [
            asyncio.create_task(loop.relay_worker(wake), name=f"order-relay-worker-{n}")
            for n in range(deps.settings.order_relay_concurrency)
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await listener.remove_listener(store.JOBS_CHANNEL, on_job)
            await pool.release(listener)

    return APIRouter(lifespan=lifespan)
