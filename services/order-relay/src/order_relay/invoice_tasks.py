"""`task.changed` for bulk invoice uploads: a task in the merchant's task list (ADR 0900),
running while its files go to TikTok, completed with every refused file and its reason."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from connector_contracts import (
    ItemOutcome,
    ReasonCount,
    TaskChanged,
    TaskStatus,
    new_envelope,
)
from connector_contracts.tasks import MAX_ITEM_LINES, MAX_REASONS
from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from connector_runtime.settings import ServiceSettings

BULK_TYPE = "invoice_upload"


@dataclass
class BulkOutcome:
    """A bulk upload's progress: the files sent, and those refused with their reason."""

    task_id: str
    connection_id: str
    tiktok_shop_id: str | None
    total: int
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    done: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    sequence: int = 0

    def succeeded(self, name: str) -> None:
        self.done.append(name)

    def refused(self, name: str, reason: str) -> None:
        self.failures.append((name, reason))


def to_task_changed(outcome: BulkOutcome, *, finished: bool) -> TaskChanged:
    """The shared task view of a bulk upload (a file is an item)."""
    why = Counter(reason for _, reason in outcome.failures)
    items = [ItemOutcome(item_id=n, status="uploaded") for n in outcome.done] + [
        ItemOutcome(item_id=n, status="refused", reason=r) for n, r in outcome.failures
    ]
    return TaskChanged(
        task_id=outcome.task_id,
        sequence=outcome.sequence,
        service="order-relay",
        type=BULK_TYPE,
        summary=f"Bulk upload of {outcome.total} invoice file(s)",
        status=TaskStatus.COMPLETED if finished else TaskStatus.RUNNING,
        tiktok_shop_id=outcome.tiktok_shop_id,
        done=len(outcome.done),
        total=outcome.total,
        failed=len(outcome.failures),
        started_at=outcome.started_at,
        finished_at=datetime.now(UTC) if finished else None,
        reasons=[ReasonCount(reason=r, count=n) for r, n in why.most_common(MAX_REASONS)],
        items=items[:MAX_ITEM_LINES],
    )


async def announce_bulk(
    conn: Connection, settings: ServiceSettings, outcome: BulkOutcome, *, finished: bool = False
) -> None:
    """Put the task's new state in the outbox."""
    outcome.sequence += 1
    event = to_task_changed(outcome, finished=finished)
    envelope = new_envelope(event, connection_id=outcome.connection_id, task_id=outcome.task_id)
    await write_outbox(conn, settings, envelope)
