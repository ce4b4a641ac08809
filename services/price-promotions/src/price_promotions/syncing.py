"""The `price-sync` work: one product in one region brought to its TikTok price and discount.

Queued by webhooks, "Update price" tasks, mode switches and the region's sweep; keyed by
(connection, shop, product), so one replica at a time works a product and repeated changes
coalesce. It runs in the claim's transaction: a crash rolls our record back and the item comes
back, and the activity step looks TikTok up before creating again.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import structlog
from connector_connections import load_connection, shop_of
from connector_connections.platforms import PLATFORM_UNAVAILABLE, NotAuthorized
from connector_contracts import ProductPriceSynced, SkuPriceSet
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from connector_runtime.work import WorkItem
from shopify.models import ProductPrices
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.products import Price, SkuPriceUpdate

from price_promotions import metrics, store
from price_promotions.activity_ops import apply_plan, end_orphans
from price_promotions.core.activities import ActivityRecord, Step, plan_activity
from price_promotions.core.money import currency_of
from price_promotions.core.orphans import unrecorded_generations
from price_promotions.core.pricing import (
    ProductPricing,
    RegionPricing,
    VariantPrices,
    price_product,
)
from price_promotions.core.rules import ProductScope
from price_promotions.core.schedule import Period, renew_at
from price_promotions.intents import note_intent, noted_generations, settle_intents
from price_promotions.platform import Deps
from price_promotions.store import Links, PriceState, Region
from price_promotions.task_events import finish_product

log = structlog.get_logger()
PRICE_SYNC = "price-sync"


def sync_key(region: Region, shopify_product_id: str) -> str:
    """The work key of a product in a region."""
    return f"{region.connection_id}|{region.tiktok_shop_id}|{shopify_product_id}"


@dataclass(frozen=True)
class Outcome:
    """What a sync leaves behind."""

    status: str  # synced, skipped, failed
    reason: str | None
    pricing: ProductPricing
    activity: ActivityRecord | None
    generation: int
    step: Step = Step.NONE


@dataclass(frozen=True)
class Attempt:
    """One run at a product: TikTok, the region's pricing and what our record holds."""

    tiktok: TikTokShopClient
    pricing: RegionPricing
    links: Links
    state: PriceState
    noted: list[int]  # generations runs set out to create (ADR 0520)
    note: Callable[[int], Awaitable[None]]  # note one before creating it
    now: datetime


async def run_price_sync(runtime: Any, conn: Connection, item: WorkItem) -> None:
    """Sync one product in one region; platform outages raise (retried with backoff)."""
    deps: Deps = runtime.deps
    connection_id, shop_id, product_id = item.key.split("|", 2)
    connection = await load_connection(conn, connection_id)
    shop = shop_of(connection, shop_id) if connection else None
    if connection is None or shop is None:
        return  # the region is gone: nothing to price
    region = Region(connection_id, shop_id, shop.region)
    links = await store.links_of(conn, region, product_id)
    if links is None:
        return
    state = await store.load_state(conn, region, product_id, for_update=True)
    state = state or PriceState(links[0], "pending", None, {}, None, 0, 0, None)
    pricing = await store.load_pricing(conn, region)
    renewing = _renewal_due(state, deps.now())

    async def note(generation: int) -> None:
        await note_intent(await deps.side_pool(), region, product_id, generation)

    try:
        clients = deps.platform_clients.for_shop(connection, shop)
        noted = await noted_generations(conn, region, product_id)
        attempt = Attempt(clients.tiktok, pricing, links, state, noted, note, deps.now())
        outcome = await _sync(attempt, await clients.shopify.products.prices(product_id))
    except NotAuthorized as exc:
        # Retrying cannot help until the merchant reconnects (then a sweep syncs it again).
        outcome = _failed(state, f"Not authorized: {exc}")
    except BusinessError as exc:
        outcome = _failed(state, f"TikTok refused the price: {exc.message} ({exc.code})")
    except PLATFORM_UNAVAILABLE:
        if renewing:
            metrics.RENEWAL_FAILURES.inc()
        raise  # retried with backoff; the renewal lead leaves a day for it
    fx = Effects(conn, runtime.settings)
    await _record(fx, region, product_id, state, outcome, deps.now())
    await _emit(fx, item, region, product_id, state, outcome)
    _observe(item, outcome, renewing)


def _renewal_due(state: PriceState, now: datetime) -> bool:
    activity = state.activity
    return activity is not None and now >= renew_at(Period(begin=activity.begin, end=activity.end))


async def _sync(a: Attempt, product: ProductPrices | None) -> Outcome:
    tiktok_product_id, skus, sync_price = a.links
    if product is None:
        return await _settle(a, ProductPricing(), "skipped", "deleted in Shopify")
    variants = [
        VariantPrices(tiktok_sku_id=skus[v.id], price=v.price, compare_at_price=v.compare_at_price)
        for v in product.variants
        if v.id in skus
    ]
    scope = ProductScope(
        shopify_product_id=product.id,
        collection_ids=product.collection_ids,
        tags=frozenset(product.tags),
    )
    priced = price_product(scope, variants, a.pricing, a.now, sync_price)
    if not sync_price:
        return await _settle(a, priced, "skipped", "price sync rule is TikTok Shop")
    if priced.problems:
        return _failed(a.state, "; ".join(sorted(set(priced.problems.values()))), priced)
    await a.tiktok.products.update_price(
        tiktok_product_id,
        [
            SkuPriceUpdate(id=sku, price=Price(amount=t.list_price, currency=a.pricing.currency))
            for sku, t in sorted(priced.targets.items())
        ],
    )
    enabled = a.pricing.two_prices_enabled_at if a.pricing.mode.two_prices else None
    state = a.state
    plan = plan_activity(priced.deals, state.activity, a.now, enabled, state.last_generation)
    if plan.step in (Step.CREATE, Step.RENEW):
        await a.note(plan.generation)
    activity = await apply_plan(
        a.tiktok, plan, tiktok_product_id, priced.deals, state.activity, a.now
    )
    generation = max(state.last_generation, plan.generation)
    return await _end_orphans(a, Outcome("synced", None, priced, activity, generation, plan.step))


