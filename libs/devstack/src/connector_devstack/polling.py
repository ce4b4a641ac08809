"""Waiting for an eventually consistent system to get somewhere (tests, demo, benchmarks)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 60) -> Any:
    """Call `fetch` until `done(result)` or the deadline passes; return the last result."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(0.2)
        result = fetch()
    return result


async def poll_async(
    fetch: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], within: float = 60
) -> Any:
    """`poll` for a coroutine `fetch` (tests running a service in their own event loop)."""
    deadline = time.monotonic() + within
    result = await fetch()
    while not done(result) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        result = await fetch()
    return result
