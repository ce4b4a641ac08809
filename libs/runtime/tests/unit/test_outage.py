"""One warning and one recovery line per database outage, a restart's flap included."""

from connector_runtime.db import Outage
from structlog.testing import capture_logs


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def logged(outage_steps: list[str], clock: Clock, outage: Outage) -> list[str]:
    with capture_logs() as logs:
        for step in outage_steps:
            if step == "fail":
                outage.failed("outbox", OSError("refused"))
            elif step == "ok":
                outage.recovered()
            else:
                clock.now += float(step)
    return [e["event"] for e in logs]


def test_an_outage_is_warned_once_and_its_end_logged_once() -> None:
    clock = Clock()
    outage = Outage("svc", settle_seconds=5, clock=clock)
    steps = ["fail", "1", "fail", "fail", "1", "ok", "ok"]
    assert logged(steps, clock, outage) == ["db.unavailable", "db.recovered"]
    assert outage.failures == 0


def test_a_failure_right_after_recovery_is_the_same_outage() -> None:
    clock = Clock()
    outage = Outage("svc", settle_seconds=5, clock=clock)
    steps = ["fail", "fail", "ok", "1", "fail", "fail", "1", "ok"]
    assert logged(steps, clock, outage) == ["db.unavailable", "db.recovered"]
    assert outage.failures == 0  # backoff starts afresh after each success


def test_a_later_outage_is_warned_again() -> None:
    clock = Clock()
    outage = Outage("svc", settle_seconds=5, clock=clock)
    steps = ["fail", "ok", "6", "fail", "ok"]
    assert logged(steps, clock, outage) == [
        "db.unavailable",
        "db.recovered",
        "db.unavailable",
        "db.recovered",
    ]
