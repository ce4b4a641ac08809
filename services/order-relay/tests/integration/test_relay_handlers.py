"""order-relay's handlers with fake platform clients, on the real broker and PostgreSQL: a paid
TikTok order becomes exactly one Shopify order, and a repeated status change adds none."""

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from connector_connections import ClientCache, Connection, PlatformClients
from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    Envelope,
    Event,
    OrderPaid,
    OrderStatus,
    OrderStatusChanged,
    ProductPushed,
    SkuLink,
    new_envelope,
)
from connector_devstack.in_process import isolated_settings, send, serve
from connector_devstack.infra import Infra
from connector_devstack.polling import poll_async
from connector_devstack.topics import read_all
from connector_runtime.service import Runtime
from order_relay.app import build_spec
from order_relay.core.settings import OrderSettings
from order_relay.core.translate import Inputs, RelayPlan, to_shopify_order
from order_relay.core.translate import SkuLink as CoreLink
from order_relay.platforms import Deps
from order_relay.settings import OrderRelaySettings
from shopify.errors import ShopifyAuthError
from shopify.inputs import OrderCreateInput, OrderCreateOptions
from shopify.models import Order as ShopifyOrder
from tiktok_shop.models.orders import ExternalOrderLink, Order

pytestmark = pytest.mark.integration

SHOP_ID = "7495000000000000001"
VARIANT = "gid://shopify/ProductVariant/1"


def tiktok_order(order_id: str) -> Order:
    """A paid TikTok order of two units of the linked SKU (Get Order Detail's shape)."""
    return Order.model_validate(
        {
            "id": order_id,
            "status": "AWAITING_SHIPMENT",
            "create_time": 1_760_000_000,
            "paid_time": 1_760_000_100,
            "buyer_email": "abc@scs.tiktokw.us",
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "payment": {"currency": "USD", "shipping_fee": "4.00", "tax": "2.00"},
            "recipient_address": {
                "name": "S***x B***r",
                "address_line1": "1199 Coleman Ave",
                "postal_code": "95110",
                "region_code": "US",
                "district_info": [{"address_level_name": "City", "address_name": "San Jose"}],
            },
            "line_items": [
                {
                    "id": f"{order_id}-L{n}",
                    "sku_id": "111",
                    "seller_sku": "RED",
                    "product_name": "Mug",
                    "sku_name": "Red",
                    "original_price": "20.00",
                    "sale_price": "20.00",
                }
                for n in (1, 2)
            ],
        }
    )


class FakeShopifyOrders:
    """Shopify's orderCreate and the lookup by `sourceIdentifier`, kept in memory."""

    def __init__(self) -> None:
        self.created: list[OrderCreateInput] = []

    async def create(
        self, order: OrderCreateInput, options: OrderCreateOptions | None = None, **_: Any
    ) -> ShopifyOrder:
        self.created.append(order)
        n = len(self.created)
        lines = [
            {"id": f"gid://shopify/LineItem/{n}{i}", "title": "Mug", "quantity": line.quantity}
            for i, line in enumerate(order.line_items)
        ]
        return ShopifyOrder.model_validate(
            {
                "id": f"gid://shopify/Order/{n}",
                "name": f"#{1000 + n}",
                "sourceIdentifier": order.source_identifier,
                "createdAt": datetime.now(UTC).isoformat(),
                "lineItems": {"nodes": lines},
            }
        )

    async def find_by_source_identifier(self, value: str) -> ShopifyOrder | None:
        raise AssertionError("no intent was left behind, so nothing is looked up")


