"""Pull tasks on Shopify bulk operations: start and return; the bulk_operations/finish webhook,
or the pull's check (a work item) when that webhook is late or lost, stores the export
(ADR 0204)."""

from datetime import UTC, datetime

import structlog
from connector_connections import Connection, load_connection
from connector_connections.platforms import PLATFORM_UNAVAILABLE
from connector_contracts import CatalogPullRequested, Envelope
from connector_runtime import work
from connector_runtime.db import Connection as Db
from connector_runtime.work import WorkItem
from shopify.bulk import products_bulk_query
from shopify.errors import ShopifyError, ShopifyUserError

from catalog_sync import metrics, store
from catalog_sync.core.bulk_pull import (
    PREPARING,
    Fail,
    Queue,
    Wait,
    bulk_verdict,
    on_bulk_in_progress,
    pull_search,
    wait_timed_out,
)
from catalog_sync.platform import Platforms
from catalog_sync.pulling import PULL_ERRORS, store_bulk_result
from catalog_sync.store import BulkPull
from catalog_sync.task_events import announce_task

log = structlog.get_logger()

IN_PROGRESS = "OPERATION_IN_PROGRESS"
BULK_PULL_CHECK = "bulk-pull-check"  # work kind: one check per waiting pull, keyed by task id
# Work kind: a pull waiting in line for a bulk slot of its store tries again, keyed by task id;
# due when a pull of the store ends, else after CATALOG_BULK_CHECK_SECONDS (ADR 0370).
BULK_PULL_START = "bulk-pull-start"


async def start_bulk_pull(
    platforms: Platforms, db: Db, cause: Envelope[CatalogPullRequested], connection: Connection
) -> str | None:
    """Start (or adopt) the pull's bulk operation and record it, or put the pull in line when
    the store's bulk slots are taken; a refusal's reason, or None when the task now waits."""
    p = cause.payload
    if await store.bulk_pull_of_task(db, p.task_id) is not None:
        return None  # a redelivery of a start that committed
    settings = await store.load_settings(db, p.connection_id, None)
    query = products_bulk_query(
        pull_search(p.updated_from, p.updated_to, p.incremental, settings.last_pulled_updated_at)
    )
    bulk = platforms.clients(connection).shopify.bulk
    await store.lock_pull_starts(db, p.connection_id)
    try:
        operation_id = (await bulk.run_query(query)).id
    except ShopifyUserError as exc:
        if not any(e.code == IN_PROGRESS for e in exc.errors):
            raise
        current = await bulk.current()
        owner = await store.waiting_task_of(db, p.connection_id, current.id) if current else None
        decision = on_bulk_in_progress(current, query, owner)
        outcome = "queued" if isinstance(decision, Queue) else "adopted"
        metrics.BULK_PULLS.labels("start", outcome).inc()
        log.info("catalog.bulk_in_progress", task_id=p.task_id, outcome=outcome)
        if isinstance(decision, Queue):
            await _wait_in_line(platforms, db, cause, connection, decision.reason)
            return None
        operation_id = decision.operation_id
    await store.drop_pull_wait(db, p.task_id)
    await store.record_bulk_pull(db, operation_id, cause)
    await queue_check(platforms, db, p.task_id)
    await store.set_task_detail(db, p.task_id, PREPARING)
    await announce_task(db, platforms.settings, p.task_id)
    log.info("catalog.bulk_started", task_id=p.task_id, operation_id=operation_id)
    return None


async def _wait_in_line(
    platforms: Platforms,
    db: Db,
    cause: Envelope[CatalogPullRequested],
    connection: Connection,
    reason: str,
) -> None:
    """Keep the pull until a bulk slot of its store frees: the end of any pull of the store
    makes it due at once; the retry after a check interval covers a slot freed elsewhere."""
    task_id = cause.payload.task_id
    await store.record_pull_wait(db, connection.shopify_shop_domain, cause)
    delay = platforms.settings.catalog_bulk_check_seconds
    await work.queue(db, BULK_PULL_START, task_id, delay_seconds=delay)
    await store.set_task_detail(db, task_id, reason)
    await announce_task(db, platforms.settings, task_id)


async def start_waiting_pull(platforms: Platforms, db: Db, item: WorkItem) -> None:
    """Try again to start a pull that waits in line; it ends in error once it waited past
    CATALOG_BULK_TIMEOUT_SECONDS or when the start fails."""
    wait = await store.lock_pull_wait(db, item.key)
    if wait is None:
        return  # started, or ended, meanwhile
    p = wait.command.payload
    connection = await load_connection(db, p.connection_id)
    waited = (datetime.now(UTC) - wait.queued_at).total_seconds()
    refusal = wait_timed_out(waited, platforms.settings.catalog_bulk_timeout_seconds)
    if connection is None:
        refusal = f"unknown connection {p.connection_id}"
    if refusal is None and connection is not None:
        try:
            refusal = await start_bulk_pull(platforms, db, wait.command, connection)
        except PLATFORM_UNAVAILABLE:
            raise
        except PULL_ERRORS as exc:
            refusal = f"Pull failed: {exc}"
    if refusal is not None:
        await store.drop_pull_wait(db, p.task_id)
        await finish_pull_task(db, platforms, p.task_id, "error", refusal)
        metrics.BULK_PULLS.labels("start", "gave_up").inc()


