"""Consumer lag: highwater minus committed offset, summed over a topic's partitions."""

from aiokafka import TopicPartition
from connector_runtime.consumer import lag_of
from hypothesis import given
from hypothesis import strategies as st

P0, P1, P2 = (TopicPartition("order.paid", n) for n in range(3))


def test_lag_sums_what_each_partition_has_not_committed() -> None:
    assert lag_of({P0: 10, P1: 5, P2: 0}, {P0: 7, P1: 5, P2: None}) == 3


def test_a_partition_never_committed_lags_by_all_its_messages() -> None:
    assert lag_of({P0: 4}, {P0: None}) == 4
    assert lag_of({P0: 4}, {}) == 4


@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)), min_size=1, max_size=3))
def test_lag_is_never_negative_and_zero_when_all_is_committed(pairs: list[tuple[int, int]]) -> None:
    parts = [TopicPartition("t", n) for n in range(len(pairs))]
    ends = {tp: end for tp, (end, _) in zip(parts, pairs, strict=True)}
    committed = {tp: seen for tp, (_, seen) in zip(parts, pairs, strict=True)}
    assert lag_of(ends, committed) >= 0
    assert lag_of(ends, dict(ends)) == 0
