"""The local bucket model waits exactly until the requested cost fits (B3)."""

from __future__ import annotations

import asyncio

import pytest
from shopify.errors import ShopifyBudgetWait
from shopify.throttle import CostBucket, ThrottleStatus, parse_cost


class FakeClock:
    """Time that only moves when the bucket sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_cost_that_fits_is_taken_without_waiting() -> None:
    clock = FakeClock()
    bucket = CostBucket(100, 10, clock=clock, sleep=clock.sleep)
    assert await bucket.acquire(60) == 0
    assert bucket.available == 40


async def test_cost_that_does_not_fit_waits_for_the_restore_rate() -> None:
    clock = FakeClock()
    bucket = CostBucket(100, 10, clock=clock, sleep=clock.sleep)
    await bucket.acquire(80)
    waited = await bucket.acquire(50)
    assert waited == (50 - 20) / 10
    assert bucket.available == 0


async def test_server_status_replaces_the_local_guess() -> None:
    clock = FakeClock()
    bucket = CostBucket(2000, 100, clock=clock, sleep=clock.sleep)
    await bucket.acquire(10)
    bucket.release(10, ThrottleStatus(1000, 5, 50))
    assert (bucket.maximum, bucket.restore_rate, bucket.available) == (1000, 50, 5)
    assert await bucket.acquire(105) == 2.0


async def test_reservations_in_flight_are_kept_out_of_the_server_view() -> None:
    clock = FakeClock()
    bucket = CostBucket(1000, 100, clock=clock, sleep=clock.sleep)
    await bucket.acquire(300)
    await bucket.acquire(200)
    bucket.release(300, ThrottleStatus(1000, 700, 100))
    assert bucket.available == 500


def test_cost_extension_is_parsed_including_throttled_responses() -> None:
    cost = parse_cost(
        {
            "cost": {
                "requestedQueryCost": 70,
                "actualQueryCost": None,
                "throttleStatus": {
                    "maximumAvailable": 2000,
                    "currentlyAvailable": 20,
                    "restoreRate": 100,
                },
            }
        }
    )
    assert cost is not None
    assert (cost.requested, cost.actual) == (70, None)
    assert cost.throttle_status == ThrottleStatus(2000, 20, 100)


async def test_a_call_that_would_wait_too_long_raises_and_reserves_nothing() -> None:
    clock = FakeClock()
    bucket = CostBucket(50, 1, clock=clock, sleep=clock.sleep)
    await bucket.acquire(45)
    with pytest.raises(ShopifyBudgetWait) as raised:
        await bucket.acquire(10, max_wait=2.0)
    assert raised.value.retry_after == 5.0
    assert (bucket.available, clock.slept) == (5, [])
    assert await bucket.acquire(7, max_wait=2.0) == 2.0  # within the limit: waits as before


async def test_the_wait_counts_the_callers_already_waiting() -> None:
    clock = FakeClock()
    bucket = CostBucket(50, 1, clock=clock, sleep=clock.sleep)
    await bucket.acquire(50)
    release = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        await release.wait()
        await clock.sleep(seconds)

    bucket._sleep = slow_sleep
    first = asyncio.create_task(bucket.acquire(10))
    await asyncio.sleep(0)
    assert bucket.wait_for(10) == 20.0  # behind the first caller's 10 points
    with pytest.raises(ShopifyBudgetWait):
        await bucket.acquire(10, max_wait=15.0)
    release.set()
    assert await first == 10.0
    assert bucket.wait_for(10) == 10.0
