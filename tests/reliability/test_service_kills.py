"""Fault experiments on the services while orders flow: the gateway SIGKILLed during a burst of
webhooks, and one of two order-relay replicas SIGKILLed mid-stream. Orders are placed through
the TikTok sandbox and counted in the Shopify sandbox; each experiment ends with the ledger check.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from connector_devstack.buyers import Buyers, plan_orders
from connector_devstack.ledger import order_ledger
from connector_devstack.polling import poll
from connector_devstack.ports import free_port
from connector_devstack.relay_stack import RelayStack, start_relay_replica
from connector_devstack.scraping import metric_value

pytestmark = pytest.mark.e2e


def test_webhooks_lost_to_a_gateway_sigkill_in_a_300_order_burst_are_redelivered(
    relay_stack: RelayStack, open_shop: Callable[..., Any], ledger_check: Callable[..., None]
) -> None:
    """The TikTok sandbox retries every webhook not answered 200 (connection refused included)
    after each of its `webhook_retry_delays`, as TikTok does; an order whose retries all fell
    inside the outage is found by order-relay's reconciliation sweep. Both are counted below."""
    shop = open_shop(relay_stack)
    sandboxes, gateway = relay_stack.sandboxes, relay_stack.gateway
    plan = plan_orders(300)
    buyers = Buyers(sandboxes.tiktok_url, shop.merchant.tiktok_shop_id, shop.skus, plan).start()
    poll(lambda: buyers.placed, lambda n: n >= 100, timeout=120)
    gateway.kill()
    killed_at = buyers.placed
    gateway.start(timeout=120)
    buyers.join()
    assert buyers.failures == []

    ledger_check("gateway SIGKILLed in a burst", [(shop.merchant, plan)])
    attempts = httpx.get(
        f"{sandboxes.tiktok_url}/_sandbox/webhooks/deliveries",
        params={"shop_id": shop.merchant.tiktok_shop_id},
        timeout=30,
    ).json()["deliveries"]
    refused = [a for a in attempts if a["status"] != 200]
    retried = {a["notification_id"] for a in attempts if a["attempt"] > 1}
    print(
        f"[gateway SIGKILLed in a burst] killed after {killed_at} of 300 orders placed;"
        f" webhook attempts={len(attempts)} not answered 200={len(refused)}"
        f" notifications redelivered by the sandbox={len(retried)}"
    )
    assert gateway.starts == 2
    assert refused, "the kill landed after the burst: no webhook met the outage"


def test_a_surviving_order_relay_replica_takes_over_the_killed_ones_work(
    relay_stack: RelayStack,
    open_shop: Callable[..., Any],
    ledger_check: Callable[..., None],
    tmp_path: Path,
) -> None:
    shop = open_shop(relay_stack)
    replica = start_relay_replica(relay_stack, free_port(), tmp_path)
    try:
        plan = plan_orders(200)
        buyers = Buyers(
            relay_stack.sandboxes.tiktok_url, shop.merchant.tiktok_shop_id, shop.skus, plan, 0.2
        ).start()
        # Killed once it holds a share of the work (it consumed) and orders are flowing.
        at_kill, replica_consumed = poll(
            lambda: (
                order_ledger(relay_stack.sandboxes.shopify_url, shop.merchant, plan).in_shopify,
                metric_value(replica.url, "connector_messages_consumed_total"),
            ),
            lambda now: now[0] >= 40 and now[1] > 0,
            timeout=120,
        )
        replica.kill()
        buyers.join()
        assert buyers.failures == []
        print(
            f"\n[order-relay replica SIGKILLed] killed with {at_kill} orders in Shopify,"
            f" after it consumed {replica_consumed:.0f} messages"
        )
        ledger_check("order-relay replica SIGKILLed", [(shop.merchant, plan)])
    finally:
        replica.stop()
    assert replica_consumed > 0, "the killed replica never had any of the work"
    assert at_kill < len(plan.paid)
