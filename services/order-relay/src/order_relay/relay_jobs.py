"""Relay jobs: the `relay` work items (first tries and retries) run by the relay workers.

A job runs in the transaction that claimed it, several at a time per replica, so one slow
order does not hold up the others and a crash releases the job for another replica. A worker
claims a batch of due jobs at once (ADR 0710); their Get Order Detail calls go out together
first (`prefetch_details`: up to 50 ids a call), then each job runs in its own savepoint.
"""

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from connector_connections import Connection as PlatformConnection
from connector_connections import load_connection
from connector_connections.platforms import NotAuthorized
from connector_contracts import Envelope, Event
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import Postpone, WorkItem, describe
from shopify import ShopifyBudgetWait

from order_relay import metrics, store
from order_relay.relay import Prefetched, relay_order

log = structlog.get_logger()


async def run_relay_job(runtime: Any, conn: Connection, job: WorkItem) -> None:
    """Relay one order; raising (platform away, replica catching up) retries it later."""
    order_id, attempt = job.key, int(job.payload["attempt"])
    if attempt > 1:
        metrics.RELAY_RETRIES.inc()
        log.info("order.relay_retry", tiktok_order_id=order_id, attempt=attempt)
        await store.add_history(conn, order_id, "retry", f"Retry {attempt - 1} started.")
    fx = _WithConnection(Effects(conn, runtime.settings), str(job.payload["connection_id"]))
    try:
        retry_credentials = job.attempts < runtime.settings.order_relay_credential_retries
        await relay_order(
            fx,
            runtime.deps,
            order_id,
            retry_credentials=retry_credentials,
            prefetched=job.prepared if isinstance(job.prepared, Prefetched) else None,
        )
    except ShopifyBudgetWait as exc:
        # The store's budget is spent (a throttled merchant): free the worker for the other
        # merchants' orders and come back when the budget allows (ADR 0310). Not a failure:
        # no attempt counted, no history line per turn (connector_work_postponed_total).
        reason = f"Waiting for the Shopify store's API budget: {exc}."
        raise Postpone(exc.retry_after, reason) from exc


async def prefetch_details(
    runtime: Any, conn: Connection, jobs: Sequence[WorkItem]
) -> Mapping[int, Prefetched]:
    """Fetch the details of a claimed batch's orders together (TikTok's Get Order Detail
    takes 50 ids: the client's shared calls carry them), by job id. A lone job fetches its
    own in its attempt: reading its shop first would only add a statement."""
    if len(jobs) < 2:
        return {}
    shops = await store.shops_of(conn, [job.key for job in jobs])
    connections: dict[str, PlatformConnection | None] = {}
    for connection_id, _shop in shops.values():
        if connection_id not in connections:
            connections[connection_id] = await load_connection(conn, connection_id)
    wanted: list[tuple[WorkItem, PlatformConnection, str]] = []
    calls = []
    for job in jobs:
        connection_id, shop_id = shops.get(job.key, ("", ""))
        connection = connections.get(connection_id)
        if connection is None:
            continue  # unknown yet: the attempt says so
        try:
            clients = await runtime.deps.clients(connection, shop_id)
        except NotAuthorized:
            continue  # the attempt records why
        wanted.append((job, connection, shop_id))
        calls.append(clients.tiktok.orders.detail(job.key))
    # Started together, so the client's shared batches carry them in as few calls as fit.
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    return {
        job.id: Prefetched(connection, shop_id, outcome)
        for (job, connection, shop_id), outcome in zip(wanted, outcomes, strict=True)
        if not isinstance(outcome, BaseException) or isinstance(outcome, Exception)
    }


async def relay_postponed(
    _runtime: Any, conn: Connection, job: WorkItem, exc: BaseException
) -> None:
    """Tell the merchant, once per run of failures, that the relay waits for a platform."""
    log.warning("order.relay_postponed", tiktok_order_id=job.key, error=describe(exc)[:300])
    if job.attempts == 1:
        await store.add_history(
            conn,
            job.key,
            "waiting",
            f"Platform temporarily unavailable ({type(exc).__name__}); retrying.",
        )


class _WithConnection(Effects):
    """Effects of a job (no causing message) that emit for one connection."""

    def __init__(self, fx: Effects, connection_id: str) -> None:
        super().__init__(fx.conn, fx.settings, fx.cause)
        self._connection_id = connection_id

    async def emit(
        self,
        payload: Event,
        *,
        connection_id: str | None = None,
        task_id: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope[Event]:
        return await super().emit(
            payload,
            connection_id=connection_id or self._connection_id,
            task_id=task_id,
            correlation_id=correlation_id,
        )
