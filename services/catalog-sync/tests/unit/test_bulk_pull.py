"""Pulls waiting on a Shopify bulk operation: verdicts on its state, and a refused start."""

from datetime import UTC, datetime

import pytest
from catalog_sync.core.bulk_pull import (
    Adopt,
    Complete,
    Fail,
    Queue,
    Wait,
    bulk_verdict,
    on_bulk_in_progress,
    pull_search,
    wait_timed_out,
)
from shopify.bulk import products_bulk_query
from shopify.models import BulkOperation

QUERY = products_bulk_query("updated_at:>='2026-01-01T00:00:00+00:00'")


def operation(status: str, **fields: object) -> BulkOperation:
    return BulkOperation.model_validate(
        {"id": "gid://shopify/BulkOperation/7", "status": status, **fields}
    )


def test_completed_operation_is_stored_with_its_file_and_count() -> None:
    done = operation("COMPLETED", url="https://x/7.jsonl", rootObjectCount="42")
    assert bulk_verdict(done, 5, 3600) == Complete("https://x/7.jsonl", 42)


def test_completed_operation_without_file_completes_empty() -> None:
    assert bulk_verdict(operation("COMPLETED"), 5, 3600) == Complete(None, 0)


@pytest.mark.parametrize(
    ("status", "code", "outcome", "words"),
    [
        ("FAILED", "ACCESS_DENIED", "failed", "Reconnect the store"),
        ("FAILED", "TIMEOUT", "failed", "shorter window"),
        ("FAILED", "INTERNAL_SERVER_ERROR", "failed", "(INTERNAL_SERVER_ERROR)"),
        ("CANCELED", None, "canceled", "canceled"),
        ("EXPIRED", None, "expired", "expired"),
    ],
)
def test_an_operation_that_ended_badly_fails_the_pull_with_a_reason(
    status: str, code: str | None, outcome: str, words: str
) -> None:
    verdict = bulk_verdict(operation(status, errorCode=code), 5, 3600)
    assert isinstance(verdict, Fail)
    assert verdict.outcome == outcome
    assert words in verdict.reason
    assert "Pull again" in verdict.reason or "pull again" in verdict.reason


@pytest.mark.parametrize("status", ["CREATED", "RUNNING", "CANCELING"])
def test_a_running_operation_is_waited_on_until_the_timeout(status: str) -> None:
    assert bulk_verdict(operation(status), 3599, 3600) == Wait()
    late = bulk_verdict(operation(status), 3600, 3600)
    assert isinstance(late, Fail)
    assert late.outcome == "timed_out"
    assert "after 60 minutes" in late.reason


def test_the_pull_window_starts_after_the_last_pull_only_when_incremental() -> None:
    last = datetime(2026, 1, 1, tzinfo=UTC)
    until = datetime(2026, 2, 1, tzinfo=UTC)
    assert pull_search(None, None, False, last) is None
    assert pull_search(None, None, True, last) == "updated_at:>='2026-01-01T00:00:00+00:00'"
    assert pull_search(until, None, True, last) == "updated_at:>='2026-02-01T00:00:00+00:00'"
    assert pull_search(None, until, False, None) == "updated_at:<='2026-02-01T00:00:00+00:00'"


def test_the_same_query_running_unowned_is_adopted_even_reindented() -> None:
    running = operation("RUNNING", query=" ".join(QUERY.split()))
    assert on_bulk_in_progress(running, QUERY, None) == Adopt("gid://shopify/BulkOperation/7")


def test_an_operation_another_pull_waits_on_is_not_adopted_the_pull_waits_in_line() -> None:
    queued = on_bulk_in_progress(operation("RUNNING", query=QUERY), QUERY, "task-1")
    assert isinstance(queued, Queue)
    assert "task-1" in queued.reason


def test_a_different_query_running_is_not_adopted_the_pull_waits_in_line() -> None:
    queued = on_bulk_in_progress(operation("RUNNING", query="{ orders { edges } }"), QUERY, None)
    assert isinstance(queued, Queue)
    assert "another bulk export" in queued.reason


@pytest.mark.parametrize("current", [None, operation("COMPLETED", query=QUERY)])
def test_an_operation_that_has_just_ended_puts_the_pull_in_line_to_try_again(
    current: BulkOperation | None,
) -> None:
    queued = on_bulk_in_progress(current, QUERY, None)
    assert isinstance(queued, Queue)
    assert "just ended" in queued.reason


def test_a_pull_stops_waiting_in_line_after_the_bulk_timeout() -> None:
    assert wait_timed_out(59, 60) is None
    reason = wait_timed_out(3600, 3600)
    assert reason is not None
    assert "waited 60 minutes" in reason
