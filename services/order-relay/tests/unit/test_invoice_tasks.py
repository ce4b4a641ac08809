"""A bulk invoice upload in the task list: running, then completed with refusals by reason."""

from connector_contracts import TaskStatus
from order_relay.invoice_tasks import BulkOutcome, to_task_changed


def test_a_bulk_upload_counts_files_and_refusals_by_reason() -> None:
    outcome = BulkOutcome("t1", "c1", "shop", total=3)
    running = to_task_changed(outcome, finished=False)
    outcome.succeeded("9001.xml")
    outcome.refused("a.xml", "Its name holds no package id that needs an invoice.")
    outcome.refused("b.xml", "Its name holds no package id that needs an invoice.")
    done = to_task_changed(outcome, finished=True)
    assert (running.status, running.finished_at) == (TaskStatus.RUNNING, None)
    assert (done.status, done.done, done.failed, done.total) == (TaskStatus.COMPLETED, 1, 2, 3)
    assert [(r.count, r.reason[:8]) for r in done.reasons] == [(2, "Its name")]
    assert [i.item_id for i in done.items] == ["9001.xml", "a.xml", "b.xml"]
