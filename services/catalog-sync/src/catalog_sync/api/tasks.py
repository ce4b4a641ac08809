"""Catalog tasks: pull, push and CSV actions with their progress (x of N)."""

from typing import Annotated

from connector_connections.caller import CallerDep
from fastapi import APIRouter, HTTPException, Query

from catalog_sync import store
from catalog_sync.api.deps import PREFIX, REGION_RESPONSES, DbDep, connection_of, region_shop
from catalog_sync.store import Task

router = APIRouter(prefix=PREFIX, tags=["catalog: tasks"])


@router.get(
    "/tasks/{task_id}", response_model=Task, responses={404: {"description": "Unknown task"}}
)
async def get_task(task_id: str, db: DbDep, caller: CallerDep) -> Task:
    """One task: running / completed / error, `done` + `failed` of `total`, and details.

    "completed" means the action ran, not that every product synced: see the products' status.
    """
    task = await store.load_task(db, task_id)
    if task is None or not caller.owns(task.connection_id):
        raise HTTPException(404, f"unknown task {task_id}")
    return task


@router.get("/{connection_id}/tasks", response_model=list[Task], responses=REGION_RESPONSES)
async def list_tasks(
    connection_id: str,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    region: Annotated[
        str | None,
        Query(description="Only this market's pushes (and the connection-wide tasks)."),
    ] = None,
) -> list[Task]:
    """The connection's newest catalog tasks (every region's unless `region` is given)."""
    shop_id = None
    if region is not None:
        shop_id = region_shop(await connection_of(db, connection_id), region)
    return await store.list_tasks(db, connection_id, limit, shop_id)
