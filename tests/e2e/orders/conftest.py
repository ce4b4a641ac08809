"""Order end-to-end setup: gateway + order-relay processes on the real broker and PostgreSQL,
both sandboxes, and per test a merchant connected through the gateway's OAuth flow.

The services run once per module (order-relay's consumer groups take a while to join); every
test gets a merchant of its own, so tests never see each other's orders or settings.
"""

import asyncio
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from connector_contracts import ProductPushed, SkuLink, new_envelope
from connector_devstack.infra import Infra
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync
from connector_devstack.services import SERVICES, ServiceProcess
from connector_devstack.topics import produce
from connector_devstack.wiring import reserve_ports, stack_env

Json = dict[str, Any]

# Seconds instead of the guide's 10 minutes, so retries happen within a test.
RELAY_ENV = {
    "ORDER_RETRY_INTERVAL_SECONDS": "1",
    "ORDER_TIMER_POLL_SECONDS": "0.2",
    "ORDER_SWEEP_INTERVAL_SECONDS": "5",
    "ORDER_STUCK_AFTER_SECONDS": "30",
}


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 60) -> Any:
    """Call `fetch` until `done(result)` or the deadline passes; return the last result."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(0.2)
        result = fetch()
    return result


@dataclass
class Stack:
    """The running services of one test module."""

    infra: Infra
    sandboxes: Sandboxes
    gateway: ServiceProcess
    relay: ServiceProcess


def start_stack(
    infra: Infra, sandboxes: Sandboxes, logs: Path, relay_env: dict[str, str] | None = None
) -> Stack:
    """Start gateway and order-relay with each other's URLs; TikTok webhooks to the gateway."""
    ports = reserve_ports()
    env = stack_env(infra, sandboxes, ports)
    by_name = {s.name: s for s in SERVICES}
    gateway = ServiceProcess(
        by_name["gateway"], env, ports["gateway"], log_file=logs / "gateway.log"
    )
    gateway.start()
    sandboxes.point_tiktok_webhooks_at(f"{gateway.url}/webhooks/tiktok")
    relay = ServiceProcess(
        by_name["order-relay"],
        {**env, **RELAY_ENV, **(relay_env or {})},
        ports["order-relay"],
        log_file=logs / "order-relay.log",
    )
    try:
        relay.start()
    except BaseException:
        gateway.stop()
        raise
    return Stack(infra, sandboxes, gateway, relay)


