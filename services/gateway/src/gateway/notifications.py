"""Email notifications from the events the gateway consumes (ADR 0830): each handler asks the
pure core whether the event is worth a mail, then queues it durably (`queue_mail`) to the
account's addresses in the transaction that applies the event, once per dedupe key.
Push/publish failures wait in a digest per connection, mailed by a `notification-digest` work
item at the end of its window, and so do Brazil packages needing an invoice (an
`invoice-digest` item, ADR 0842); TikTok grants and Shopify refresh tokens about to end are
looked for by a periodic job (ADR 0843)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog
from connector_contracts import (
    ConnectionChanged,
    Envelope,
    OrderInvoicesNeeded,
    OrderOversold,
    OrderRelayFailed,
    TaskChanged,
)
from connector_runtime import work
from connector_runtime.consumer import EventRouter, Handler
from connector_runtime.db import Connection
from connector_runtime.jobs import PeriodicJob
from connector_runtime.outbox import Effects

from gateway import notification_store as store
from gateway.core.notifications import (
    EXPIRY_REMINDERS,
    Notice,
    addressed,
    authorization_issues,
    digest_entry,
    digest_notice,
    expiring_notice,
    expiry_reminder,
    invoice_digest_notice,
    invoice_entries,
    order_failed_notice,
    oversold_notice,
    revoked_notices,
    shopify_expiring_notice,
)
from gateway.mail import queue_mail
from gateway.metrics import NOTIFICATIONS
from gateway.platforms import Deps
from gateway.settings import GatewaySettings

log = structlog.get_logger()

DIGEST = "notification-digest"
INVOICE_DIGEST = "invoice-digest"


async def notify(conn: Connection, connection_id: str, account_id: str, notice: Notice) -> str:
    """Queue `notice` to the account's addresses unless mailed already; returns the outcome."""
    recipients = await store.recipients_of(conn, account_id)
    mails = addressed(notice, recipients)
    if not recipients.enabled:
        outcome = "off"
    elif not mails:
        outcome = "no_recipients"
    elif not await store.note_sent(
        conn, notice.key, account_id, connection_id, notice.kind, len(mails)
    ):
        outcome = "duplicate"
    else:
        for mail in mails:
            await queue_mail(conn, mail)
        outcome = "queued"
    NOTIFICATIONS.labels(notice.kind.value, outcome).inc()
    log.info(
        "notification." + outcome, kind=notice.kind.value, key=notice.key,
        connection_id=connection_id, account_id=account_id, recipients=len(mails),
    )  # fmt: skip
    return outcome


async def _notify_connection(conn: Connection, connection_id: str, notice: Notice) -> None:
    owner = await store.connection_owner(conn, connection_id)
    if owner is None:
        log.warning("notification.unknown_connection", connection_id=connection_id)
        return
    await notify(conn, connection_id, owner[0], notice)


async def on_relay_failed(envelope: Envelope[OrderRelayFailed], fx: Effects) -> None:
    """An order that failed after its retries."""
    owner = await store.connection_owner(fx.conn, envelope.connection_id)
    notice = order_failed_notice(
        envelope.connection_id, owner[1] if owner else "", envelope.payload
    )
    if notice is not None and owner is not None:
        await notify(fx.conn, envelope.connection_id, owner[0], notice)


async def on_oversold(envelope: Envelope[OrderOversold], fx: Effects) -> None:
    """TikTok cancelled an order for lack of stock."""
    owner = await store.connection_owner(fx.conn, envelope.connection_id)
    if owner is not None:
        notice = oversold_notice(envelope.connection_id, owner[1], envelope.payload)
        await notify(fx.conn, envelope.connection_id, owner[0], notice)


async def on_connection_changed(envelope: Envelope[ConnectionChanged], fx: Effects) -> None:
    """A platform authorization revoked or refused: mailed when the problem appears."""
    c = envelope.payload
    revision, already = await store.standing_problems(fx.conn, c.connection_id)
    if c.revision <= revision:
        return  # stale or repeated: the newer state decided already
    for notice in revoked_notices(c, already):
        await _notify_connection(fx.conn, c.connection_id, notice)
    await store.save_problems(fx.conn, c.connection_id, c.revision, set(authorization_issues(c)))


async def _open_window(
    conn: Connection, settings: GatewaySettings, kind: str, connection_id: str
) -> None:
    """The connection's digest of `kind`, due at the end of its window. Kept as queued: a
    steady stream of entries must not postpone the digest for ever."""
    await work.queue(
        conn, kind, connection_id,
        delay_seconds=settings.notification_digest_seconds, replace_existing=False,
    )  # fmt: skip


