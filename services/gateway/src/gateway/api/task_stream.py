"""The task list as server-sent events: the console's live progress without polling (ADR 1020).

A stream sends the connection's newest tasks at once, then again whenever the task feed says
they changed (at most every `PACE_SECONDS`), and a comment every `HEARTBEAT_SECONDS` so
proxies keep the connection open. It ends after `task_stream_seconds`; EventSource reconnects.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from connector_runtime.db import RequestPool
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from gateway import task_store
from gateway.api.deps import DepsDep, Pool
from gateway.api.tasks import TaskPage, region_shop, row_of
from gateway.platforms import Deps

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

# A burst of changes (a 10,000-product push) becomes one read per stream per this interval.
PACE_SECONDS = 0.5
HEARTBEAT_SECONDS = 15.0
# The newest tasks a stream sends each time (the list's first page).
STREAM_ROWS = 50
# Browsers reconnect after this many milliseconds when a stream ends.
RETRY_MS = 1000


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "`text/event-stream`: `tasks` events, each a TaskPage (JSON) of the"
            " newest tasks, first at once and then after every change.",
            "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/TaskPage"}}},
        },
        404: {"description": "Unknown region"},
    },
)
async def stream_tasks(
    deps: DepsDep,
    pool: Pool,
    connection_id: Annotated[str, Query(min_length=1)],
    region: Annotated[
        str | None, Query(description="A market, e.g. DE: its tasks and the connection-wide ones.")
    ] = None,
) -> StreamingResponse:
    """The connection's newest tasks, sent again whenever they change (server-sent events)."""
    async with pool.connection() as db:
        shop_id = await region_shop(db, connection_id, region)
    where = task_store.TaskFilter(connection_id, shop_id)
    lifetime = deps.settings.task_stream_seconds
    events = _events(deps, pool, where, time.monotonic() + lifetime)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


async def _events(
    deps: Deps, pool: RequestPool, where: task_store.TaskFilter, until: float
) -> AsyncIterator[str]:
    with deps.task_feed.subscribe(where.connection_id) as changed:
        yield f"retry: {RETRY_MS}\n\n"
        while True:
            changed.clear()
            yield await _page_event(pool, where)
            while not changed.is_set():
                left = until - time.monotonic()
                if left <= 0:
                    return
                try:
                    await asyncio.wait_for(changed.wait(), min(HEARTBEAT_SECONDS, left))
                except TimeoutError:
                    if not deps.task_feed.listening:
                        break  # no one hears changes: read again on each heartbeat instead
                    yield ": still here\n\n"
            await asyncio.sleep(PACE_SECONDS)


async def _page_event(pool: RequestPool, where: task_store.TaskFilter) -> str:
    async with pool.connection() as db:
        found = await task_store.list_states(db, where, STREAM_ROWS, None)
    page = TaskPage(tasks=[row_of(cid, state) for cid, state in found], next_cursor=None)
    return f"event: tasks\ndata: {page.model_dump_json()}\n\n"
