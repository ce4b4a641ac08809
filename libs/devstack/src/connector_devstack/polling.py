"""Waiting for an eventually consistent system to get somewhere (tests, demo, benchmarks)."""

import time
from collections.abc import Callable
from typing import Any


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 60) -> Any:
    """Call `fetch` until `done(result)` or the deadline passes; return the last result."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(0.2)
        result = fetch()
    return result