def on_task_changed(settings: GatewaySettings) -> Handler:
    """A finished push/publish task with failures joins its connection's digest."""

    async def handle(envelope: Envelope[TaskChanged], fx: Effects) -> None:
        entry = digest_entry(envelope.payload, envelope.occurred_at)
        if entry is None or not await store.add_digest_entry(
            fx.conn, envelope.connection_id, entry
        ):
            return
        await _open_window(fx.conn, settings, DIGEST, envelope.connection_id)
        log.info(
            "notification.digest_noted", connection_id=envelope.connection_id,
            task_id=entry.task_id, failed=entry.failed,
        )  # fmt: skip

    return handle


def on_invoices_needed(settings: GatewaySettings) -> Handler:
    """Packages that need an invoice join their connection's invoice digest (ADR 0842)."""

    async def handle(envelope: Envelope[OrderInvoicesNeeded], fx: Effects) -> None:
        entries = invoice_entries(envelope.payload)
        if not await store.add_invoice_entries(fx.conn, envelope.connection_id, entries):
            return
        await _open_window(fx.conn, settings, INVOICE_DIGEST, envelope.connection_id)
        log.info(
            "notification.invoices_noted", connection_id=envelope.connection_id,
            tiktok_order_id=envelope.payload.tiktok_order_id, packages=len(entries),
        )  # fmt: skip

    return handle


async def send_invoice_digest(_runtime: Any, conn: Connection, item: work.WorkItem) -> None:
    """Mail every package of the connection `item.key` waiting for an invoice as one digest."""
    entries = await store.take_invoice_entries(conn, item.key)
    await _mail_digest(
        conn, item, lambda name: invoice_digest_notice(item.key, name, str(item.id), entries)
    )


async def send_digest(_runtime: Any, conn: Connection, item: work.WorkItem) -> None:
    """Mail every waiting push/publish failure of the connection `item.key` as one digest."""
    entries = await store.take_digest_entries(conn, item.key)
    await _mail_digest(
        conn, item, lambda name: digest_notice(item.key, name, str(item.id), entries)
    )


async def _mail_digest(
    conn: Connection, item: work.WorkItem, notice_of: Callable[[str], Notice | None]
) -> None:
    """Mail the digest of the connection `item.key` (`notice_of` its display name)."""
    owner = await store.connection_owner(conn, item.key)
    notice = notice_of(owner[1] if owner else "")
    if notice is not None and owner is not None:
        await notify(conn, item.key, owner[0], notice)


def digest_workers() -> list[work.Worker]:
    """The workers mailing the digests (push/publish failures, invoices needed) as their
    windows end."""
    return [
        work.Worker(kind=DIGEST, run=send_digest, poll_seconds=5.0),
        work.Worker(kind=INVOICE_DIGEST, run=send_invoice_digest, poll_seconds=5.0),
    ]


async def remind_expiring(runtime: Any) -> None:
    """Mail the reminders due for TikTok grants and Shopify refresh tokens about to end (each
    reminder once per end: the dedupe key holds it)."""
    deps: Deps = runtime.deps
    now = deps.now()
    async with deps.pool.acquire() as db:
        ending = await store.grants_ending_before(db, now + max(EXPIRY_REMINDERS))
        for connection_id, name, shop_id, region, ends_at in ending:
            await _remind(db, now, connection_id, name, shop_id, region, ends_at)
        shopify = await store.shopify_grants_ending_before(db, now + max(EXPIRY_REMINDERS))
        for connection_id, name, domain, ends_at in shopify:
            lead = expiry_reminder(ends_at, now)
            if lead is not None:
                async with db.transaction():
                    notice = shopify_expiring_notice(connection_id, name, domain, ends_at, lead)
                    await _notify_connection(db, connection_id, notice)


async def _remind(
    db: Connection, now: datetime, connection_id: str, name: str, shop_id: str, region: str,
    ends_at: datetime,
) -> None:  # fmt: skip
    lead = expiry_reminder(ends_at, now)
    if lead is None:
        return
    async with db.transaction():
        notice = expiring_notice(connection_id, name, shop_id, region, ends_at, lead)
        await _notify_connection(db, connection_id, notice)


EXPIRY_REMINDER_JOB = PeriodicJob(
    name="authorization-expiry",
    interval_seconds=lambda settings: settings.notification_expiry_check_seconds,
    run=remind_expiring,
)


def track_notifications(router: EventRouter, settings: GatewaySettings) -> EventRouter:
    """Add the notifications to the gateway's router: after the handler an event type already
    has (one subscription per type), in the same transaction."""
    _also(router, ConnectionChanged, on_connection_changed)
    _also(router, OrderRelayFailed, on_relay_failed)
    _also(router, OrderOversold, on_oversold)
    _also(router, OrderInvoicesNeeded, on_invoices_needed(settings))
    _also(router, TaskChanged, on_task_changed(settings))
    return router


def _also(router: EventRouter, event: type[Any], handler: Handler) -> None:
    route = next((r for r in router.routes if r.event is event), None)
    if route is None:
        router.on(event)(handler)
        return
    first = route.handler

    async def both(envelope: Envelope[Any], fx: Effects) -> None:
        await first(envelope, fx)
        await handler(envelope, fx)

    route.handler = both
