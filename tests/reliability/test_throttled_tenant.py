"""Fairness: one merchant's Shopify store throttled to 1 point/s beside two others. The two keep
at least 90 % of the throughput they had with that merchant unthrottled (a ratio measured in the
same run, not a wall-clock threshold), and no call or order crosses from one tenant to another.
The relay postpones a job whose store is out of API budget instead of sleeping in a worker (ADR
0310).

What varies between the two measures is the throttle alone: in both, the third merchant's burst
is placed just before the others', so its webhooks and order fetches cost the same CPU. (On the
shared 2 cores, under another module's load, those 40 orders' intake alone took 15 % of the
others' pace; that is load, not unfairness.) The machine is noisy from one minute to the next,
so the test measures in five paired rounds seconds apart and takes the median round's ratio: one
round spoiled by a neighbour's burst of work does not decide it, while a relay that lets the
throttled merchant hold its workers fails every round.
"""

import functools
import operator
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from connector_devstack.buyers import Buyers, OrderPlan, plan_orders
from connector_devstack.ledger import order_ledger
from connector_devstack.polling import poll
from connector_devstack.relay_stack import RelayStack
from connector_devstack.sandboxes import Merchant
from connector_devstack.scraping import metric_value

pytestmark = pytest.mark.e2e

# Per merchant and phase, placed as a burst so the relay's pace is measured. At 60 a phase
# lasted 4-5 s: the first order's path through the stack (webhook, fetch, create) was a tenth
# of it, and one neighbour's burst on the shared cores moved a round's ratio from 0.4 to 1.36
# in one CI run. 120 make a phase 2-3 times as long, so that such bursts average out.
ORDERS = 120
# With a 50-point bucket refilled at 1 point/s, 40 orders take minutes: throttled all along.
THROTTLED_ORDERS = 40
ROUNDS = 5  # odd: the median is one round's ratio; two spoiled rounds do not decide it


def burst(stack: RelayStack, shops: list[Any], count: int) -> tuple[list[OrderPlan], float]:
    """Place `count` orders for each shop at once; their plans and when the burst began."""
    plans = [plan_orders(count) for _ in shops]
    started = time.monotonic()
    buyers = [
        Buyers(stack.sandboxes.tiktok_url, s.merchant.tiktok_shop_id, s.skus, p).start()
        for s, p in zip(shops, plans, strict=True)
    ]
    for b in buyers:
        b.join()
        assert b.failures == []
    return plans, started


def landed(stack: RelayStack, shop: Any, plan: OrderPlan) -> int:
    """How many of the plan's paid orders are in Shopify."""
    ledger = order_ledger(stack.sandboxes.shopify_url, shop.merchant, plan)
    return ledger.paid - len(ledger.missing)


def throughput(
    stack: RelayStack, shops: list[Any], plans: list[OrderPlan], started: float
) -> list[float]:
    """Paid orders per second each shop got into Shopify, from the burst to its last order."""
    seconds: dict[int, float] = {}
    last_change, seen = time.monotonic(), -1
    # A minute without one more order in Shopify (they take well under a second each): stalled.
    while len(seconds) < len(shops) and time.monotonic() - last_change < 60:
        counts = [landed(stack, shop, plan) for shop, plan in zip(shops, plans, strict=True)]
        for i, (count, plan) in enumerate(zip(counts, plans, strict=True)):
            if count == len(plan.paid):
                seconds.setdefault(i, time.monotonic() - started)
        if sum(counts) != seen:
            seen, last_change = sum(counts), time.monotonic()
        time.sleep(0.1)
    assert len(seconds) == len(shops), f"orders stopped landing: {seen} in Shopify"
    return [len(plan.paid) / seconds[i] for i, plan in enumerate(plans)]


def stuck_orders(stack: RelayStack, merchant: Merchant) -> dict[str, Any]:
    """The merchant's paid orders not in Shopify, and why (order-relay, through the gateway)."""
    url = f"{stack.gateway.url}/api/v1/orders/stuck"
    params = {"connection_id": merchant.connection_id}
    return httpx.get(url, params=params, timeout=30).raise_for_status().json()  # type: ignore[no-any-return]


def shopify_requests(stack: RelayStack, merchant: Merchant) -> list[dict[str, Any]]:
    """The GraphQL requests the Shopify sandbox logged for the merchant's store."""
    url = f"{stack.sandboxes.shopify_url}/_sandbox/requests"
    params = {"shop": merchant.shopify_shop_domain}
    return httpx.get(url, params=params, timeout=30).raise_for_status().json()  # type: ignore[no-any-return]


def set_plan(stack: RelayStack, merchant: Merchant, **limits: float) -> None:
    """Put the merchant's store on the standard plan, with `limits` overriding its bucket."""
    url = f"{stack.sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    httpx.patch(url, json={"plan": "standard", **limits}, timeout=30).raise_for_status()


