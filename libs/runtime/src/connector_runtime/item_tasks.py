"""Tasks over a region's products that finish one product at a time (Update price, Update
stock, a re-evaluation after a settings change), announced as `task.changed` (ADR 0900).

One implementation for every owner: each keeps two tables of the same shape in its own schema,
`<tasks>` (task_id, connection_id, tiktok_shop_id, kind, total, created_at, updated_at,
sequence) and `<items>` (task_id, shopify_product_id, state pending/done/failed, reason), and
names them here. Products finish one by one, so a task speaks at its start, at every
twentieth of the way and at its end, never once per product (a 100,000-product task would
flood the topic).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from connector_contracts import (
    MAX_ITEM_LINES,
    MAX_REASONS,
    ItemOutcome,
    ReasonCount,
    TaskChanged,
    TaskStatus,
    new_envelope,
)
from pydantic import BaseModel, ConfigDict, Field

from connector_runtime.db import Connection
from connector_runtime.outbox import write_outbox
from connector_runtime.settings import ServiceSettings

PROGRESS_STEPS = 20


class ProductScope(BaseModel):
    """What an "Update ..." task covers: the selected products, one page of them, or all."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["selected", "page", "all"]
    shopify_product_ids: list[str] = Field(default_factory=list, max_length=1000)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=500)


class TaskView(BaseModel):
    """A per-product task and its progress, as its owner serves it (`ItemTasks.load`)."""

    task_id: str
    connection_id: str
    tiktok_shop_id: str
    kind: str
    total: int
    done: int
    failed: int
    status: Literal["running", "completed"]
    created_at: datetime


