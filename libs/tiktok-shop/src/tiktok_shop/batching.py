"""Sharing one platform call between concurrent callers that each want a few keys of it.

TikTok's batch reads (Get Order Detail takes up to 50 ids) cost one call of the endpoint's QPS
however many ids they carry. A caller never waits for a batch to fill: the first request goes
out at once; requests arriving while a call is in flight wait for it and go together in the
next call, up to the endpoint's maximum, a key asked for twice being fetched once.
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def next_batch(waiting: Sequence[K], maximum: int) -> list[K]:
    """The keys of the next call: the oldest `maximum` distinct keys waiting."""
    return list(dict.fromkeys(waiting))[:maximum]


class SharedBatches(Generic[K, V]):
    """One call in flight at a time, carrying every key waiting when it starts (up to
    `maximum`); `fetch` answers the keys it found (a missing key answers None), and its
    error is the error of every caller whose key it carried (after each key was asked for
    alone, for errors in `split_on`)."""

    def __init__(
        self,
        fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]],
        maximum: int,
        *,
        split_on: tuple[type[Exception], ...] = (),
    ) -> None:
        self._fetch = fetch
        self._maximum = maximum
        # A refusal of a shared call may be one key's fault (TikTok refuses the whole Get
        # Order Detail for one foreign id): each key is then asked for alone.
        self._split_on = split_on
        self._waiting: dict[K, list[asyncio.Future[V | None]]] = {}
        self._runner: asyncio.Task[None] | None = None

    async def get(self, key: K) -> V | None:
        """The value of `key`, fetched in the next call that has room for it."""
        future: asyncio.Future[V | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(future)
        loop = asyncio.get_running_loop()
        if self._runner is None or self._runner.done() or self._runner.get_loop() is not loop:
            self._runner = loop.create_task(self._run())
        return await future

    async def _run(self) -> None:
        # Keys queued during a call go in the next one; the loop ends when none are left.
        while self._waiting:
            keys = next_batch(list(self._waiting), self._maximum)
            await self._serve({key: self._waiting.pop(key) for key in keys})

    async def _serve(self, waiting: dict[K, list[asyncio.Future[V | None]]]) -> None:
        try:
            await self._call(waiting)
        except Exception as exc:
            # Handed to the callers, who classify it (retry, park, refuse) as for their own call.
            for futures in waiting.values():
                _settle(futures, exc)

    async def _call(self, waiting: dict[K, list[asyncio.Future[V | None]]]) -> None:
        try:
            found = await self._fetch(list(waiting))
        except self._split_on:
            if len(waiting) == 1:
                raise
            for key, futures in waiting.items():
                await self._serve({key: futures})
            return
        except Exception:
            raise  # to `_serve`, for every caller
        except BaseException:
            for futures in waiting.values():  # shutting down: nobody is served
                for future in futures:
                    future.cancel()
            raise
        for key, futures in waiting.items():
            _settle(futures, found.get(key))


def _settle(futures: list[asyncio.Future[V | None]], outcome: V | Exception | None) -> None:
    # A caller that was cancelled meanwhile has no one to tell.
    for future in futures:
        if future.done():
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