def measured_round(
    stack: RelayStack, third: Any, others: list[Any]
) -> tuple[list[OrderPlan], OrderPlan, list[float]]:
    """One paired measure: the others' burst just after the third merchant's, first with its
    store unthrottled, then throttled. The plans placed (the others', the third's) and the
    others' ratios of the two paces."""
    control_plan = burst(stack, [third], THROTTLED_ORDERS)[0][0]
    unthrottled_plans, started = burst(stack, others, ORDERS)
    unthrottled = throughput(stack, others, unthrottled_plans, started)
    drain(stack, third, [control_plan])
    set_plan(stack, third.merchant, restore_rate=1, bucket_size=50)
    throttled_plan = burst(stack, [third], THROTTLED_ORDERS)[0][0]
    beside_plans, started = burst(stack, others, ORDERS)
    beside = throughput(stack, others, beside_plans, started)
    held_back = len(throttled_plan.paid) - landed(stack, third, throttled_plan)
    ratios = [b / a for a, b in zip(unthrottled, beside, strict=True)]
    print(
        f"\n[{LABEL}] others' orders/s beside it unthrottled={[f'{t:.2f}' for t in unthrottled]}"
        f" throttled={[f'{t:.2f}' for t in beside]} ratios={[f'{r:.2f}' for r in ratios]};"
        f" the throttled merchant's orders still held back: {held_back}"
    )
    assert held_back > 0, "the throttled merchant kept up with the others: no experiment"
    plans = [a + b for a, b in zip(unthrottled_plans, beside_plans, strict=True)]
    return plans, control_plan + throttled_plan, ratios


def drain(stack: RelayStack, throttled: Any, plans: list[OrderPlan]) -> None:
    """Lift the throttle and wait until the merchant's paid orders have all landed."""
    set_plan(stack, throttled.merchant)
    due = [len(p.paid) for p in plans]
    counts = poll(
        lambda: [landed(stack, throttled, p) for p in plans], lambda c: c == due, timeout=180
    )
    assert counts == due, "the throttled merchant's orders did not land once unthrottled"


LABEL = "one merchant throttled to 1 point/s"


def test_a_throttled_merchant_leaves_the_others_at_least_90_percent_of_their_throughput(
    relay_stack: RelayStack, open_shop: Callable[..., Any], ledger_check: Callable[..., None]
) -> None:
    throttled, others = open_shop(relay_stack), [open_shop(relay_stack), open_shop(relay_stack)]
    others_plans = [OrderPlan([], []) for _ in others]
    throttled_plans: list[OrderPlan] = []
    rounds: list[list[float]] = []
    for _ in range(ROUNDS):
        if throttled_plans:
            # The next unthrottled measure starts once the throttled backlog has landed.
            drain(relay_stack, throttled, throttled_plans)
        placed, throttled_plan, ratios = measured_round(relay_stack, throttled, others)
        others_plans = [o + p for o, p in zip(others_plans, placed, strict=True)]
        throttled_plans.append(throttled_plan)
        rounds.append(ratios)
    medians = [statistics.median(r[i] for r in rounds) for i in range(len(others))]

    everything = functools.reduce(operator.add, throttled_plans)
    a_ledger = order_ledger(relay_stack.sandboxes.shopify_url, throttled.merchant, everything)
    a_throttled = sum(
        1 for r in shopify_requests(relay_stack, throttled.merchant) if r.get("throttled")
    )
    others_throttled = [
        sum(1 for r in shopify_requests(relay_stack, s.merchant) if r.get("throttled"))
        for s in others
    ]
    print(f"\n[{LABEL}] median ratios over {ROUNDS} rounds={[f'{m:.2f}' for m in medians]}")
    print(
        f"[{LABEL}] throttled merchant now: {a_ledger.line()}; throttled Shopify responses:"
        f" theirs={a_throttled} the others'={others_throttled}"
    )
    assert a_ledger.duplicated == a_ledger.unpaid_created == a_ledger.foreign == []
    assert others_throttled == [0, 0]
    ledger_check(LABEL, [(s.merchant, p) for s, p in zip(others, others_plans, strict=True)])
    assert min(medians) >= 0.9, rounds
    # The throttled merchant's orders say why they wait (ADR 0310), and were postponed, not slept on.
    stuck = poll(
        lambda: stuck_orders(relay_stack, throttled.merchant),
        lambda s: s["counts"]["waiting"] > 0,
        timeout=60,
    )
    postponed = metric_value(relay_stack.relay.url, "connector_work_postponed_total", kind="relay")
    reasons = {o["last_error"].split(":")[0] for o in stuck["orders"] if o["reason"] == "waiting"}
    print(
        f"[{LABEL}] throttled merchant's stuck orders: {stuck['counts']} {reasons};"
        f" relay jobs postponed for a budget so far: {postponed:.0f}"
    )
    assert reasons == {"Waiting for the Shopify store's API budget"}