def progress_worth_telling(finished: int, total: int) -> bool:
    """Whether `finished` of `total` items is a step to announce (the last one always is)."""
    if finished >= total:
        return True
    step = max(1, total // PROGRESS_STEPS)
    return finished % step == 0


@dataclass(frozen=True)
class ItemTasks:
    """An owner's per-product tasks: its service name, its two tables (identifiers of its own
    schema, never input) and the merchant's words for each kind."""

    service: str
    tasks: str
    items: str
    summaries: dict[str, str] = field(default_factory=dict)

    async def create(
        self, conn: Connection, region: tuple[str, str], kind: str, product_ids: list[str]
    ) -> str:
        """A task over these products (each once) in a region (connection id, shop id)."""
        task_id = str(uuid.uuid4())
        products = sorted(set(product_ids))
        await conn.execute(
            f"INSERT INTO {self.tasks} (task_id, connection_id, tiktok_shop_id, kind, total)"
            " VALUES ($1, $2, $3, $4, $5)",
            task_id,
            *region,
            kind,
            len(products),
        )
        await conn.execute(
            f"INSERT INTO {self.items} (task_id, shopify_product_id)"
            " SELECT $1, p FROM unnest($2::text[]) p",
            task_id,
            products,
        )
        return task_id

    async def finish_product(
        self,
        conn: Connection,
        settings: ServiceSettings,
        region: tuple[str, str],
        shopify_product_id: str,
        outcome: tuple[str, str | None],
    ) -> None:
        """Count the product's outcome (done or failed, reason) in every running task of the
        region, and announce those tasks that reached a step of their progress."""
        for task_id in await self._finish_items(conn, region, shopify_product_id, *outcome):
            if progress_worth_telling(*await self._lock_progress(conn, task_id)):
                await self.announce(conn, settings, task_id)

    async def _finish_items(
        self,
        conn: Connection,
        region: tuple[str, str],
        shopify_product_id: str,
        state: str,
        reason: str | None,
    ) -> list[str]:
        """Mark the product in every running task of the region; the tasks it counted in, in
        id order (the order their rows are locked in next)."""
        rows = await conn.fetch(
            f"UPDATE {self.items} i SET state = $4, reason = $5 FROM {self.tasks} t"
            " WHERE i.task_id = t.task_id AND i.state = 'pending' AND i.shopify_product_id = $3"
            " AND t.connection_id = $1 AND t.tiktok_shop_id = $2 RETURNING i.task_id",
            *region,
            shopify_product_id,
            state,
            reason,
        )
        return sorted(r["task_id"] for r in rows)

    async def _lock_progress(self, conn: Connection, task_id: str) -> tuple[int, int]:
        """(finished items, total), the task's row locked first: two products finishing at
        once count one after the other, so the one that finishes the task sees it finished."""
        total = await conn.fetchval(
            f"SELECT total FROM {self.tasks} WHERE task_id = $1 FOR UPDATE", task_id
        )
        finished = await conn.fetchval(
            f"SELECT count(*) FROM {self.items} WHERE task_id = $1 AND state <> 'pending'",
            task_id,
        )
        return int(finished), int(total)

    async def load(self, conn: Connection, task_id: str) -> dict[str, Any] | None:
        """A task with its progress: total, done, failed, status."""
        row = await conn.fetchrow(
            "SELECT t.*, count(i.task_id) FILTER (WHERE i.state = 'done') AS done,"
            " count(i.task_id) FILTER (WHERE i.state = 'failed') AS failed"
            f" FROM {self.tasks} t LEFT JOIN {self.items} i USING (task_id)"
            " WHERE t.task_id = $1 GROUP BY t.task_id",
            task_id,
        )
        if row is None:
            return None
        finished = row["done"] + row["failed"]
        return {
            "task_id": row["task_id"],
            "connection_id": row["connection_id"],
            "tiktok_shop_id": row["tiktok_shop_id"],
            "kind": row["kind"],
            "total": row["total"],
            "done": row["done"],
            "failed": row["failed"],
            "status": "running" if finished < row["total"] else "completed",
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    async def announce(self, conn: Connection, settings: ServiceSettings, task_id: str) -> None:
        """Stamp the task's next sequence (locking it) and put its state in the outbox of
        `conn`'s transaction."""
        sequence = await conn.fetchval(
            f"UPDATE {self.tasks} SET sequence = sequence + 1, updated_at = now()"
            " WHERE task_id = $1 RETURNING sequence",
            task_id,
        )
        task = await self.load(conn, task_id)
        if sequence is None or task is None:
            return
        reasons, items = await self._failures(conn, task_id)
        event = self.to_task_changed(task, int(sequence), reasons, items)
        envelope = new_envelope(event, connection_id=task["connection_id"], task_id=task_id)
        await write_outbox(conn, settings, envelope)

    def to_task_changed(
        self,
        task: dict[str, Any],
        sequence: int,
        reasons: list[ReasonCount],
        items: list[ItemOutcome],
    ) -> TaskChanged:
        """The shared task view of a task (its products are its items)."""
        status = TaskStatus(task["status"])
        return TaskChanged(
            task_id=task["task_id"],
            sequence=sequence,
            service=self.service,
            type=task["kind"],
            summary=self.summaries.get(task["kind"], task["kind"]),
            status=status,
            tiktok_shop_id=task["tiktok_shop_id"],
            done=task["done"],
            total=task["total"],
            failed=task["failed"],
            started_at=task["created_at"],
            finished_at=task["updated_at"] if status is TaskStatus.COMPLETED else None,
            reasons=reasons,
            items=items,
        )

    async def _failures(
        self, conn: Connection, task_id: str
    ) -> tuple[list[ReasonCount], list[ItemOutcome]]:
        counts = await conn.fetch(
            f"SELECT coalesce(reason, 'failed') AS reason, count(*) AS n FROM {self.items}"
            " WHERE task_id = $1 AND state = 'failed' GROUP BY 1 ORDER BY n DESC, 1 LIMIT $2",
            task_id,
            MAX_REASONS,
        )
        lines = await conn.fetch(
            f"SELECT shopify_product_id, reason FROM {self.items}"
            " WHERE task_id = $1 AND state = 'failed' ORDER BY shopify_product_id LIMIT $2",
            task_id,
            MAX_ITEM_LINES,
        )
        return (
            [ReasonCount(reason=r["reason"], count=r["n"]) for r in counts],
            [ItemOutcome(item_id=r[0], status="failed", reason=r[1]) for r in lines],
        )
