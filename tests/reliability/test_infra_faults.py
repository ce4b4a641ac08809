"""Fault experiments on the infrastructure while orders flow: the broker frozen for 30 s,
PostgreSQL frozen for 15 s, PostgreSQL restarted. Orders are placed through the TikTok sandbox
(which sends the webhooks) and counted in the Shopify sandbox; each experiment ends with the
ledger check. The broker and PostgreSQL are the run's embedded ones (frozen by SIGSTOP of their
process group, so PostgreSQL's backends freeze too); with configured servers there is nothing
this test may pause, and it skips.
"""

import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
from connector_devstack.buyers import Buyers, OrderPlan, plan_orders
from connector_devstack.infra import Infra
from connector_devstack.ledger import order_ledger
from connector_devstack.polling import poll
from connector_devstack.processes import pause, resume
from connector_devstack.relay_stack import RelayStack
from connector_devstack.sandboxes import Merchant

pytestmark = pytest.mark.e2e

ORDERS = 150
# Placing takes ~45 s, so the fault lands while orders keep arriving.
PACE = 0.3


def orders_through(stack: RelayStack, shop: Any, fault: Callable[[], None]) -> OrderPlan:
    """Place the orders; once the first reached Shopify, inject `fault`; wait for the buyers."""
    merchant: Merchant = shop.merchant
    skus = shop.skus
    plan = plan_orders(ORDERS)
    buyers = Buyers(stack.sandboxes.tiktok_url, merchant.tiktok_shop_id, skus, plan, PACE).start()
    flowing = poll(
        lambda: order_ledger(stack.sandboxes.shopify_url, merchant, plan).in_shopify,
        lambda n: n >= 10,
        timeout=120,
    )
    assert flowing >= 10, "orders did not flow before the fault"
    print(f"\n[fault] injected after {buyers.placed} orders placed, {flowing} in Shopify")
    fault()
    buyers.join()
    assert buyers.failures == []
    return plan


def frozen_for(process: subprocess.Popen[bytes], seconds: float) -> Callable[[], None]:
    """A fault: SIGSTOP the process group for `seconds`, then SIGCONT."""

    def fault() -> None:
        pause(process)
        try:
            time.sleep(seconds)
        finally:
            resume(process)

    return fault


def broker_paused(infra: Infra) -> Callable[[], None] | None:
    """The broker frozen for 30 s (None: a configured broker is not ours to freeze)."""
    return frozen_for(infra.broker.process, 30) if infra.broker.process else None


def postgres_paused(infra: Infra) -> Callable[[], None] | None:
    """PostgreSQL frozen for 15 s, backends included."""
    return frozen_for(infra.postgres.process, 15) if infra.postgres.process else None


def postgres_restarted(infra: Infra) -> Callable[[], None] | None:
    """PostgreSQL shut down and started again on the same port and data directory."""
    return infra.postgres.restart if infra.postgres.process else None


FAULTS = {
    "broker paused 30 s": broker_paused,
    "PostgreSQL paused 15 s": postgres_paused,
    "PostgreSQL restarted": postgres_restarted,
}


@pytest.mark.parametrize("label", list(FAULTS))
def test_paid_orders_reach_shopify_exactly_once_through(
    label: str,
    infra: Infra,
    relay_stack: RelayStack,
    open_shop: Callable[..., Any],
    ledger_check: Callable[..., None],
) -> None:
    fault = FAULTS[label](infra)
    if fault is None:
        pytest.skip("configured infrastructure is not ours to freeze or restart")
    shop = open_shop(relay_stack)
    plan = orders_through(relay_stack, shop, fault)
    ledger_check(label, [(shop.merchant, plan)])