async def _settle(a: Attempt, priced: ProductPricing, status: str, reason: str) -> Outcome:
    """No price to send: end our activity, if any (nothing of ours stays on TikTok)."""
    state = a.state
    plan = plan_activity({}, state.activity, datetime.min, None)
    activity = await apply_plan(a.tiktok, plan, state.tiktok_product_id, {}, state.activity, a.now)
    outcome = Outcome(status, reason, priced, activity, state.last_generation, plan.step)
    return await _end_orphans(a, outcome)


async def _end_orphans(a: Attempt, outcome: Outcome) -> Outcome:
    """When the product is to hold none of our activities, end those a run that died left on
    TikTok; their generations count as used (a title is never reused)."""
    generations = unrecorded_generations(a.noted, a.state.last_generation)
    if outcome.activity is not None or not generations:
        return outcome
    ended = await end_orphans(a.tiktok, a.links[0], generations)
    found = (
        f"ended {len(ended)} TikTok activity(ies) an interrupted sync had created but not "
        f"recorded ({', '.join(ended)})"
        if ended
        else None
    )
    reason = "; ".join(r for r in (outcome.reason, found) if r) or None
    return replace(outcome, reason=reason, generation=max(outcome.generation, *generations))


def _failed(state: PriceState, reason: str, priced: ProductPricing | None = None) -> Outcome:
    return Outcome(
        "failed", reason, priced or ProductPricing(), state.activity, state.last_generation
    )


async def _record(
    fx: Effects,
    region: Region,
    product_id: str,
    state: PriceState,
    outcome: Outcome,
    now: datetime,
) -> None:
    renewing = outcome.status == "failed" and state.activity is not None
    new_state = replace(
        state,
        status=outcome.status,
        reason=outcome.reason,
        skus=_skus(outcome.pricing) or state.skus,
        activity=outcome.activity,
        last_generation=outcome.generation,
        renewal_failures=state.renewal_failures + 1 if renewing else 0,
        synced_at=now if outcome.status != "failed" else state.synced_at,
    )
    await store.save_state(fx.conn, region, product_id, new_state)
    await settle_intents(fx.conn, region, product_id, outcome.generation)
    failed = outcome.status == "failed"
    finished = ("failed", outcome.reason) if failed else ("done", None)
    await finish_product(fx.conn, fx.settings, region, product_id, finished)


def _skus(pricing: ProductPricing) -> dict[str, Any]:
    return {
        sku: {
            "list_price": str(t.list_price),
            "deal_price": None if t.deal_price is None else str(t.deal_price),
            "no_deal": None if t.no_deal is None else t.no_deal.value,
        }
        for sku, t in pricing.targets.items()
    } | {sku: {"problem": p} for sku, p in pricing.problems.items()}


async def _emit(
    fx: Effects,
    item: WorkItem,
    region: Region,
    product_id: str,
    state: PriceState,
    outcome: Outcome,
) -> None:
    pricing = outcome.pricing
    await fx.emit(
        ProductPriceSynced(
            shopify_product_id=product_id,
            tiktok_product_id=state.tiktok_product_id,
            tiktok_shop_id=region.tiktok_shop_id,
            region=region.region,
            currency=currency_of(region.region),
            status=outcome.status,
            reason=outcome.reason,
            activity_id=outcome.activity.activity_id if outcome.activity else None,
            skus=[
                SkuPriceSet(tiktok_sku_id=sku, list_price=t.list_price, deal_price=t.deal_price)
                for sku, t in sorted(pricing.targets.items())
            ],
        ),
        connection_id=region.connection_id,
        correlation_id=item.payload.get("correlation_id"),
    )


def _observe(item: WorkItem, outcome: Outcome, renewing: bool) -> None:
    metrics.SYNC_RESULTS.labels(outcome.status).inc()
    changed_at = item.payload.get("changed_at")
    if changed_at and outcome.status == "synced":
        # Wall-clock lag (a test's moved clock would distort it).
        lag = datetime.now(UTC) - datetime.fromisoformat(changed_at)
        metrics.SYNC_LAG.observe(lag.total_seconds())
    if outcome.step is not Step.NONE:
        metrics.ACTIVITY_STEPS.labels(outcome.step.value).inc()
    if outcome.status == "failed" and renewing:
        metrics.RENEWAL_FAILURES.inc()
    log.info(
        "price.synced" if outcome.status != "failed" else "price.sync_failed",
        key=item.key,
        status=outcome.status,
        reason=outcome.reason,
        step=outcome.step.value,
        correlation_id=item.payload.get("correlation_id"),
    )
