"""Live task changes for the console's task streams (ADR 1020).

The task list's writer notifies PostgreSQL in its own transaction (`task_store.save_state`),
so a stream only hears of committed changes, whichever gateway replica consumed the event.
One listening connection per gateway process wakes the streams of that connection; a stream
then reads the list itself, so a burst of changes costs one read per stream, not one per change.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import asyncpg
import structlog

from gateway import metrics

log = structlog.get_logger()

# Seconds between attempts to listen again after PostgreSQL went away.
RELISTEN_SECONDS = 2.0


def channel_of(schema: str) -> str:
    """The notification channel of one gateway schema's task list."""
    return f"task_changed.{schema}"


class TaskFeed:
    """Wakes the task streams of a connection when its task list changed."""

    def __init__(self) -> None:
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._listener: asyncio.Task[None] | None = None
        self.listening = False

    def start(self, database_url: str, schema: str) -> None:
        """Listen in the background until `stop` (again and again through outages)."""
        self._listener = asyncio.create_task(self._listen(database_url, channel_of(schema)))

    async def stop(self) -> None:
        """Stop listening and end every stream (a gateway stopping waits for none of them)."""
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        self.listening = False
        self._waiting.clear()

    @contextmanager
    def subscribe(self, connection_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever the connection's tasks changed (or may have: after an outage
        of the listener, every stream reads again)."""
        woken = asyncio.Event()
        self._waiting.setdefault(connection_id, set()).add(woken)
        metrics.TASK_STREAMS.inc()
        try:
            yield woken
        finally:
            metrics.TASK_STREAMS.dec()
            streams = self._waiting.get(connection_id, set())
            streams.discard(woken)
            if not streams:
                self._waiting.pop(connection_id, None)

    def _notified(
        self,
        _conn: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy,
        _pid: int,
        _channel: str,
        connection_id: object,
    ) -> None:
        for woken in self._waiting.get(str(connection_id), ()):
            woken.set()

    def _wake_all(self) -> None:
        for streams in self._waiting.values():
            for woken in streams:
                woken.set()

    async def _listen(self, database_url: str, channel: str) -> None:
        while True:
            try:
                conn = await asyncpg.connect(database_url)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("task_feed.unavailable", error=type(exc).__name__)
                await asyncio.sleep(RELISTEN_SECONDS)
                continue
            try:
                await self._hold(conn, channel)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("task_feed.lost", error=type(exc).__name__)
            finally:
                self.listening = False
                with suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    await conn.close(timeout=2)
            await asyncio.sleep(RELISTEN_SECONDS)

    async def _hold(self, conn: asyncpg.Connection, channel: str) -> None:
        """Listen on `conn` until it is lost."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(channel, self._notified)
        self.listening = True
        self._wake_all()  # what changed while no one listened
        await lost.wait()
