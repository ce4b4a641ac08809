"""Fault experiment: the broker restarted while orders flow and the services keep running. The
embedded broker's storage is memory, so every topic, message and committed offset is gone when
it comes back. The services notice their topics are missing, create them again themselves
(nobody restarts them or recreates a topic by hand), and their consumers and outbox relays
resume (ADR 0311). Then new orders must reach Shopify through their webhooks, not only through
the reconciliation sweep: each order's `paid_source` says which path brought it in. The
experiment ends with the ledger check.
"""

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from connector_devstack.buyers import Buyers, OrderPlan, plan_orders
from connector_devstack.infra import Infra
from connector_devstack.ledger import order_ledger
from connector_devstack.polling import poll
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import Sandboxes
from connector_devstack.scraping import metric_value
from connector_devstack.topics import partition_counts_sync

pytestmark = pytest.mark.e2e

BEFORE, AFTER = 120, 40
PACE = 0.2  # the restart lands while orders keep arriving
DOWN_SECONDS = 5.0
# A sweep every 10 s: orders whose messages died with the broker are found again, and an order
# placed after the recovery is far more likely to come in by its webhook than by a sweep.
RELAY_ENV = {
    "ORDER_SWEEP_INTERVAL_SECONDS": "10",
    "ORDER_STUCK_AFTER_SECONDS": "20",
    "ORDER_RETRY_INTERVAL_SECONDS": "1",
    "ORDER_TIMER_POLL_SECONDS": "0.2",
}


@pytest.fixture(scope="module")
def relay_stack(
    infra: Infra, sandboxes: Sandboxes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RelayStack]:
    """Gateway and order-relay of this module, with a slower sweep than the others'."""
    stack = start_relay_stack(
        infra, sandboxes, tmp_path_factory.mktemp("broker-restart"), relay_env=RELAY_ENV
    )
    try:
        yield stack
    finally:
        stack.stop()


def paid_sources(stack: RelayStack, order_ids: list[str]) -> dict[str, str]:
    """How each order came in (webhook, sweep, missed-sync), from order-relay's orders API."""
    with httpx.Client(base_url=stack.gateway.url, timeout=30) as http:
        return {
            order_id: str(
                http.get(f"/api/v1/orders/{order_id}").raise_for_status().json()["paid_source"]
            )
            for order_id in order_ids
        }


def ready(url: str) -> int:
    """The service's /readyz status code (0: not answering)."""
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code
    except httpx.HTTPError:
        return 0


def test_a_broker_restart_that_loses_its_topics_heals_itself_and_webhooks_flow_again(
    infra: Infra,
    relay_stack: RelayStack,
    open_shop: Callable[..., Any],
    ledger_check: Callable[..., None],
) -> None:
    if infra.broker.process is None:
        pytest.skip("a configured broker is not ours to restart")
    label = "broker restarted, topics lost"
    stack, shop = relay_stack, open_shop(relay_stack)
    before = plan_orders(BEFORE)
    tiktok, shop_id = stack.sandboxes.tiktok_url, shop.merchant.tiktok_shop_id
    buyers = Buyers(tiktok, shop_id, shop.skus, before, PACE).start()
    poll(
        lambda: order_ledger(stack.sandboxes.shopify_url, shop.merchant, before).in_shopify,
        lambda n: n >= 10,
        timeout=120,
    )
    print(f"\n[{label}] restarting the broker after {buyers.placed} orders placed")
    infra.broker.restart(DOWN_SECONDS)
    buyers.join()
    assert buyers.failures == []
    services = {"gateway": stack.gateway.url, "order-relay": stack.relay.url}
    healed = poll(
        lambda: {n: ready(u) for n, u in services.items()},
        lambda codes: set(codes.values()) == {200},
        timeout=120,
    )
    recreated = {
        n: metric_value(u, "connector_topics_recreated_total") for n, u in services.items()
    }
    print(f"[{label}] ready again: {healed}; topics recreated by the services: {recreated}")
    assert all(n > 0 for n in recreated.values()), "a service did not notice its lost topics"
    # Tansu auto-creates a topic a client asks for (4 partitions) and has no switch to stop it,
    # so a client may win the race with the service's own creation; the services must say so.
    # (A production cluster runs with auto-creation off: deploy/.)
    partitions = partition_counts_sync(infra.broker.bootstrap_servers, infra.prefix)
    auto_created = sorted(t for t, n in partitions.items() if n != 3)
    misshapen = poll(
        lambda: sum(metric_value(u, "connector_topics_misshapen") for u in services.values()),
        lambda n: (n > 0) == bool(auto_created),
        timeout=30,
    )
    print(
        f"[{label}] topics auto-created by the broker with another partition count:"
        f" {auto_created}; reported by the services (connector_topics_misshapen): {misshapen:.0f}"
    )
    assert (misshapen > 0) == bool(auto_created)

    swept_before = metric_value(
        stack.relay.url, "connector_orders_reconciled_total", source="sweep"
    )
    after: OrderPlan = plan_orders(AFTER)
    late = Buyers(tiktok, shop_id, shop.skus, after, PACE).start()
    late.join()
    assert late.failures == []
    ledger_check(label, [(shop.merchant, before + after)])
    swept = metric_value(stack.relay.url, "connector_orders_reconciled_total", source="sweep")
    sources = paid_sources(stack, after.paid)
    by_webhook = sum(1 for s in sources.values() if s == "webhook")
    print(
        f"[{label}] after the recovery: {by_webhook} of {len(after.paid)} paid orders came in by"
        f" their webhook, {len(after.paid) - by_webhook} otherwise; sweep emissions meanwhile:"
        f" {swept - swept_before:.0f}"
    )
    # Before the fix none did (issue 16); a sweep may win the race for an odd order.
    assert by_webhook >= 0.9 * len(after.paid), sources
