"""Shared batch calls: concurrent callers share one call, up to the maximum, each key once."""

import asyncio
from collections.abc import Mapping, Sequence

import pytest
from tiktok_shop.batching import SharedBatches, next_batch


def test_next_batch_takes_the_oldest_distinct_keys_up_to_the_maximum() -> None:
    assert next_batch(["a", "b", "a", "c", "d"], 3) == ["a", "b", "c"]
    assert next_batch(["a"], 50) == ["a"]
    assert next_batch([str(i) for i in range(120)], 50) == [str(i) for i in range(50)]


class Platform:
    """A batch read that answers the keys it knows, recording each call's keys."""

    def __init__(self, known: set[str], fail_on: str | None = None) -> None:
        self.known = known
        self.fail_on = fail_on
        self.calls: list[list[str]] = []
        self.release = asyncio.Event()

    async def fetch(self, keys: Sequence[str]) -> Mapping[str, str]:
        self.calls.append(list(keys))
        await self.release.wait()
        if self.fail_on in keys:
            raise RuntimeError(f"refused {self.fail_on}")
        return {key: f"order {key}" for key in keys if key in self.known}


async def test_callers_arriving_during_a_call_share_the_next_one() -> None:
    platform = Platform({str(i) for i in range(10)})
    batches = SharedBatches(platform.fetch, maximum=50)
    first = asyncio.create_task(batches.get("0"))
    await asyncio.sleep(0)  # the first call is in flight with one key
    rest = [asyncio.create_task(batches.get(str(i))) for i in range(1, 10)]
    await asyncio.sleep(0)
    platform.release.set()
    assert await first == "order 0"
    assert await asyncio.gather(*rest) == [f"order {i}" for i in range(1, 10)]
    assert platform.calls == [["0"], [str(i) for i in range(1, 10)]]


async def test_a_call_carries_at_most_the_maximum_and_a_key_once() -> None:
    platform = Platform({str(i) for i in range(7)})
    platform.release.set()
    batches = SharedBatches(platform.fetch, maximum=3)
    keys = ["0", "1", "1", "2", "3", "4", "5", "6"]
    found = await asyncio.gather(*(batches.get(key) for key in keys))
    assert found == [f"order {key}" for key in keys]
    assert [len(call) for call in platform.calls] == [3, 3, 1]
    assert sorted(key for call in platform.calls for key in call) == sorted(set(keys))


async def test_a_missing_key_answers_none() -> None:
    platform = Platform({"1"})
    platform.release.set()
    batches = SharedBatches(platform.fetch, maximum=50)
    assert await asyncio.gather(batches.get("1"), batches.get("2")) == ["order 1", None]


async def test_a_failed_call_fails_only_the_callers_it_carried() -> None:
    platform = Platform({"1", "2", "3"}, fail_on="1")
    batches = SharedBatches(platform.fetch, maximum=50)
    first = asyncio.create_task(batches.get("1"))
    await asyncio.sleep(0)
    later = [asyncio.create_task(batches.get(key)) for key in ("2", "3")]
    await asyncio.sleep(0)
    platform.release.set()
    with pytest.raises(RuntimeError, match="refused 1"):
        await first
    assert await asyncio.gather(*later) == ["order 2", "order 3"]


async def test_a_cancelled_caller_does_not_stop_the_others() -> None:
    platform = Platform({"1", "2"})
    batches = SharedBatches(platform.fetch, maximum=50)
    gone = asyncio.create_task(batches.get("1"))
    staying = asyncio.create_task(batches.get("2"))
    await asyncio.sleep(0)
    gone.cancel()
    platform.release.set()
    assert await staying == "order 2"
    assert gone.cancelled()


async def test_a_refused_shared_call_asks_for_each_key_alone() -> None:
    platform = Platform({"1", "2", "3"}, fail_on="2")
    batches = SharedBatches(platform.fetch, maximum=50, split_on=(RuntimeError,))
    first = asyncio.create_task(batches.get("1"))
    await asyncio.sleep(0)
    later = [asyncio.create_task(batches.get(key)) for key in ("2", "3")]
    await asyncio.sleep(0)
    platform.release.set()
    assert await first == "order 1"
    with pytest.raises(RuntimeError, match="refused 2"):
        await later[0]
    assert await later[1] == "order 3"
    assert platform.calls == [["1"], ["2", "3"], ["2"], ["3"]]
