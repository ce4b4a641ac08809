"""Carry out an activity plan on TikTok, safe to repeat: a create is looked up by its title
first, so a crash between TikTok creating an activity and our commit never makes a second."""

from datetime import UTC, datetime
from decimal import Decimal

import structlog
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.promotions import (
    ActivityInput,
    ActivityProduct,
    ActivitySku,
    ActivitySummary,
    ParticipationLimit,
)

from price_promotions import metrics
from price_promotions.core.activities import ActivityRecord, Plan, Step, title_of
from price_promotions.core.orphans import FoundActivity, orphans_to_end

log = structlog.get_logger()
# Deactivating what TikTok already ended is done (17029010 deactivated, 17029012 expired).
_ALREADY_ENDED = frozenset({17029010, 17029012})
_NOT_IN_ACTIVITY = frozenset({17029023, 17029024})


async def apply_plan(
    tiktok: TikTokShopClient,
    plan: Plan,
    tiktok_product_id: str,
    deals: dict[str, Decimal],
    current: ActivityRecord | None,
    now: datetime,
) -> ActivityRecord | None:
    """The product's activity after `plan` (None: it holds none of ours)."""
    if current is not None and current.predecessor_id and current.running_predecessor(now) is None:
        current = current.model_copy(update={"predecessor_id": None})  # it has ended by now
    if plan.step in (Step.NONE, Step.EXPIRE):
        # An expiring activity stays on record until it ends: the sync after its end (sweep or
        # webhook 39) then re-prices the product, e.g. at the sale price once the window is over.
        return current
    if plan.step is Step.REMOVE:
        assert current is not None
        for activity_id in _live_ids(current):
            await end_activity(tiktok, activity_id)
        return None
    if plan.step is Step.UPDATE:
        assert current is not None
        for activity_id in _live_ids(current):
            await _set_deals(tiktok, activity_id, current.deals, tiktok_product_id, deals)
        return current.model_copy(update={"deals": deals})
    return await _create(tiktok, plan, tiktok_product_id, deals, current)


def _live_ids(current: ActivityRecord) -> list[str]:
    """The record's activity and, until it begins, the predecessor running before it."""
    return [current.activity_id] + ([current.predecessor_id] if current.predecessor_id else [])


async def end_activity(tiktok: TikTokShopClient, activity_id: str) -> None:
    """Deactivate an activity (already ended counts as done)."""
    try:
        await tiktok.promotions.deactivate(activity_id)
    except BusinessError as exc:
        if exc.code not in _ALREADY_ENDED:
            raise


async def end_orphans(
    tiktok: TikTokShopClient, tiktok_product_id: str, generations: list[int]
) -> list[str]:
    """End the live activities titled as these generations of the product (one search each,
    paced by the client): TikTok created them for a run that died before recording them."""
    found = [
        FoundActivity(activity_id=a.id, title=a.title, status=a.status)
        for g in generations
        if (a := await find_activity(tiktok, title_of(tiktok_product_id, g))) is not None
    ]
    ended = orphans_to_end(found, tiktok_product_id, generations)
    for activity_id in ended:
        await end_activity(tiktok, activity_id)
        metrics.ORPHANS_ENDED.inc()
        log.warning(
            "price.orphan_activity_ended",
            activity_id=activity_id,
            tiktok_product_id=tiktok_product_id,
        )
    return ended


async def _set_deals(
    tiktok: TikTokShopClient,
    activity_id: str,
    recorded: dict[str, Decimal],
    tiktok_product_id: str,
    deals: dict[str, Decimal],
) -> None:
    try:
        await tiktok.promotions.update_products(activity_id, [_entry(tiktok_product_id, deals)])
    except BusinessError as exc:
        if exc.code in _ALREADY_ENDED:
            return  # a predecessor that ended meanwhile: nothing left to change
        raise
    gone = sorted(set(recorded) - set(deals))
    if gone:
        try:
            await tiktok.promotions.remove_products(activity_id, sku_ids=gone)
        except BusinessError as exc:
            if exc.code not in _NOT_IN_ACTIVITY:
                raise


async def _create(
    tiktok: TikTokShopClient,
    plan: Plan,
    tiktok_product_id: str,
    deals: dict[str, Decimal],
    current: ActivityRecord | None,
) -> ActivityRecord:
    assert plan.period is not None
    title = title_of(tiktok_product_id, plan.generation)
    found = await find_activity(tiktok, title)
    if found is not None:
        metrics.ACTIVITIES_ADOPTED.inc()
        log.info("price.activity_adopted", activity_id=found.id, title=title)
        activity_id, begin, end = found.id, _at(found.begin_time), _at(found.end_time)
    else:
        created = await tiktok.promotions.create(
            ActivityInput(
                title=title,
                activity_type="FIXED_PRICE",
                product_level="VARIATION",
                begin_time=int(plan.period.begin.timestamp()),
                end_time=int(plan.period.end.timestamp()),
                participation_limit=[ParticipationLimit()],
            )
        )
        activity_id, begin, end = created.activity_id, plan.period.begin, plan.period.end
    predecessor = None
    if current is not None:
        if plan.step is Step.RENEW and begin >= current.end:
            # Back to back: the current one runs to its end and the next takes over at that
            # second; periods that do not overlap may share a product (17029022, ADR 0530).
            predecessor = current.activity_id
        else:
            # A late renewal or a replacement overlaps: a product is in one live activity at a
            # time, so the current one ends first.
            for live in _live_ids(current):
                await end_activity(tiktok, live)
    await tiktok.promotions.update_products(activity_id, [_entry(tiktok_product_id, deals)])
    return ActivityRecord(
        activity_id=activity_id,
        generation=plan.generation,
        begin=begin,
        end=end,
        deals=deals,
        predecessor_id=predecessor,
    )


async def find_activity(tiktok: TikTokShopClient, title: str) -> ActivitySummary | None:
    """The shop's activity with exactly this title (title search is a substring match)."""
    async for found in tiktok.promotions.iter_search({"activity_title": title}):
        if found.title == title:
            return found
    return None


def _entry(tiktok_product_id: str, deals: dict[str, Decimal]) -> ActivityProduct:
    # VARIATION-level deals take -1 limits (reference promotion/update-activity-product).
    return ActivityProduct(
        id=tiktok_product_id,
        quantity_limit=-1,
        quantity_per_user=-1,
        skus=[
            ActivitySku(
                id=sku, activity_price_amount=price, quantity_limit=-1, quantity_per_user=-1
            )
            for sku, price in sorted(deals.items())
        ],
    )


def _at(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, UTC)
