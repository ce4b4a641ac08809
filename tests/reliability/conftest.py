"""Fault experiments' shared setup: one gateway + order-relay stack per module, a connected
merchant with a linked catalog per experiment, and the ledger check every experiment ends with."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from connector_devstack.buyers import OrderPlan
from connector_devstack.infra import Infra
from connector_devstack.ledger import dead_letters, settled_order_ledger
from connector_devstack.linked_catalog import LinkedVariant, seed_linked_catalog
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync

# Seconds instead of minutes, so the sweep and retries act within an experiment.
RELAY_ENV = {
    "ORDER_SWEEP_INTERVAL_SECONDS": "3",
    "ORDER_STUCK_AFTER_SECONDS": "20",
    "ORDER_RETRY_INTERVAL_SECONDS": "1",
    "ORDER_TIMER_POLL_SECONDS": "0.2",
}


@pytest.fixture(scope="module")
def relay_stack(
    infra: Infra, sandboxes: Sandboxes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RelayStack]:
    """Gateway and order-relay shared by a module's experiments."""
    stack = start_relay_stack(
        infra, sandboxes, tmp_path_factory.mktemp("relay-stack"), relay_env=RELAY_ENV
    )
    try:
        yield stack
    finally:
        stack.stop()


@dataclass(frozen=True)
class Shop:
    """A merchant whose TikTok orders the relay can create in Shopify."""

    merchant: Merchant
    skus: list[LinkedVariant]


@pytest.fixture
def open_shop(infra: Infra, sandboxes: Sandboxes) -> Callable[[RelayStack], Shop]:
    """Connect a merchant (Shopify Plus: no throttling), link 10 SKUs, retry failed orders."""

    def open_(stack: RelayStack) -> Shop:
        suffix = uuid.uuid4().hex[:8]
        merchant = connect_merchant_sync(
            stack.gateway.url,
            sandboxes,
            name=f"Faults {suffix}",
            shopify_shop_domain=f"faults-{suffix}.myshopify.com",
            shopify_plan="plus",
        )
        skus = seed_linked_catalog(
            infra, sandboxes.shopify_url, merchant, variants=10, stock=100_000
        ).variants
        httpx.put(
            f"{stack.gateway.url}/api/v1/order-settings/{merchant.connection_id}",
            json={"retry_orders": True},
            timeout=30,
        ).raise_for_status()
        return Shop(merchant, skus)

    return open_


LedgerCheck = Callable[[str, list[tuple[Merchant, OrderPlan]]], None]


@pytest.fixture
def ledger_check(infra: Infra, sandboxes: Sandboxes) -> LedgerCheck:
    """Print and assert the ledger: orders exactly once, none unpaid, dead letters explained."""

    def check(label: str, shops: list[tuple[Merchant, OrderPlan]]) -> None:
        ledgers = [(m, settled_order_ledger(sandboxes.shopify_url, m, p)) for m, p in shops]
        for merchant, ledger in ledgers:
            print(f"\n[{label}] ledger {merchant.shopify_shop_domain}: {ledger.line()}")
        letters = dead_letters(infra)
        mine = {m.connection_id for m, _ in shops}
        print(f"[{label}] dead letters on the run's topics: {len(letters)}")
        for letter in letters:
            print(f"[{label}]   {letter.line()[:400]}")
        for _, ledger in ledgers:
            assert ledger.missing == [], f"{len(ledger.missing)} paid orders not in Shopify"
            assert ledger.duplicated == []
            assert ledger.unpaid_created == []
            assert ledger.foreign == []
        assert [d for d in letters if d.connection_id in mine] == []

    return check
