"""Catalog tasks: pull, push and CSV actions with their progress (x of N)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from catalog_sync import store
from catalog_sync.api.deps import PREFIX, DbDep
from catalog_sync.store import Task

router = APIRouter(prefix=PREFIX, tags=["catalog: tasks"])


@router.get(
    "/tasks/{task_id}", response_model=Task, responses={404: {"description": "Unknown task"}}
)
async def get_task(task_id: str, db: DbDep) -> Task:
    """One task: running / completed / error, `done` + `failed` of `total`, and details.

    "completed" means the action ran, not that every product synced: see the products' status.
    """
    task = await store.load_task(db, task_id)
    if task is None:
        raise HTTPException(404, f"unknown task {task_id}")
    return task


@router.get("/{connection_id}/tasks", response_model=list[Task])
async def list_tasks(
    connection_id: str, db: DbDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[Task]:
    """The connection's newest catalog tasks."""
    return await store.list_tasks(db, connection_id, limit)
