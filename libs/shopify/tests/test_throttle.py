"""The local bucket model waits exactly until the requested cost fits (B3)."""

from __future__ import annotations

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
