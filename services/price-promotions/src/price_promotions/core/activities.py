"""What to do with a product's discount activity, from the deals it should carry and what the
connector last recorded (pure; the worker carries the action out against TikTok)."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from price_promotions.core.schedule import (
    MAX_RENEWALS,
    Period,
    handoff_period,
    next_period,
    renew_at,
    window_end,
)

TITLE_PREFIX = "silk"


class ActivityRecord(BaseModel):
    """The connector's record of the product's current activity."""

    model_config = ConfigDict(frozen=True)

    activity_id: str
    generation: int = Field(ge=1, description="1 for the first activity, +1 per renewal.")
    begin: AwareDatetime
    end: AwareDatetime
    deals: dict[str, Decimal] = Field(description="TikTok SKU id -> deal price.")
    predecessor_id: str | None = Field(
        default=None,
        description="The generation before, still running until `begin` (back to back): it "
        "takes the same deal changes and removals until it ends.",
    )

    def running_predecessor(self, now: datetime) -> str | None:
        """The predecessor's activity id while it still runs at `now`."""
        return self.predecessor_id if now < self.begin else None


class Step(StrEnum):
    """The action on TikTok."""

    NONE = "none"
    CREATE = "create"  # a first activity
    RENEW = "renew"  # the next generation replaces the current one
    UPDATE = "update"  # same activity, new deal prices / SKUs
    REMOVE = "remove"  # deactivate the current activity
    EXPIRE = "expire"  # no successor: TikTok ends it, and the sync after its end re-prices


class Plan(BaseModel):
    """A step, with the generation and period of the activity to create when it creates one."""

    model_config = ConfigDict(frozen=True)

    step: Step
    generation: int = 0
    period: Period | None = None


def title_of(tiktok_product_id: str, generation: int) -> str:
    """The activity's title: unique per shop, so a crashed create is found again by title."""
    return f"{TITLE_PREFIX} {tiktok_product_id} g{generation}"


def plan_activity(
    deals: dict[str, Decimal],
    current: ActivityRecord | None,
    now: datetime,
    enabled_at: datetime | None,
    last_generation: int = 0,
) -> Plan:
    """The step that brings the product's activity to `deals` (empty: no activity wanted)."""
    if not deals or enabled_at is None:
        return Plan(step=Step.REMOVE if current else Step.NONE)
    if current is None:
        return _create(Step.CREATE, last_generation + 1, now, enabled_at)
    due = now >= renew_at(Period(begin=current.begin, end=current.end))
    if due:
        if not renewable(current, enabled_at):
            return Plan(step=Step.EXPIRE)
        period = handoff_period(now, current.end, enabled_at)
        if period is None:
            return Plan(step=Step.EXPIRE)
        return Plan(step=Step.RENEW, generation=current.generation + 1, period=period)
    if deals != current.deals:
        return Plan(step=Step.UPDATE, generation=current.generation)
    return Plan(step=Step.NONE)


def _create(step: Step, generation: int, now: datetime, enabled_at: datetime) -> Plan:
    period = next_period(now, enabled_at)
    if period is None:
        return Plan(step=Step.NONE)
    return Plan(step=step, generation=generation, period=period)


def renewable(current: ActivityRecord, enabled_at: datetime) -> bool:
    """Whether the activity gets a successor: renewals are left and it ends before the window."""
    return current.generation <= MAX_RENEWALS and current.end < window_end(enabled_at)