@pytest.fixture(scope="module")
def stack(
    infra: Infra, sandboxes: Sandboxes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Gateway and order-relay for the module."""
    running = start_stack(infra, sandboxes, tmp_path_factory.mktemp("order-services"))
    try:
        yield running
    finally:
        running.relay.stop()
        running.gateway.stop()


@dataclass(frozen=True)
class Variant:
    """A Shopify variant linked to a TikTok SKU."""

    variant_id: str
    inventory_item_id: str
    sku: str
    price: str
    tiktok_sku_id: str


class Shop:
    """One connected merchant: place TikTok orders, act as the merchant, read the connector."""

    def __init__(self, stack: Stack, merchant: Merchant, variants: list[Variant], location: str):
        self.stack = stack
        self.merchant = merchant
        self.variants = variants
        self.location_id = location
        self.http = httpx.Client(timeout=30)
        self.tiktok = f"{stack.sandboxes.tiktok_url}/_sandbox"
        self.shopify = (
            f"{stack.sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
        )
        self.api = f"{stack.gateway.url}/api/v1"

    poll = staticmethod(poll)

    # -- the merchant's API (through the gateway) -------------------------------------------
    def put_settings(self, **settings: Any) -> httpx.Response:
        """Replace the connection's order settings."""
        return self.http.put(
            f"{self.api}/order-settings/{self.merchant.connection_id}", json=settings
        )

    def order(self, tiktok_order_id: str) -> Json:
        """The connector's view of an order (404 -> {})."""
        response = self.http.get(f"{self.api}/orders/{tiktok_order_id}")
        return response.json() if response.status_code == 200 else {}

    def wait_order(
        self, tiktok_order_id: str, done: Callable[[Json], bool], timeout: float = 60
    ) -> Json:
        """Poll the order until `done` holds."""
        result: Json = poll(
            lambda: self.order(tiktok_order_id), lambda o: bool(o) and done(o), timeout
        )
        return result

    def orders(self, **params: Any) -> Json:
        """A page of orders with counts, for this connection."""
        params = {"connection_id": self.merchant.connection_id, **params}
        result: Json = self.http.get(f"{self.api}/orders", params=params).json()
        return result

    # -- TikTok buyers and the platform ----------------------------------------------------
    def place(self, *lines: Json, status: str = "AWAITING_SHIPMENT", **spec: Any) -> str:
        """Place a TikTok order; lines are {"variant": i, "quantity": n, ...} or raw sku specs."""
        body = {"status": status, "lines": [self._line(line) for line in lines], **spec}
        created = self.http.post(
            f"{self.tiktok}/shops/{self.merchant.tiktok_shop_id}/orders", json=body
        )
        created.raise_for_status()
        return str(created.json()["id"])

    def _line(self, line: Json) -> Json:
        if "variant" not in line:
            return line
        variant = self.variants[line["variant"]]
        rest = {k: v for k, v in line.items() if k != "variant"}
        return {
            "sku_id": variant.tiktok_sku_id,
            "seller_sku": variant.sku,
            "price": rest.pop("price", variant.price),
            "product_name": f"Product {variant.sku}",
            **rest,
        }

    def tiktok_order(self, order_id: str) -> Json:
        """The TikTok order with packages and external references."""
        result: Json = self.http.get(f"{self.tiktok}/orders/{order_id}").raise_for_status().json()
        return result

    def set_tiktok_status(self, order_id: str, status: str) -> None:
        """Move a TikTok order (webhook 1)."""
        self.http.post(
            f"{self.tiktok}/orders/{order_id}/status", json={"status": status}
        ).raise_for_status()

    def buyer_cancels(self, order_id: str, role: str = "BUYER", **spec: Any) -> Json:
        """A cancellation request (UNPAID/ON_HOLD and SYSTEM ones succeed at once)."""
        response = self.http.post(
            f"{self.tiktok}/orders/{order_id}/cancellations", json={"role": role, **spec}
        )
        result: Json = response.raise_for_status().json()
        return result

    # -- Shopify, as the merchant and as an inspector ---------------------------------------
    def shopify_orders(self) -> list[Json]:
        """Every order in the Shopify store, with all fields the connector sent."""
        result: list[Json] = self.http.get(f"{self.shopify}/orders").raise_for_status().json()
        return result

    def shopify_order(self, tiktok_order_id: str) -> Json | None:
        """The Shopify order of a TikTok order, if any (fails on duplicates)."""
        found = [o for o in self.shopify_orders() if o["source_identifier"] == tiktok_order_id]
        assert len(found) <= 1, f"{len(found)} Shopify orders for TikTok order {tiktok_order_id}"
        return found[0] if found else None

    def available(self, variant: int) -> int:
        """Available stock of a variant at the location."""
        item = self.variants[variant].inventory_item_id
        for level in self.http.get(f"{self.shopify}/inventory").raise_for_status().json():
            if (
                level.get("inventory_item_gid") == item
                and level.get("location_gid") == self.location_id
            ):
                return int(level["available"])
        raise AssertionError(f"no level for {item}")

    def set_stock(self, variant: int, available: int) -> None:
        """Set stock as the merchant would."""
        self.http.post(
            f"{self.shopify}/inventory",
            json={
                "inventory_item_id": self.variants[variant].inventory_item_id,
                "location_id": self.location_id,
                "available": available,
            },
        ).raise_for_status()

    def fulfil(self, shopify_order_id: str, company: str, number: str) -> Json:
        """Fulfil everything open on an order (fulfillments/create webhook)."""
        response = self.http.post(
            f"{self.shopify}/orders/fulfil",
            json={
                "order_id": shopify_order_id,
                "tracking_company": company,
                "tracking_number": number,
            },
        )
        result: Json = response.raise_for_status().json()
        return result

    def cancel_in_shopify(self, shopify_order_id: str) -> None:
        """Cancel as the merchant (orders/cancelled webhook)."""
        self.http.post(
            f"{self.shopify}/orders/cancel", json={"order_id": shopify_order_id, "restock": True}
        ).raise_for_status()

    def requests(self) -> list[Json]:
        """The Shopify GraphQL request log of this store."""
        result: list[Json] = self.http.get(
            f"{self.stack.sandboxes.shopify_url}/_sandbox/requests",
            params={"shop": self.merchant.shopify_shop_domain},
        ).json()
        return result


def seed_catalog(stack: Stack, merchant: Merchant, stock: int) -> tuple[list[Variant], str]:
    """Two Shopify variants with `stock` units each, linked to TikTok SKUs by `product.pushed`."""
    http = httpx.Client(timeout=30)
    shop = f"{stack.sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}"
    http.post(
        f"{shop}/seed",
        json={
            "products": 1,
            "variants_per_product": 2,
            "stock_min": stock,
            "stock_max": stock,
            "duplicate_sku_ratio": 0,
            "missing_barcode_ratio": 0,
            "seed": random.randrange(10**6),
        },
    ).raise_for_status()
    product = http.get(f"{shop}/products").raise_for_status().json()[0]
    location = http.get(shop).raise_for_status().json()["locations"][0]["id"]
    variants = [
        Variant(
            variant_id=v["admin_graphql_api_id"],
            inventory_item_id=f"gid://shopify/InventoryItem/{v['inventory_item_id']}",
            sku=v["sku"] or f"SKU-{i}",
            price=v["price"],
            tiktok_sku_id=str(random.randrange(10**18, 10**19)),
        )
        for i, v in enumerate(product["variants"])
    ]
    pushed = ProductPushed(
        shopify_product_id=product["admin_graphql_api_id"],
        tiktok_product_id=str(random.randrange(10**18, 10**19)),
        tiktok_status="ACTIVATE",
        created=True,
        skus=[
            SkuLink(
                shopify_variant_id=v.variant_id,
                shopify_inventory_item_id=v.inventory_item_id,
                tiktok_sku_id=v.tiktok_sku_id,
                seller_sku=v.sku,
            )
            for v in variants
        ],
    )
    envelope = new_envelope(pushed, connection_id=merchant.connection_id)
    asyncio.run(
        produce(
            stack.infra.broker.bootstrap_servers,
            f"{stack.infra.prefix}product.pushed",
            envelope.model_dump_json().encode(),
            key=pushed.key().encode(),
        )
    )
    linked = poll(
        lambda: asyncio.run(_links(stack.infra, merchant.connection_id)), lambda n: n >= 2
    )
    assert linked >= 2, "order-relay did not store the SKU links"
    return variants, location


async def _links(infra: Infra, connection_id: str) -> int:
    conn = await asyncpg.connect(infra.database_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM order_relay.sku_links WHERE connection_id = $1", connection_id
            )
        )
    finally:
        await conn.close()


@pytest.fixture
def shop(stack: Stack) -> Iterator[Shop]:
    """A freshly connected merchant with a linked two-variant catalog (5 units each)."""
    suffix = uuid.uuid4().hex[:8]
    merchant = connect_merchant_sync(
        stack.gateway.url,
        stack.sandboxes,
        name=f"Orders {suffix}",
        shopify_shop_domain=f"orders-{suffix}.myshopify.com",
    )
    variants, location = seed_catalog(stack, merchant, stock=5)
    world = Shop(stack, merchant, variants, location)
    yield world
    world.http.close()
