"""A per-product task speaks at every twentieth of the way and at its end, never per product."""

from connector_runtime.item_tasks import PROGRESS_STEPS, progress_worth_telling
from hypothesis import given
from hypothesis import strategies as st


@given(st.integers(min_value=1, max_value=100_000))
def test_the_last_product_always_announces_the_task(total: int) -> None:
    assert progress_worth_telling(total, total)


@given(st.integers(min_value=1, max_value=5_000))
def test_a_task_announces_at_most_about_twenty_steps(total: int) -> None:
    told = sum(progress_worth_telling(n, total) for n in range(1, total + 1))
    assert told <= 2 * PROGRESS_STEPS + 1


def test_a_small_task_announces_every_product() -> None:
    assert all(progress_worth_telling(n, 5) for n in range(1, 6))


def test_a_large_task_stays_quiet_between_steps() -> None:
    assert progress_worth_telling(500, 10_000)
    assert not progress_worth_telling(501, 10_000)
