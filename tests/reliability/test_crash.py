"""Crash test: events keep flowing while the consuming service is SIGKILLed and restarted.

Exactly-once effects are checked where they land: one tracked order and one `order.paid`
event id per TikTok order in order-relay, and one applied relay attempt per order (the
`order.paid` job the relay workers ran; "read model" below), however many times Kafka
redelivered. The orders are unknown to the TikTok sandbox, so each attempt ends in a recorded
failure rather than a Shopify order: what is counted is that it ran exactly once.
"""

import asyncio
import json
import random
import threading
import time
from collections.abc import Callable

import asyncpg
import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.sandboxes import Merchant
from connector_devstack.services import ServiceProcess
from connector_devstack.topics import read_all
from tiktok_shop.signing import webhook_signature

pytestmark = pytest.mark.e2e

EVENTS = 1_000
KILLS = 4
# The stream lasts ~10 s, longer than four kill-and-restart cycles, so kills land mid-stream.
PACE = 0.01
APP_KEY, APP_SECRET = "sandbox-app-key", "sandbox-app-secret"


def webhook(shop_id: str, order_id: str) -> tuple[bytes, dict[str, str]]:
    """A signed AWAITING_SHIPMENT webhook for one order."""
    body = json.dumps(
        {
            "type": 1,
            "tts_notification_id": f"n-{order_id}",
            "shop_id": shop_id,
            "timestamp": 1_760_000_000,
            "data": {
                "order_id": order_id,
                "order_status": "AWAITING_SHIPMENT",
                "is_on_hold_order": False,
                "update_time": 1_760_000_000,
            },
        }
    ).encode()
    return body, {"Authorization": webhook_signature(APP_KEY, APP_SECRET, body)}


def send_webhooks(
    base_url: str, shop_id: str, order_ids: list[str], pace: float, failures: list[str]
) -> None:
    """Deliver every webhook at a steady pace (gateway stays up: only the consumer crashes)."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        for order_id in order_ids:
            body, headers = webhook(shop_id, order_id)
            response = http.post("/webhooks/tiktok", content=body, headers=headers)
            if response.status_code != 200:
                failures.append(f"{order_id}: {response.status_code}")
            time.sleep(pace)


async def effects(infra: Infra) -> dict[str, int]:
    """Count what landed in PostgreSQL."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        return dict(
            await conn.fetchrow("""
            WITH mine AS (  -- this test's orders only (the run's database is shared)
              SELECT * FROM order_relay.orders
              WHERE tiktok_order_id >= '576000000000000000'
                AND tiktok_order_id < '576000000000001000')
            SELECT
              (SELECT count(*) FROM mine WHERE paid) AS relay_paid_orders,
              (SELECT count(DISTINCT paid_event_id) FROM mine) AS paid_event_ids,
              (SELECT count(*) FROM mine WHERE relay_attempts > 0) AS read_model_paid,
              (SELECT count(*) FROM mine WHERE relay_attempts > 1) AS duplicated,
              (SELECT coalesce(sum(relay_attempts), 0) FROM mine) AS paid_applied,
              (SELECT coalesce(sum(redeliveries), 0) FROM order_relay.inbox) AS relay_dedup,
              (SELECT coalesce(sum(redeliveries), 0) FROM gateway.inbox) AS gateway_dedup
        """)
        )
    finally:
        await conn.close()


async def progress(infra: Infra) -> int:
    """Orders order-relay has committed so far."""
    conn = await asyncpg.connect(infra.database_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM order_relay.orders"
                " WHERE tiktok_order_id >= '576000000000000000'"
                " AND tiktok_order_id < '576000000000001000'"
            )
        )
    finally:
        await conn.close()


def test_thousand_events_survive_repeated_sigkills_exactly_once(
    infra: Infra,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    rng = random.Random(20261128)
    gateway = start_service("gateway")
    relay = start_service("order-relay")
    merchant = connect_merchant(gateway)

    order_ids = [str(576_000_000_000_000_000 + i) for i in range(EVENTS)]
    failures: list[str] = []
    sender = threading.Thread(
        target=send_webhooks, args=(gateway.url, merchant.tiktok_shop_id, order_ids, PACE, failures)
    )
    sender.start()
    # Random points in the stream, chosen by progress so every kill lands mid-processing.
    kill_points = sorted(rng.sample(range(50, EVENTS - 50), KILLS))
    kills, progress_at_kill = 0, []
    for point in kill_points:
        done = asyncio.run(progress(infra))
        while done < point:
            time.sleep(0.005)
            done = asyncio.run(progress(infra))
        relay.kill()
        kills += 1
        progress_at_kill.append(done)
        relay.start()
    sender.join()
    assert failures == []

    deadline = time.monotonic() + 180
    counts = asyncio.run(effects(infra))
    while counts["read_model_paid"] < EVENTS and time.monotonic() < deadline:
        time.sleep(0.5)
        counts = asyncio.run(effects(infra))
    on_topic = asyncio.run(
        read_all(
            infra.broker.bootstrap_servers, f"{infra.prefix}order.paid", at_least=EVENTS, within=60
        )
    )
    mine = set(order_ids)  # the run's topics are shared with the other tests
    on_topic = [r for r in on_topic if json.loads(r.value)["payload"]["tiktok_order_id"] in mine]
    ids_on_topic = {json.loads(r.value)["event_id"] for r in on_topic}

    print(
        f"\n[crash-test] events sent: {EVENTS}, SIGKILLs of order-relay: {kills} "
        f"(process starts: {relay.starts}); orders done at each kill: {progress_at_kill}"
    )
    print(
        f"[crash-test] effects: orders paid in order-relay={counts['relay_paid_orders']}, "
        f"order.paid event ids={counts['paid_event_ids']}, "
        f"orders the relay acted on={counts['read_model_paid']}, relay attempts={counts['paid_applied']}, "
        f"duplicated={counts['duplicated']}, lost={EVENTS - counts['read_model_paid']}"
    )
    print(
        f"[crash-test] order.paid records on the topic: {len(on_topic)} "
        f"({len(on_topic) - len(ids_on_topic)} republished by the outbox relay after a kill)"
    )
    print(
        f"[crash-test] redeliveries deduplicated by the inbox: order-relay="
        f"{counts['relay_dedup']}, gateway={counts['gateway_dedup']}"
    )

    assert kills >= 3
    assert counts["relay_paid_orders"] == EVENTS
    assert counts["paid_event_ids"] == EVENTS
    assert len(ids_on_topic) == EVENTS
    assert counts["read_model_paid"] == EVENTS
    assert counts["paid_applied"] == EVENTS
    assert counts["duplicated"] == 0
