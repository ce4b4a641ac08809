"""The console tests' one stack (per module) and a Brazil store with linked, stocked products,
whose TikTok orders the tests place and whose owner the browser logs in as."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from connector_devstack.accounts import browser_headers, create_owner, login
from connector_devstack.infra import Infra
from connector_devstack.linked_catalog import LinkedVariant, seed_linked_catalog
from connector_devstack.polling import poll
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync
from connector_devstack.services import ServiceProcess

Json = dict[str, Any]


@pytest.fixture(scope="module")
def stack(start_module_service: ServiceStarter) -> dict[str, ServiceProcess]:
    """A gateway requiring a login, catalog-sync so a pull shows on the Tasks page, and the
    other owners of the public API, started together."""
    names = ("gateway", "catalog-sync", "order-relay", "inventory-guard", "price-promotions")
    # No sweep during the run: an order whose webhooks were lost reaches Shopify only through
    # the console's "Sync missed orders" (the sweep would repair it within 5 minutes).
    env = {
        "gateway": {"gateway_require_login": "true"},
        "order-relay": {"order_sweep_interval_seconds": "86400"},
    }
    return start_module_service.start_all(names, env)


@dataclass
class Store:
    """A connected Brazil store: its owner's login, TikTok buyers, the connector's API."""

    email: str
    merchant: Merchant
    variants: list[LinkedVariant]
    api: httpx.Client  # the gateway's /api/v1, logged in as the owner
    tiktok: httpx.Client  # the TikTok sandbox's control API

    def place(self, variant: int = 0) -> str:
        """A buyer's paid TikTok order of one unit (one package)."""
        sku = self.variants[variant]
        line = {
            "sku_id": sku.tiktok_sku_id,
            "seller_sku": sku.sku,
            "price": sku.price,
            "product_name": f"Product {sku.sku}",
            "quantity": 1,
        }
        body = {"status": "AWAITING_SHIPMENT", "lines": [line]}
        placed = self.tiktok.post(f"/shops/{self.merchant.tiktok_shop_id}/orders", json=body)
        return str(placed.raise_for_status().json()["id"])

    def place_missed(self) -> str:
        """An order whose webhooks all get lost (the stack's order-relay does not sweep)."""
        self.tiktok.put("/webhooks/chaos", json={"drop_probability": 1.0}).raise_for_status()
        try:
            return self.place(1)
        finally:
            self.tiktok.put("/webhooks/chaos", json={"drop_probability": 0.0}).raise_for_status()

    def order(self, tiktok_order_id: str) -> Json:
        """The connector's order ({} while it does not know it)."""
        response = self.api.get(f"/orders/{tiktok_order_id}")
        return response.json() if response.status_code == 200 else {}

    def wait_relayed(self, tiktok_order_id: str) -> Json:
        relayed: Json = poll(
            lambda: self.order(tiktok_order_id), lambda o: o.get("relay_state") == "relayed", 90
        )
        assert relayed.get("relay_state") == "relayed", relayed
        return relayed

    def tiktok_order(self, tiktok_order_id: str) -> Json:
        """TikTok's side of an order: packages, status, invoices."""
        found: Json = self.tiktok.get(f"/orders/{tiktok_order_id}").raise_for_status().json()
        return found


@pytest.fixture(scope="module")
def brazil_store(
    stack: dict[str, ServiceProcess], sandboxes: Sandboxes, infra: Infra
) -> Iterator[Store]:
    """A new owner's account with a Brazil store connected (API calls as that owner) and two
    linked variants with stock, so TikTok orders reach Shopify; order-relay has swept it once."""
    gateway = stack["gateway"]
    email = f"brazil-{uuid.uuid4().hex[:8]}@example.com"
    assert create_owner(gateway, email).returncode == 0
    headers = browser_headers(login(gateway, email))
    domain = f"brazil-{uuid.uuid4().hex[:8]}.myshopify.com"
    # Playwright's sync API keeps an event loop in this thread: the asyncio set-up runs beside.
    with ThreadPoolExecutor(1) as side:
        merchant = side.submit(
            connect_merchant_sync,
            gateway.url,
            sandboxes,
            name="Loja Brasil",
            shopify_shop_domain=domain,
            region="BR",
            headers=headers,
        ).result()
        catalog = side.submit(
            seed_linked_catalog, infra, sandboxes.shopify_url, merchant, variants=2, stock=5
        ).result()
        side.submit(_wait_first_sweep, infra, merchant.connection_id).result()
    api = httpx.Client(base_url=f"{gateway.url}/api/v1", headers=headers, timeout=30)
    tiktok = httpx.Client(base_url=f"{sandboxes.tiktok_url}/_sandbox", timeout=30)
    with api, tiktok:
        yield Store(email, merchant, catalog.variants, api, tiktok)


def _wait_first_sweep(infra: Infra, connection_id: str, timeout: float = 120) -> None:
    """Block until order-relay swept the new connection once: its first sweep is due as soon as
    the connection is active (and would repair a lost order), the next one a day later."""
    deadline = time.monotonic() + timeout
    while not asyncio.run(_swept(infra, connection_id)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"order-relay never swept {connection_id}")
        time.sleep(0.5)


async def _swept(infra: Infra, connection_id: str) -> bool:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return bool(
            await conn.fetchval(
                "SELECT due_at > now() + interval '1 hour' FROM order_relay.work_items"
                " WHERE kind = 'sweep' AND key = $1",
                connection_id,
            )
        )
    finally:
        await conn.close()