class FakeTikTokOrders:
    """Get Order Detail, the external-reference link, and an empty order search (sweeps)."""

    def __init__(self, orders: dict[str, Order]) -> None:
        self.orders = orders
        self.linked: list[ExternalOrderLink] = []

    async def get(self, order_ids: Sequence[str]) -> list[Order]:
        return [self.orders[i] for i in order_ids if i in self.orders]

    async def add_external_references(self, links: Sequence[ExternalOrderLink]) -> None:
        self.linked += links

    async def detail(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    async def add_external_reference(self, link: ExternalOrderLink) -> None:
        self.linked.append(link)

    async def iter_search(self, filters: Any, page_size: int = 100) -> AsyncIterator[Order]:
        for _ in ():
            yield _


class Fake:
    """One platform's client: the resources the handlers use, and closing."""

    def __init__(self, orders: object) -> None:
        self.orders = orders
        self.closed = False

    def check_budget(self, _operation: str, *, mutation: bool = True) -> None:
        """Shopify's: the fake store's cost budget never runs out."""

    async def aclose(self) -> None:
        self.closed = True


class FakePlatforms:
    """Both platforms for every connection, as the client cache builds them."""

    def __init__(self) -> None:
        self.shopify_orders = FakeShopifyOrders()
        self.tiktok_orders = FakeTikTokOrders({})
        self.shopify, self.tiktok = Fake(self.shopify_orders), Fake(self.tiktok_orders)

    def build(self, _: Connection) -> PlatformClients:
        return PlatformClients(self.shopify, self.tiktok)  # type: ignore[arg-type]


@pytest.fixture
async def platforms() -> FakePlatforms:
    return FakePlatforms()


@pytest.fixture
async def relay(infra: Infra, platforms: FakePlatforms) -> AsyncIterator[Runtime]:
    settings = isolated_settings(
        OrderRelaySettings,
        infra,
        service_name=f"order-relay-{uuid.uuid4().hex[:6]}",
        order_timer_poll_seconds=0.2,
        order_relay_credential_retries=2,  # backoff 2 s, 4 s: the refused-for-good case is quick
    )
    deps = Deps(settings=settings, platform_clients=ClientCache(platforms.build))
    async with serve(build_spec(settings, deps), settings) as runtime:
        yield runtime
    # The runtime closed its deps, and with them the clients they built.
    assert platforms.shopify.closed
    assert platforms.tiktok.closed


async def connect(runtime: Runtime, connection_id: str) -> None:
    """Publish the connection and the SKU link a catalog push would have published."""
    events: list[Event] = [
        ConnectionChanged(
            connection_id=connection_id,
            revision=1,
            name="Mugs",
            status=ConnectionStatus.ACTIVE,
            shopify_shop_domain="mugs.myshopify.com",
            shopify_access_token="sealed",
            tiktok_region="US",
            tiktok_shop_id=SHOP_ID,
            tiktok_shop_cipher="cipher",
            tiktok_access_token="sealed",
        ),
        ProductPushed(
            shopify_product_id="gid://shopify/Product/1",
            tiktok_product_id="1729000000000000001",
            tiktok_status="ACTIVATE",
            created=True,
            skus=[SkuLink(shopify_variant_id=VARIANT, tiktok_sku_id="111", seller_sku="RED")],
        ),
    ]
    for event in events:
        await send(runtime, new_envelope(event, connection_id=connection_id))
    # Both arrive on their own topics: wait for both before an order may need them.
    assert await poll_async(lambda: connected(runtime, connection_id), bool)


async def connected(runtime: Runtime, connection_id: str) -> bool:
    """The replica holds the connection and the SKU link."""
    async with runtime.pool.acquire() as conn:
        return bool(
            await conn.fetchval(
                "SELECT 1 FROM connections c JOIN sku_links l USING (connection_id)"
                " WHERE c.connection_id = $1",
                connection_id,
            )
        )


async def relay_state(runtime: Runtime, order_id: str) -> str | None:
    async with runtime.pool.acquire() as conn:
        state: str | None = await conn.fetchval(
            "SELECT relay_state FROM orders WHERE tiktok_order_id = $1", order_id
        )
        return state


async def applied(runtime: Runtime, event_id: uuid.UUID) -> int | None:
    """None until the event was applied, then how often it was delivered again."""
    async with runtime.pool.acquire() as conn:
        seen: int | None = await conn.fetchval(
            "SELECT redeliveries FROM inbox WHERE event_id = $1", event_id
        )
        return seen


async def linked(platforms: FakePlatforms) -> list[ExternalOrderLink]:
    """The links written back to TikTok so far."""
    return list(platforms.tiktok_orders.linked)


def paid_change(connection_id: str, order_id: str) -> Envelope[OrderStatusChanged]:
    change = OrderStatusChanged(
        tiktok_order_id=order_id,
        tiktok_shop_id=SHOP_ID,
        status=OrderStatus.AWAITING_SHIPMENT,
        updated_at=datetime.fromtimestamp(1_760_000_100, UTC),
        source="webhook",
    )
    return new_envelope(change, connection_id=connection_id)


def translated(order: Order) -> RelayPlan:
    """What the pure core makes of the order with the pushed link and default settings."""
    inputs = Inputs(region="US", links={"111": CoreLink(VARIANT, "RED")}, shop_id=SHOP_ID)
    plan = to_shopify_order(order, OrderSettings(), inputs, on_hold=False)
    assert isinstance(plan, RelayPlan), plan
    return plan


async def test_a_paid_order_is_created_in_shopify_once_even_when_its_change_repeats(
    relay: Runtime, platforms: FakePlatforms
) -> None:
    connection_id, order_id = f"conn_{uuid.uuid4().hex[:8]}", f"5764{uuid.uuid4().int % 10**14}"
    platforms.tiktok_orders.orders[order_id] = tiktok_order(order_id)
    await connect(relay, connection_id)
    change = paid_change(connection_id, order_id)
    await send(relay, change)

    assert await poll_async(lambda: relay_state(relay, order_id), lambda s: s == "relayed") == (
        "relayed"
    )
    [created] = platforms.shopify_orders.created
    assert created == translated(tiktok_order(order_id)).order
    assert created.source_identifier == order_id
    assert [line.variant_id for line in created.line_items] == [VARIANT]
    assert [line.quantity for line in created.line_items] == [2]
    # The link is written back by the link worker, after the relay's commit.
    [link] = await poll_async(lambda: linked(platforms), bool)
    assert (link.id, link.external_order.id) == (order_id, "1")

    # The same message delivered again, and the same change sent again by TikTok.
    again = paid_change(connection_id, order_id)
    await send(relay, change)
    await send(relay, again)
    assert await poll_async(lambda: applied(relay, change.event_id), lambda n: bool(n)) == 1
    assert await poll_async(lambda: applied(relay, again.event_id), lambda n: n is not None) == 0
    paid = await read_all(
        relay.settings.kafka_bootstrap_servers,
        relay.settings.topic(OrderPaid.topic()),
        at_least=1,
        within=30,
    )
    assert [r.key for r in paid] == [order_id.encode()]
    assert len(platforms.shopify_orders.created) == 1
    assert await relay_state(relay, order_id) == "relayed"
    assert await linked(platforms) == [link]  # linked once


class RefusingOnce(FakeShopifyOrders):
    """Shopify refuses the token `refusals` times (it was being rotated), then creates."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals

    async def create(
        self, order: OrderCreateInput, options: OrderCreateOptions | None = None, **_: Any
    ) -> ShopifyOrder:
        if self.refusals:
            self.refusals -= 1
            raise ShopifyAuthError("[API] Invalid API key or access token (unrecognized login)")
        return await super().create(order, options)

    async def find_by_source_identifier(self, value: str) -> ShopifyOrder | None:
        return None  # the refused create left no order behind


async def failure_reason(runtime: Runtime, order_id: str) -> str | None:
    async with runtime.pool.acquire() as conn:
        reason: str | None = await conn.fetchval(
            "SELECT failure_reason FROM orders WHERE tiktok_order_id = $1", order_id
        )
        return reason


async def test_a_token_refused_while_it_rotates_is_retried_not_a_lost_order(
    relay: Runtime, platforms: FakePlatforms
) -> None:
    """A refresh in the gateway revokes the token the replica still holds for a moment: the
    relay tries again and the order reaches Shopify, once."""
    platforms.shopify.orders = platforms.shopify_orders = RefusingOnce(refusals=1)
    connection_id, order_id = f"conn_{uuid.uuid4().hex[:8]}", f"5764{uuid.uuid4().int % 10**14}"
    platforms.tiktok_orders.orders[order_id] = tiktok_order(order_id)
    await connect(relay, connection_id)
    await send(relay, paid_change(connection_id, order_id))

    assert await poll_async(lambda: relay_state(relay, order_id), lambda s: s == "relayed") == (
        "relayed"
    )
    assert len(platforms.shopify_orders.created) == 1


async def test_a_token_refused_for_good_fails_the_order_with_shopifys_reason(
    relay: Runtime, platforms: FakePlatforms
) -> None:
    """Past its credential retries the order fails, saying what Shopify said."""
    retries = relay.settings.order_relay_credential_retries  # type: ignore[attr-defined]
    platforms.shopify.orders = platforms.shopify_orders = RefusingOnce(refusals=retries + 1)
    connection_id, order_id = f"conn_{uuid.uuid4().hex[:8]}", f"5764{uuid.uuid4().int % 10**14}"
    platforms.tiktok_orders.orders[order_id] = tiktok_order(order_id)
    await connect(relay, connection_id)
    await send(relay, paid_change(connection_id, order_id))

    state = await poll_async(lambda: relay_state(relay, order_id), lambda s: s == "failed", 120)
    assert state == "failed"
    assert "Shopify refused the request" in (await failure_reason(relay, order_id) or "")
    assert platforms.shopify_orders.created == []
