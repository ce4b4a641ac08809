"""Task events: the state of a merchant's action, emitted by the service that runs it."""

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from connector_contracts.envelope import Event

# A task's details stay small on the topic however many items it covers: every failure is
# counted by reason, and only this many item lines travel with it.
MAX_ITEM_LINES = 20
# Distinct reasons travel up to this many (most frequent first); `failed` still counts them all.
MAX_REASONS = 50


class TaskStatus(StrEnum):
    """Running until it ends; "completed" means it ran, not that every item succeeded."""

    RUNNING = "running"
    COMPLETED = "completed"
    ERROR = "error"


class ReasonCount(BaseModel):
    """How many items failed for one reason."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    reason: str = Field(description="Why, in the merchant's words.")
    count: int = Field(ge=0)


class ItemOutcome(BaseModel):
    """One item's outcome (a product, an order), with its reason when it failed."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    item_id: str = Field(description="The item, e.g. a Shopify product id or TikTok order id.")
    status: str = Field(description="e.g. synced, sync_failed, created, failed.")
    reason: str | None = None


class TaskChanged(Event):
    """A task's newest state. Keyed by task id; `sequence` only grows, so a consumer keeps the
    highest it saw and a redelivered or reordered message never moves a task back."""

    TYPE: ClassVar[str] = "task.changed"

    task_id: str
    sequence: int = Field(ge=0, description="Stamped by the owner; higher is newer.")
    service: str = Field(description="The service that owns and runs the task.")
    type: str = Field(description="What the action is: pull, push, csv, order_sync, ...")
    summary: str = Field(description="The action in the merchant's words.")
    status: TaskStatus
    tiktok_shop_id: str | None = Field(default=None, description="None: the whole connection.")
    region: str | None = Field(default=None, description="TikTok market, e.g. US.")
    done: int = Field(ge=0, description="Items that succeeded.")
    total: int | None = Field(default=None, description="Items covered, once known.")
    failed: int = Field(ge=0, description="Items that failed.")
    detail: str | None = Field(default=None, description="What it is doing or why it ended.")
    started_at: AwareDatetime
    finished_at: AwareDatetime | None = None
    reasons: list[ReasonCount] = Field(default_factory=list, description="Failures by reason.")
    items: list[ItemOutcome] = Field(
        default_factory=list, description=f"At most {MAX_ITEM_LINES} item outcomes."
    )

    def key(self) -> str:
        return self.task_id


TASK_EVENTS: tuple[type[Event], ...] = (TaskChanged,)
