"""Webhook deliveries: retries keep the webhook id, faults reorder, lifecycle topics fire (B8)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from shopify import verify_webhook
from shopify_sandbox.testing import RawAdmin, SandboxShop, eventually, serve

SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri}) { userErrors { message } }
}"""
ORDER = """mutation { orderCreate(order: {lineItems: [{title: "x", quantity: 1,
  priceSet: {shopMoney: {amount: "1.00", currencyCode: USD}}}]}) { order { id } userErrors { message } } }"""


class FlakyReceiver:
    """Answers 500 to the first `failures` requests, then 200; records ids and bodies."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[tuple[str, bytes, str]] = []
        self.app = FastAPI()
        self.app.post("/hooks")(self.hook)

    async def hook(self, request: Request) -> Response:
        self.seen.append(
            (
                request.headers["x-shopify-webhook-id"],
                await request.body(),
                request.headers["x-shopify-hmac-sha256"],
            )
        )
        return Response(status_code=500 if len(self.seen) <= self.failures else 200)


@pytest.fixture
def flaky() -> Iterator[tuple[FlakyReceiver, str]]:
    receiver = FlakyReceiver(failures=2)
    with serve(receiver.app) as url:
        yield receiver, f"{url}/hooks"


async def test_failed_delivery_is_retried_with_the_same_id_and_signature(
    admin: RawAdmin, env: SandboxShop, flaky: tuple[FlakyReceiver, str]
) -> None:
    receiver, url = flaky
    admin.data(SUBSCRIBE, {"topic": "ORDERS_CREATE", "uri": url})
    admin.data(ORDER)
    await eventually(lambda: len(receiver.seen) == 3)
    assert len({webhook_id for webhook_id, _, _ in receiver.seen}) == 1
    assert all(verify_webhook(body, sig, env.client_secret) for _, body, sig in receiver.seen)
    await eventually(
        lambda: env.control.deliveries(env.shop, "orders/create")[0]["state"] == "delivered"
    )
    assert [
        a.get("status") for a in env.control.deliveries(env.shop, "orders/create")[0]["attempts"]
    ] == [500, 500, 200]


async def test_reorder_window_lets_a_later_webhook_arrive_first(
    admin: RawAdmin, env: SandboxShop, flaky: tuple[FlakyReceiver, str]
) -> None:
    receiver, url = flaky
    receiver.failures = 0
    admin.data(SUBSCRIBE, {"topic": "ORDERS_CREATE", "uri": url})
    env.control.set_webhook_faults(env.shop, reorder_window_seconds=0.5)
    created = [admin.data(ORDER)["orderCreate"]["order"]["id"] for _ in range(12)]
    await eventually(lambda: len(receiver.seen) == 12)
    arrived = [body for _, body, _ in receiver.seen]
    order_ids = [int(gid.rsplit("/", 1)[1]) for gid in created]
    arrival_ids = [int(body.split(b'"id":')[1].split(b",")[0]) for body in arrived]
    assert sorted(arrival_ids) == sorted(order_ids)
    assert arrival_ids != order_ids


async def test_uninstall_and_bulk_finish_topics_are_delivered(
    admin: RawAdmin, env: SandboxShop, flaky: tuple[FlakyReceiver, str]
) -> None:
    receiver, url = flaky
    receiver.failures = 0
    for topic in ("BULK_OPERATIONS_FINISH", "APP_UNINSTALLED", "INVENTORY_LEVELS_UPDATE"):
        admin.data(SUBSCRIBE, {"topic": topic, "uri": url})
    env.control.seed(env.shop, products=1, variants_per_product=1)
    level = env.control.inventory(env.shop)[0]
    env.control.set_stock(env.shop, level["inventory_item_gid"], level["location_gid"], 3)
    admin.data(
        'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { userErrors { message } } }'
    )
    await eventually(lambda: bool(env.control.deliveries(env.shop, "bulk_operations/finish")))
    env.control.uninstall(env.shop, env.client_id)
    await eventually(lambda: len(receiver.seen) == 3)
    topics = {d["topic"] for d in env.control.deliveries(env.shop)}
    assert topics == {"inventory_levels/update", "bulk_operations/finish", "app/uninstalled"}
    finish = env.control.deliveries(env.shop, "bulk_operations/finish")[0]["payload"]
    assert finish["status"] == "completed"
    assert admin.post("{ shop { name } }").status_code == 401
