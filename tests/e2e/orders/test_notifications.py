"""Email notifications end to end (issue 12, ADR 0830): the gateway and order-relay as
processes, both sandboxes, and the devstack's SMTP server. The settings are the bootstrap
account's (login is off here), so every test sets its own addresses first."""

import asyncio
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import asyncpg
import httpx
import pytest
from connector_contracts import ItemOutcome, ReasonCount, TaskChanged, TaskStatus, new_envelope
from connector_devstack.accounts import create_owner
from connector_devstack.infra import Infra
from connector_devstack.mailbox import Mailbox, text_of
from connector_devstack.polling import poll
from connector_devstack.relay_stack import RelayStack, start_relay_stack
from connector_devstack.sandboxes import Sandboxes
from connector_devstack.topics import produce

from .conftest import RELAY_ENV, Shop

pytestmark = pytest.mark.e2e

# Long enough for the test's six records to be read within one window.
DIGEST_SECONDS = 5


@pytest.fixture(scope="module")
def stack(
    infra: Infra, sandboxes: Sandboxes, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RelayStack]:
    """Gateway and order-relay whose mail goes to the devstack's SMTP server, retried quickly,
    with push failures gathered for a couple of seconds."""
    common = {
        **mailbox.smtp_env(),
        "MAIL_RETRY_MIN_SECONDS": "0.2",
        "MAIL_RETRY_MAX_SECONDS": "1",
        "NOTIFICATION_DIGEST_SECONDS": str(DIGEST_SECONDS),
        "NOTIFICATION_EXPIRY_CHECK_SECONDS": "1",
    }
    running = start_relay_stack(
        infra, sandboxes, tmp_path_factory.mktemp("notification-services"),
        relay_env=RELAY_ENV, common_env=common,
    )  # fmt: skip
    try:
        yield running
    finally:
        running.stop()


def address(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}@example.com"


def settings_url(stack: RelayStack) -> str:
    return f"{stack.gateway.url}/api/v1/notifications/settings"


def send_to(stack: RelayStack, *emails: str, enabled: bool = True) -> None:
    body = {"enabled": enabled, "send_emails_to": list(emails)}
    response = httpx.put(settings_url(stack), json=body, timeout=30)
    assert response.status_code == 200, response.text


def about(mailbox: Mailbox, email: str, text: str) -> list[str]:
    """The subjects of the mail to `email` that mention `text`."""
    return [
        str(m["Subject"])
        for m in mailbox.messages_to(email)
        if text in str(m["Subject"]) or text in text_of(m)
    ]


def notified(stack: RelayStack, kind: str, outcome: str) -> float:
    """The gateway's count of notifications of `kind` with `outcome`."""
    metrics = httpx.get(f"{stack.gateway.url}/metrics", timeout=30).text
    pattern = rf'^connector_notifications_total\{{kind="{kind}",outcome="{outcome}"\}} (\S+)$'
    found = re.search(pattern, metrics, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def connection_name(shop: Shop) -> str:
    """The connection's display name, as the mail names it."""
    view = httpx.get(f"{shop.api}/connections/{shop.merchant.connection_id}", timeout=30)
    return str(view.raise_for_status().json()["name"])


def test_the_settings_start_on_with_the_owners_address_and_are_validated(
    stack: RelayStack,
) -> None:
    owner = address("owner")
    assert create_owner(stack.gateway, owner).returncode == 0  # joins the bootstrap account
    first = httpx.get(settings_url(stack), timeout=30)
    assert first.status_code == 200, first.text
    assert first.json() == {"enabled": True, "send_emails_to": [owner]}
    six = [address(f"r{i}") for i in range(6)]
    refused = httpx.put(settings_url(stack), json={"enabled": True, "send_emails_to": six})
    assert refused.status_code == 422
    assert "at most 5 addresses, not 6" in refused.text
    bad = httpx.put(settings_url(stack), json={"enabled": True, "send_emails_to": ["nobody"]})
    assert bad.status_code == 422
    assert "'nobody' is not an email address" in bad.text
    assert httpx.get(settings_url(stack), timeout=30).json()["send_emails_to"] == [owner]
    five = [address(f"r{i}") for i in range(5)]
    send_to(stack, *five)
    assert httpx.get(settings_url(stack), timeout=30).json()["send_emails_to"] == five


def test_an_order_failing_after_its_retries_mails_every_configured_address(
    shop: Shop, mailbox: Mailbox
) -> None:
    ops, owner = address("ops"), address("boss")
    send_to(shop.stack, ops, owner)
    shop.put_settings(retry_orders=True).raise_for_status()
    order_id = shop.place({"sku_id": "1729592969712207000", "price": "5.00"})
    shop.wait_order(order_id, lambda o: o["relay_attempts"] == 4 and o["next_retry_at"] is None)
    for email in (ops, owner):
        poll(lambda e=email: about(mailbox, e, order_id), lambda got: len(got) >= 1, 60)
        (mail,) = [m for m in mailbox.messages_to(email) if order_id in str(m["Subject"])]
        assert mail["Subject"] == f"TikTok order {order_id} was not created in Shopify"
        assert "after 4 attempt(s)" in text_of(mail)
        assert "contains unsynced products" in text_of(mail)  # the merchant-readable reason


def test_an_oversold_cancellation_is_mailed_with_its_products(shop: Shop, mailbox: Mailbox) -> None:
    email = address("oversold")
    send_to(shop.stack, email)
    order_id = shop.place({"variant": 0, "quantity": 1})
    shop.wait_order(order_id, lambda o: o.get("relay_state") == "relayed")
    shop.buyer_cancels(order_id, role="SYSTEM", reason="ecom_order_system_cancel_out_of_stock")
    (mail,) = poll(lambda: about(mailbox, email, order_id), lambda got: len(got) >= 1, 60)
    assert mail == f"TikTok order {order_id} was cancelled: out of stock"
    (message,) = mailbox.messages_to(email)
    assert shop.variants[0].sku in text_of(message)


def test_a_revoked_authorization_is_mailed_once(shop: Shop, mailbox: Mailbox) -> None:
    email = address("revoked")
    send_to(shop.stack, email)
    merchant = shop.merchant
    httpx.post(
        f"{shop.stack.sandboxes.shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/uninstall",
        json={"client_id": "sandbox-client-id"},
    ).raise_for_status()
    got = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 1, 60)
    name = connection_name(shop)
    assert [str(m["Subject"]) for m in got] == [f"Authorize {name} again: syncing has stopped"]
    assert "The connection was disconnected" in text_of(got[0])


