"""The task list: every service's tasks of a connection and region, newest first, with their
outcome counts and per-item details (read model fed by `task.changed`, ADR 0900)."""

import base64
import binascii
from datetime import datetime
from typing import Annotated

from connector_connections import UnknownRegion, region_scope
from connector_contracts import ItemOutcome, ReasonCount, TaskChanged, TaskStatus
from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import AwareDatetime, BaseModel, Field

from gateway import task_store
from gateway.api.deps import Db
from gateway.api.identity import gated_caller

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


class TaskRow(BaseModel):
    """One task in the list. "completed" means the action ran: `done` and `failed` say how many
    of its items succeeded and failed."""

    task_id: str
    connection_id: str
    service: str = Field(description="The service that runs it.")
    type: str = Field(description="pull, push, csv, global, link, order_sync, ...")
    summary: str
    status: TaskStatus
    tiktok_shop_id: str | None = Field(description="Its region's TikTok shop; None: every region.")
    region: str | None
    done: int = Field(description="Items that succeeded.")
    failed: int = Field(description="Items that failed.")
    total: int | None = Field(description="Items covered, once known.")
    detail: str | None
    started_at: AwareDatetime
    finished_at: AwareDatetime | None


class TaskDetails(TaskRow):
    """A task with its failures counted by reason and its first item outcomes."""

    reasons: list[ReasonCount]
    items: list[ItemOutcome]


class TaskPage(BaseModel):
    """A page of tasks, newest first; pass `next_cursor` as `cursor` for the next one."""

    tasks: list[TaskRow]
    next_cursor: str | None


@router.get("", response_model=TaskPage, responses={404: {"description": "Unknown region"}})
async def list_tasks(
    db: Db,
    connection_id: Annotated[str, Query(min_length=1)],
    region: Annotated[
        str | None, Query(description="A market, e.g. DE: its tasks and the connection-wide ones.")
    ] = None,
    status: TaskStatus | None = None,
    type: Annotated[str | None, Query(description="e.g. push")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> TaskPage:
    """The connection's tasks (every region's unless `region` is given), newest first."""
    shop_id = await region_shop(db, connection_id, region)
    where = task_store.TaskFilter(connection_id, shop_id, status.value if status else None, type)
    found = await task_store.list_states(db, where, limit + 1, _decode(cursor))
    page = [row_of(cid, state) for cid, state in found[:limit]]
    more = len(found) > limit
    return TaskPage(tasks=page, next_cursor=_encode(page[-1]) if more else None)


@router.get(
    "/{task_id}", response_model=TaskDetails, responses={404: {"description": "Unknown task"}}
)
async def get_task(task_id: str, db: Db, request: Request) -> TaskDetails:
    """One task with its details: failures by reason and the first item outcomes."""
    found = await task_store.load_state(db, task_id)
    if found is None or not gated_caller(request).owns(found[0]):
        raise HTTPException(404, f"no task {task_id}")
    cid, state = found
    return TaskDetails(**row_of(cid, state).model_dump(), reasons=state.reasons, items=state.items)


async def region_shop(db: Db, connection_id: str, region: str | None) -> str | None:
    """The TikTok shop of the connection's `region` (None: every region); 404 if unknown."""
    if region is None:
        return None
    try:
        return await region_scope(db, connection_id, region)
    except UnknownRegion as exc:
        raise HTTPException(404, str(exc)) from exc


def row_of(connection_id: str, state: TaskChanged) -> TaskRow:
    """The list's row of a task's state."""
    return TaskRow(connection_id=connection_id, **state.model_dump(exclude={"reasons", "items"}))


def _encode(row: TaskRow) -> str:
    raw = f"{row.started_at.isoformat()}|{row.task_id}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(cursor: str | None) -> tuple[datetime, str] | None:
    """The cursor's position; one this API did not hand out is a 422."""
    if cursor is None:
        return None
    try:
        at, _, task_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return datetime.fromisoformat(at), task_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise HTTPException(422, "cursor: not a cursor this list handed out") from exc
