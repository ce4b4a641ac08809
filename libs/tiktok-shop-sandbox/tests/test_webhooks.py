"""Webhook delivery: retries like the platform, and duplicate/drop chaos on demand (A8)."""

from tiktok_shop_sandbox.control_client import SandboxControl
from tiktok_shop_sandbox.harness import WebhookReceiver, client_for

LINE = {"sku_id": "1729592969712207012", "price": "10.00"}


async def test_failed_deliveries_are_retried_until_acknowledged(control: SandboxControl) -> None:
    hooks = WebhookReceiver(fail_first=2)
    with hooks.serve() as url:
        shop = await control.new_shop(f"{url}/webhooks")
        await control.place_order(shop.shop_id, lines=[LINE])
        got = await hooks.wait_for(lambda got: len(got) == 3)
        deliveries = (await control.deliveries(shop.shop_id))["deliveries"]
    assert len({h.body for h in got}) == 1
    assert [(d["attempt"], d["status"]) for d in deliveries] == [(1, 500), (2, 500), (3, 200)]


async def test_delivery_gives_up_after_four_retries(control: SandboxControl) -> None:
    hooks = WebhookReceiver(fail_first=100)
    with hooks.serve() as url:
        shop = await control.new_shop(f"{url}/webhooks")
        await control.place_order(shop.shop_id, lines=[LINE])
        await hooks.wait_for(lambda got: len(got) == 5)
        deliveries = (await control.deliveries(shop.shop_id))["deliveries"]
    assert [d["attempt"] for d in deliveries] == [1, 2, 3, 4, 5]


async def test_per_shop_subscription_overrides_the_app_url(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(None)
    await control.set_app_webhook(shop.app_key, url)
    await control.place_order(shop.shop_id, lines=[LINE])
    [hook] = await hooks.wait_for(lambda got: len(got) == 1)
    assert b'"type":1' in hook.body


async def test_duplicate_chaos_delivers_the_same_notification_twice(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(url)
    await control.set_webhook_chaos(duplicate_probability=1.0)
    try:
        await control.place_order(shop.shop_id, lines=[LINE])
        got = await hooks.wait_for(lambda got: len(got) == 2)
    finally:
        await control.set_webhook_chaos()
    ids = [b["tts_notification_id"] for b in hooks.bodies()]
    assert len(got) == 2
    assert ids[0] == ids[1]


async def test_drop_chaos_loses_notifications_but_records_them(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(url)
    await control.set_webhook_chaos(drop_probability=1.0)
    try:
        placed = await control.place_order(shop.shop_id, lines=[LINE])
    finally:
        await control.set_webhook_chaos()
    dropped = (await control.deliveries())["dropped"]
    assert any(d["data"]["order_id"] == placed["id"] for d in dropped)
    assert hooks.received == []


async def test_deauthorization_sends_type_6_and_revokes_tokens(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(url)
    await control.deauthorize(shop.shop_id)
    await hooks.wait_for(lambda got: len(got) == 1)
    assert hooks.bodies()[0]["type"] == 6


async def test_reorder_chaos_lets_a_later_notification_overtake(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(url)
    await control.set_webhook_chaos(reorder_probability=1.0, reorder_delay_seconds=0.5)
    try:
        held = await control.place_order(shop.shop_id, lines=[LINE])
    finally:
        await control.set_webhook_chaos()
    overtaking = await control.place_order(shop.shop_id, lines=[LINE])
    await hooks.wait_for(lambda got: len(got) == 2)
    arrived = [b["data"]["order_id"] for b in hooks.bodies()]
    assert arrived == [overtaking["id"], held["id"]]


async def test_event_api_subscription_is_listed_used_and_deleted(
    control: SandboxControl, receiver: tuple[WebhookReceiver, str], sandbox_url: str
) -> None:
    hooks, url = receiver
    shop = await control.new_shop(None)
    async with client_for(sandbox_url, shop) as client:
        await client.webhooks.update("ORDER_STATUS_CHANGE", url)
        listed = await client.webhooks.list()
        await control.place_order(shop.shop_id, lines=[LINE])
        await hooks.wait_for(lambda got: len(got) == 1)
        await client.webhooks.delete("ORDER_STATUS_CHANGE")
        after = await client.webhooks.list()
    assert [(w.event_type, w.address) for w in listed] == [("ORDER_STATUS_CHANGE", url)]
    assert after == []
