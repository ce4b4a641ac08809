"""The task list's merge rule: whatever order the states of a task arrive in, and however often
each is delivered, the list ends holding the newest one."""

from datetime import UTC, datetime
from functools import reduce

from connector_contracts import TaskChanged, TaskStatus
from gateway.core.task_merge import newest_task_state
from hypothesis import given
from hypothesis import strategies as st

T = datetime(2027, 1, 1, tzinfo=UTC)


def state(sequence: int) -> TaskChanged:
    """The task's state after `sequence` changes: one more item done each time."""
    return TaskChanged(
        task_id="t1",
        sequence=sequence,
        service="catalog-sync",
        type="push",
        summary="Push products to TikTok Shop",
        status=TaskStatus.COMPLETED if sequence == 9 else TaskStatus.RUNNING,
        done=sequence,
        total=9,
        failed=0,
        started_at=T,
    )


deliveries = st.lists(st.integers(min_value=0, max_value=9), min_size=1).flatmap(
    lambda seqs: st.permutations([state(s) for s in seqs + seqs[:2]])
)


@given(deliveries)
def test_any_order_of_deliveries_ends_in_the_newest_state(arrived: list[TaskChanged]) -> None:
    held = reduce(newest_task_state, arrived, None)
    assert held == max(arrived, key=lambda s: s.sequence)


@given(st.integers(min_value=0, max_value=8))
def test_an_older_state_arriving_late_does_not_move_the_task_back(older: int) -> None:
    assert newest_task_state(state(9), state(older)).status is TaskStatus.COMPLETED


def test_a_redelivered_state_keeps_the_one_held() -> None:
    held = state(3)
    assert newest_task_state(held, state(3)) is held


def test_the_first_state_of_a_task_is_kept() -> None:
    assert newest_task_state(None, state(0)) == state(0)