def push_failed(task_id: str, products: list[str], reason: str) -> TaskChanged:
    """A push task's last state as catalog-sync publishes it."""
    now = datetime.now(UTC)
    return TaskChanged(
        task_id=task_id, sequence=2, service="catalog-sync", type="push",
        summary="Push products to TikTok Shop", status=TaskStatus.COMPLETED, done=0,
        total=len(products), failed=len(products), started_at=now, finished_at=now,
        reasons=[ReasonCount(reason=reason, count=len(products))],
        items=[ItemOutcome(item_id=p, status="sync_failed", reason=reason) for p in products],
    )  # fmt: skip


def test_push_failures_of_several_tasks_are_one_digest_mail(shop: Shop, mailbox: Mailbox) -> None:
    email = address("digest")
    send_to(shop.stack, email)
    infra = shop.stack.infra
    topic = f"{infra.prefix}{TaskChanged.topic()}"
    tasks = [
        push_failed(f"task-{uuid.uuid4().hex[:6]}", [f"gid://shopify/Product/{n}{i}" for i in range(3)], reason)
        for n, reason in enumerate(["Brand is required", "Brand is required", "Main image is missing"])
    ]  # fmt: skip

    async def publish() -> None:
        for task in tasks:
            envelope = new_envelope(task, connection_id=shop.merchant.connection_id)
            body = envelope.model_dump_json().encode()
            await produce(infra.broker.bootstrap_servers, topic, body, key=task.task_id.encode())
            # Delivered twice, as a redelivery would: still counted once.
            await produce(infra.broker.bootstrap_servers, topic, body, key=task.task_id.encode())

    asyncio.run(publish())
    (mail,) = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 1, 60)
    name = connection_name(shop)
    assert mail["Subject"] == f"9 product(s) of {name} failed to reach TikTok Shop"
    text = text_of(mail)
    assert "- Brand is required (6)" in text
    assert "- Main image is missing (3)" in text
    assert text.count("- product ") == 9
    # The next digest's window has passed once another one arrives; the first stays one mail.
    later = push_failed(f"task-{uuid.uuid4().hex[:6]}", ["gid://shopify/Product/late"], "Late")
    late = new_envelope(later, connection_id=shop.merchant.connection_id)
    asyncio.run(
        produce(infra.broker.bootstrap_servers, topic, late.model_dump_json().encode(), key=b"late")
    )
    got = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 2, 60)
    assert len(got) == 2
    assert "Late (1)" in text_of(got[1])
    assert "Brand" not in text_of(got[1])


def test_notifications_off_mail_nothing(shop: Shop, mailbox: Mailbox) -> None:
    email = address("off")
    send_to(shop.stack, email, enabled=False)
    before = notified(shop.stack, "order_oversold", "off")
    order_id = shop.place({"variant": 0, "quantity": 1})
    shop.wait_order(order_id, lambda o: o.get("relay_state") == "relayed")
    shop.buyer_cancels(order_id, role="SYSTEM", reason="ecom_order_system_cancel_out_of_stock")
    poll(lambda: notified(shop.stack, "order_oversold", "off"), lambda n: n > before, 60)
    assert mailbox.messages_to(email) == []


