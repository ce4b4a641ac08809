"""Order end-to-end setup: gateway + order-relay processes on the real broker and PostgreSQL,
both sandboxes, and per test a merchant connected through the gateway's OAuth flow.

The services run once per module (order-relay's consumer groups take a while to join); every
test gets a merchant of its own, so tests never see each other's orders or settings.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.linked_catalog import LinkedVariant, seed_linked_catalog
from connector_devstack.polling import poll
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync

Json = dict[str, Any]

# The Loop Returns app's API client id in the Shopify sandbox (test_after_relay.py installs it).
LOOP_APP = "loop-returns-e2e"

# Seconds instead of the guide's 10 minutes, so retries happen within a test.
RELAY_ENV = {
    "ORDER_RETRY_INTERVAL_SECONDS": "1",
    "ORDER_TIMER_POLL_SECONDS": "0.2",
    "ORDER_SWEEP_INTERVAL_SECONDS": "5",
    "ORDER_STUCK_AFTER_SECONDS": "30",
    "ORDER_LOOP_APP_IDS": LOOP_APP,
}


@pytest.fixture(scope="module")
def stack(
    infra: Infra, sandboxes: Sandboxes, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RelayStack]:
    """Gateway and order-relay for the module."""
    running = start_relay_stack(
        infra, sandboxes, tmp_path_factory.mktemp("order-services"), relay_env=RELAY_ENV
    )
    try:
        yield running
    finally:
        running.stop()


class Shop:
    """One connected merchant: place TikTok orders, act as the merchant, read the connector."""

    def __init__(
        self, stack: RelayStack, merchant: Merchant, variants: list[LinkedVariant], location: str
    ):
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
    def place(
        self,
        *lines: Json,
        status: str = "AWAITING_SHIPMENT",
        shop_id: str | None = None,
        **spec: Any,
    ) -> str:
        """Place a TikTok order (in the shop of the default region, else in `shop_id`); lines
        are {"variant": i, "quantity": n, ...} or raw sku specs."""
        body = {"status": status, "lines": [self._line(line) for line in lines], **spec}
        shop = shop_id or self.merchant.tiktok_shop_id
        created = self.http.post(f"{self.tiktok}/shops/{shop}/orders", json=body)
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


def _connected_shop(stack: RelayStack, region: str) -> Shop:
    suffix = uuid.uuid4().hex[:8]
    merchant = connect_merchant_sync(
        stack.gateway.url,
        stack.sandboxes,
        name=f"Orders {suffix}",
        shopify_shop_domain=f"orders-{suffix}.myshopify.com",
        region=region,
    )
    catalog = seed_linked_catalog(
        stack.infra, stack.sandboxes.shopify_url, merchant, variants=2, stock=5
    )
    return Shop(stack, merchant, catalog.variants, catalog.location_id)


@pytest.fixture
def shop(stack: RelayStack) -> Iterator[Shop]:
    """A freshly connected merchant with a linked two-variant catalog (5 units each)."""
    world = _connected_shop(stack, "US")
    yield world
    world.http.close()


@pytest.fixture
def loop_app() -> str:
    """The API client id order-relay takes for the Loop Returns app (`ORDER_LOOP_APP_IDS`)."""
    return LOOP_APP


@pytest.fixture
def brazil_shop(stack: RelayStack) -> Iterator[Shop]:
    """Like `shop`, selling on TikTok Shop Brazil (whose packages ship once invoiced)."""
    world = _connected_shop(stack, "BR")
    yield world
    world.http.close()
