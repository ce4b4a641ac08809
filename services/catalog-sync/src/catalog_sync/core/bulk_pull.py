"""Pulls waiting on a Shopify bulk operation: what its state means for the task (reference B4)."""

from dataclasses import dataclass
from datetime import datetime

from shopify.models import BulkOperation

from catalog_sync.core.pull import updated_at_query

PREPARING = "Shopify is preparing the export"
# Shopify runs a store's bulk queries a few at a time for one app: the rest wait in line.
WAITING = "Waiting for Shopify to free this store's export slot"


@dataclass(frozen=True)
class Complete:
    """The export is ready: store its products (no `url` when nothing matched the window)."""

    url: str | None
    total: int


@dataclass(frozen=True)
class Fail:
    """The pull ends in error: `outcome` is the metric label, `reason` the merchant's words."""

    outcome: str
    reason: str


@dataclass(frozen=True)
class Wait:
    """Shopify is still at work: look again later."""


BulkVerdict = Complete | Fail | Wait


@dataclass(frozen=True)
class Adopt:
    """A bulk query of ours, identical and owned by no task, is running: wait on it instead."""

    operation_id: str


@dataclass(frozen=True)
class Queue:
    """No export can start now (the store's bulk slots are taken): the pull waits in line,
    with the merchant-readable reason as the task's detail, and starts when a slot frees."""

    reason: str


def pull_since(
    updated_from: datetime | None, incremental: bool, last_pulled: datetime | None
) -> datetime | None:
    """Start of the pull window: explicit, else after the last pull when incremental."""
    return updated_from or (last_pulled if incremental else None)


def pull_search(
    updated_from: datetime | None,
    updated_to: datetime | None,
    incremental: bool,
    last_pulled: datetime | None,
) -> str | None:
    """The Shopify product search of a pull (None: every product)."""
    return updated_at_query(pull_since(updated_from, incremental, last_pulled), updated_to)


def _failure_reason(status: str, error_code: str | None) -> str:
    if status == "CANCELED":
        return "The Shopify export was canceled before it finished. Pull again."
    if status == "EXPIRED":
        return "The Shopify export expired before the connector read it. Pull again."
    if error_code == "ACCESS_DENIED":
        return (
            "Shopify refused the export (ACCESS_DENIED): the app lacks access to some product "
            "data. Reconnect the store to grant the requested scopes, then pull again."
        )
    if error_code == "TIMEOUT":
        return (
            "Shopify's export timed out (TIMEOUT). Pull a shorter window (updated from / to), "
            "or pull again."
        )
    code = f" ({error_code})" if error_code else ""
    return f"Shopify failed to prepare the export{code}. Pull again."


def bulk_verdict(
    operation: BulkOperation, waited_seconds: float, timeout_seconds: float
) -> BulkVerdict:
    """Complete, fail or keep waiting on a pull's operation, `waited_seconds` after its start."""
    if operation.status == "COMPLETED":
        return Complete(operation.url, operation.root_object_count)
    if operation.finished:
        return Fail(
            operation.status.lower(), _failure_reason(operation.status, operation.error_code)
        )
    if waited_seconds >= timeout_seconds:
        minutes = max(1, round(timeout_seconds / 60))
        return Fail(
            "timed_out",
            f"Shopify was still preparing the export ({operation.status}) after {minutes} "
            "minutes (CATALOG_BULK_TIMEOUT_SECONDS), so the connector stopped waiting and asked "
            "Shopify to cancel it. Pull a shorter window, "
            "or pull again later.",
        )
    return Wait()


def _same_query(a: str | None, b: str) -> bool:
    # Compared without layout: Shopify may hand the query back re-indented.
    return a is not None and a.split() == b.split()


def on_bulk_in_progress(
    current: BulkOperation | None, query: str, owner_task: str | None
) -> Adopt | Queue:
    """Shopify refused a new bulk query because the store's slots are taken (B4 concurrency:
    one per app and store before 2026-01, five since): wait on the running one when it is this
    very pull's (an earlier attempt started it before a crash), else wait in line (ADR 0370)."""
    if current is None or current.finished:
        return Queue(f"{WAITING}: Shopify's last export of this store has just ended")
    if owner_task is not None:
        return Queue(f"{WAITING}: another pull of this store (task {owner_task}) is running")
    if not _same_query(current.query, query):
        return Queue(f"{WAITING}: another bulk export of this store is running")
    return Adopt(current.id)


def wait_timed_out(waited_seconds: float, timeout_seconds: float) -> str | None:
    """Why a pull that waited in line this long stops waiting (None: it waits on)."""
    if waited_seconds < timeout_seconds:
        return None
    minutes = max(1, round(timeout_seconds / 60))
    return (
        f"The pull waited {minutes} minutes (CATALOG_BULK_TIMEOUT_SECONDS) for Shopify's other "
        "export of this store to finish, so the connector stopped waiting. Pull again."
    )