async def finish_pull_task(
    db: Db, platforms: Platforms, task_id: str, status: str, detail: str
) -> None:
    """End a pull task with its detail line and announce it."""
    await store.finish_task(db, task_id, status, detail)
    await announce_task(db, platforms.settings, task_id)
    metrics.TASKS.labels("pull", status).inc()
    log.info("catalog.task_finished", task_id=task_id, kind="pull", status=status, detail=detail)


async def on_bulk_finished(
    platforms: Platforms, db: Db, connection_id: str, operation_id: str
) -> None:
    """Finish the pull waiting on a finished operation; duplicates and strangers change nothing."""
    pull = await store.lock_bulk_pull(db, connection_id, operation_id)
    if pull is None:
        # The finish can overtake the commit of the start that recorded the operation.
        await store.lock_pull_starts(db, connection_id)
        pull = await store.lock_bulk_pull(db, connection_id, operation_id)
    if pull is None or pull.finished_at is not None:
        outcome = "unknown" if pull is None else "duplicate"
        metrics.BULK_PULLS.labels("webhook", outcome).inc()
        log.info(
            "catalog.bulk_finish_ignored",
            connection_id=connection_id,
            operation_id=operation_id,
            outcome=outcome,
        )
        return
    if not await finish_bulk_pull(platforms, db, pull, "webhook"):
        # Shopify reads it as still at work: the check job looks again.
        metrics.BULK_PULLS.labels("webhook", "still_running").inc()


async def finish_bulk_pull(platforms: Platforms, db: Db, pull: BulkPull, via: str) -> bool:
    """Complete or fail a locked, waiting pull from its operation's state; False while Shopify
    is still at work. Platform outages propagate (the caller retries later)."""
    connection = await load_connection(db, pull.connection_id)
    end: Fail | str | None = Fail("error", f"unknown connection {pull.connection_id}")
    if connection is not None:
        try:
            end = await _settle(platforms, db, pull, connection)
        except PLATFORM_UNAVAILABLE:
            raise
        except PULL_ERRORS as exc:
            end = Fail("error", f"Pull failed: {exc}")
    if end is None:
        log.info("catalog.bulk_waiting", operation_id=pull.operation_id, via=via)
        return False
    if isinstance(end, Fail):
        await _end(db, platforms, pull, (via, end.outcome), end.reason)
    else:
        await _end(db, platforms, pull, (via, "completed"), end)
    if connection is not None:
        # The store's slot is free: the pulls in line (any connection of the store) try now.
        for task_id in await store.pull_waits_of_store(db, connection.shopify_shop_domain):
            await work.queue(db, BULK_PULL_START, task_id)
    return True


async def _settle(
    platforms: Platforms, db: Db, pull: BulkPull, connection: Connection
) -> Fail | str | None:
    """The pull's end: its stored export's detail line, a failure, or None while Shopify works."""
    bulk = platforms.clients(connection).shopify.bulk
    operation = await bulk.get(pull.operation_id)
    waited = (datetime.now(UTC) - pull.started_at).total_seconds()
    verdict = bulk_verdict(operation, waited, platforms.settings.catalog_bulk_timeout_seconds)
    if isinstance(verdict, Wait):
        return None
    if isinstance(verdict, Fail):
        if verdict.outcome == "timed_out":
            await _cancel(platforms, connection, pull.operation_id)
        return verdict
    return await store_bulk_result(
        platforms, db, pull.command, connection, verdict.url, verdict.total
    )


async def _cancel(platforms: Platforms, connection: Connection, operation_id: str) -> None:
    """Free the shop's bulk slot; a refusal (it has just finished) changes nothing."""
    try:
        await platforms.clients(connection).shopify.bulk.cancel(operation_id)
    except ShopifyError as exc:
        log.warning("catalog.bulk_cancel_failed", operation_id=operation_id, error=str(exc))


async def _end(
    db: Db, platforms: Platforms, pull: BulkPull, how: tuple[str, str], detail: str
) -> None:
    via, outcome = how
    status = "completed" if outcome == "completed" else "error"
    await store.end_bulk_pull(db, pull.task_id, outcome)
    await work.cancel(db, BULK_PULL_CHECK, pull.task_id)
    await finish_pull_task(db, platforms, pull.task_id, status, detail)
    metrics.BULK_PULLS.labels(via, outcome).inc()
    log.info("catalog.bulk_ended", task_id=pull.task_id, operation_id=pull.operation_id, via=via)


async def check_bulk_pull(platforms: Platforms, db: Db, check: WorkItem) -> None:
    """Finish a pull whose finish webhook is late or lost, or fail it once waiting past
    CATALOG_BULK_TIMEOUT_SECONDS; while Shopify works, look again later. Platform outages
    propagate: the check is retried with a backoff."""
    pull = await store.lock_waiting_bulk_pull(db, check.key)
    if pull is not None and not await finish_bulk_pull(platforms, db, pull, "check"):
        await queue_check(platforms, db, pull.task_id)


async def queue_check(platforms: Platforms, db: Db, task_id: str) -> None:
    """Look at the pull with Shopify after CATALOG_BULK_CHECK_SECONDS without news."""
    delay = platforms.settings.catalog_bulk_check_seconds
    await work.queue(db, BULK_PULL_CHECK, task_id, delay_seconds=delay)