def in_gateway(shop: Shop, sql: str, *args: object) -> None:
    """Run `sql` in the gateway's schema (`{schema}`), the connection id as `$1`."""
    schema = shop.stack.gateway.env.get("DB_SCHEMA", "gateway")

    async def run() -> None:
        conn = await asyncpg.connect(shop.stack.infra.database_url)
        try:
            await conn.execute(sql.format(schema=schema), shop.merchant.connection_id, *args)
        finally:
            await conn.close()

    asyncio.run(run())


def grant_ends_in(shop: Shop, days: int) -> None:
    """Make the TikTok grant of the shop end in `days` days, as a seller granting a short
    authorization would (the gateway keeps its end beside the refresh token)."""
    in_gateway(
        shop,
        "UPDATE {schema}.shop_secrets SET refresh_expires_at = now() + make_interval(days => $3)"
        " WHERE connection_id = $1 AND tiktok_shop_id = $2",
        shop.merchant.tiktok_shop_id,
        days,
    )


def test_a_tiktok_grant_ending_soon_is_reminded_30_and_3_days_ahead(
    shop: Shop, mailbox: Mailbox
) -> None:
    email = address("expiring")
    send_to(shop.stack, email)
    grant_ends_in(shop, 10)
    (first,) = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 1, 60)
    name, region = connection_name(shop), shop.merchant.region
    assert first["Subject"] == f"The TikTok authorization of {name} ({region}) ends within 30 days"
    assert "Authorize the app again" in text_of(first)
    grant_ends_in(shop, 2)
    got = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 2, 60)
    assert [str(m["Subject"]) for m in got] == [
        f"The TikTok authorization of {name} ({region}) ends within 30 days",
        f"The TikTok authorization of {name} ({region}) ends within 3 days",
    ]


def relayed(order: dict[str, object]) -> bool:
    return order.get("relay_state") == "relayed"


def test_brazil_packages_needing_invoices_are_one_digest_mail(
    brazil_shop: Shop, mailbox: Mailbox
) -> None:
    """Guide "Email Notification": invoices needed, as a digest (ADR 0842): two orders, three
    packages, one mail; a package TikTok adds later is the next digest's, alone."""
    shop, email = brazil_shop, address("invoices")
    send_to(shop.stack, email)
    split = shop.place(
        {"variant": 0, "quantity": 1}, {"variant": 1, "quantity": 1}, packages=[[0], [1]]
    )
    single = shop.place({"variant": 0, "quantity": 1})
    for order_id in (split, single):
        shop.wait_order(order_id, relayed)
    packages = {o: [p["id"] for p in shop.tiktok_order(o)["packages"]] for o in (split, single)}
    (mail,) = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 1, 60)
    name = connection_name(shop)
    assert mail["Subject"] == f"3 package(s) of {name} need an invoice"
    text = text_of(mail)
    assert f"of 2 TikTok order(s) of {name} (BR)" in text
    for order_id, ids in packages.items():
        assert f"- order {order_id}: package(s) {', '.join(sorted(ids))}" in text
    # TikTok combines the two orders' packages: only the new package is mailed, once.
    combined = shop.http.post(
        f"{shop.tiktok}/packages/combine", json={"order_ids": [split, single]}
    )
    package = combined.raise_for_status().json()["package_id"]
    got = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 2, 60)
    assert got[1]["Subject"] == f"2 package(s) of {name} need an invoice"
    assert f"- order {split}: package(s) {package}" in text_of(got[1])
    assert f"- order {single}: package(s) {package}" in text_of(got[1])
    assert len(mailbox.messages_to(email)) == 2


def shopify_grant_ends_in(shop: Shop, days: int) -> None:
    """Make the Shopify refresh token of the connection end in `days` days, as a store whose
    expiring offline token's refresh token nears its end would."""
    in_gateway(
        shop,
        "UPDATE {schema}.connection_secrets SET shopify_refresh_expires_at ="
        " now() + make_interval(days => $2) WHERE connection_id = $1",
        days,
    )


def test_a_shopify_authorization_ending_soon_is_reminded_once_per_lead(
    shop: Shop, mailbox: Mailbox
) -> None:
    email = address("shopify-expiring")
    send_to(shop.stack, email)
    shopify_grant_ends_in(shop, 12)
    (first,) = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 1, 60)
    name = connection_name(shop)
    assert first["Subject"] == f"The Shopify authorization of {name} ends within 30 days"
    assert shop.merchant.shopify_shop_domain in text_of(first)
    # Later checks (every second here) find the same end: deduplicated, not mailed again.
    repeated = notified(shop.stack, "authorization_expiring", "duplicate")
    poll(
        lambda: notified(shop.stack, "authorization_expiring", "duplicate"),
        lambda n: n >= repeated + 2,
        60,
    )
    assert len(mailbox.messages_to(email)) == 1
    shopify_grant_ends_in(shop, 2)
    got = poll(lambda: mailbox.messages_to(email), lambda m: len(m) >= 2, 60)
    assert [str(m["Subject"]) for m in got] == [
        f"The Shopify authorization of {name} ends within 30 days",
        f"The Shopify authorization of {name} ends within 3 days",
    ]
