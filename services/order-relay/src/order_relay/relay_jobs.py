"""Relay jobs: the `relay` work items (first tries and retries) run by the relay workers.

A job runs in the transaction that claimed it, several at a time per replica, so one slow
order does not hold up the others and a crash releases the job for another replica.
"""

from typing import Any

import structlog
from connector_contracts import Envelope, Event
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import Postpone, WorkItem, describe
from shopify import ShopifyBudgetWait

from order_relay import metrics, store
from order_relay.relay import relay_order

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
        await relay_order(fx, runtime.deps, order_id, retry_credentials=retry_credentials)
    except ShopifyBudgetWait as exc:
        # The store's budget is spent (a throttled merchant): free the worker for the other
        # merchants' orders and come back when the budget allows (ADR 0310). Not a failure:
        # no attempt counted, no history line per turn (connector_work_postponed_total).
        reason = f"Waiting for the Shopify store's API budget: {exc}."
        raise Postpone(exc.retry_after, reason) from exc


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
