"""Email notifications, decided from the events the gateway consumes (pure: ADR 0830).

Which event is worth a mail, the key that makes a redelivered or repeated event mail once,
and the merchant-readable text; push/publish failures are gathered into one digest per
connection and window instead of one mail per product.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    OrderInvoicesNeeded,
    OrderOversold,
    OrderRelayFailed,
    ShopStatus,
    TaskChanged,
    TaskStatus,
)
from pydantic import BaseModel, ConfigDict

from gateway.core.credentials import looks_like_email
from gateway.core.mail import Mail

# The guide's "Send Emails To": up to five addresses.
MAX_RECIPIENTS = 5
# Catalog tasks whose failures are push/publish failures (a pull or a CSV edit is not).
DIGESTED_TASKS = frozenset({"push", "global"})
# Reminders before a TikTok grant's end: TikTok's own warning starts 30 days ahead; the last
# reminder leaves a few days to authorize again (ADR 0830).
EXPIRY_REMINDERS = (timedelta(days=30), timedelta(days=3))
# How many failed products a digest names one by one (the rest are counted by reason).
DIGEST_ITEM_LINES = 20


class NoticeKind(StrEnum):
    """What a notification is about (the `kind` of its mail and metrics)."""

    ORDER_FAILED = "order_failed"
    ORDER_OVERSOLD = "order_oversold"
    AUTHORIZATION_REVOKED = "authorization_revoked"
    AUTHORIZATION_EXPIRING = "authorization_expiring"
    PUSH_FAILURES = "push_failures"
    INVOICES_NEEDED = "invoices_needed"


class Notice(BaseModel):
    """One notification for an account, before it is addressed: `key` dedupes it."""

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    key: str
    subject: str
    text: str


class Recipients(BaseModel):
    """An account's notification settings as they apply."""

    model_config = ConfigDict(frozen=True)

    enabled: bool
    emails: tuple[str, ...]


def addressed(notice: Notice, recipients: Recipients) -> list[Mail]:
    """The mails of a notice: one per configured address; none when notifications are off."""
    if not recipients.enabled:
        return []
    return [
        Mail(kind=notice.kind.value, to=email, subject=notice.subject, text=notice.text)
        for email in recipients.emails
    ]


def recipient_problems(emails: list[str]) -> list[str]:
    """Why a "Send emails to" list is refused, in the merchant's words (empty: accepted)."""
    problems = []
    if len(emails) > MAX_RECIPIENTS:
        problems.append(f"at most {MAX_RECIPIENTS} addresses, not {len(emails)}")
    seen: set[str] = set()
    for email in emails:
        if not looks_like_email(email):
            problems.append(f"{email!r} is not an email address")
        elif email.lower() in seen:
            problems.append(f"{email} is listed twice")
        seen.add(email.lower())
    return problems


def _where(connection_name: str, region: str | None) -> str:
    return f"{connection_name} ({region})" if region else connection_name


def order_failed_notice(
    connection_id: str, connection_name: str, failed: OrderRelayFailed
) -> Notice | None:
    """A relay that failed for good (no retry left) is worth a mail; one still retrying is not."""
    if failed.next_retry_at is not None:
        return None
    text = (
        f"TikTok order {failed.tiktok_order_id} of {_where(connection_name, failed.region)}"
        f" could not be created in Shopify after {failed.attempt} attempt(s).\n\n"
        f"Reason: {failed.reason}\n\n"
        "Fix the cause, then retry the order from the Orders page (Unsynced tab).\n"
    )
    return Notice(
        kind=NoticeKind.ORDER_FAILED,
        key=f"order_failed:{connection_id}:{failed.tiktok_order_id}:{failed.attempt}",
        subject=f"TikTok order {failed.tiktok_order_id} was not created in Shopify",
        text=text,
    )


def oversold_notice(connection_id: str, connection_name: str, oversold: OrderOversold) -> Notice:
    """TikTok cancelled an order for lack of stock: name the products to restock or take down."""
    products = "\n".join(
        f"- {p.product_name or p.tiktok_product_id} (SKU {p.seller_sku or p.tiktok_sku_id})"
        for p in oversold.products
    )
    text = (
        f"TikTok cancelled order {oversold.tiktok_order_id} of {connection_name} because a"
        f" product was out of stock:\n\n{products}\n\n"
        "Restock these products in Shopify or take them off TikTok Shop, so buyers cannot"
        " order what you cannot ship (oversold orders count against your shop's rating).\n"
    )
    return Notice(
        kind=NoticeKind.ORDER_OVERSOLD,
        key=f"order_oversold:{connection_id}:{oversold.tiktok_order_id}",
        subject=f"TikTok order {oversold.tiktok_order_id} was cancelled: out of stock",
        text=text,
    )


_DISCONNECTED = (
    "The connection was disconnected: the Shopify app was uninstalled or the TikTok seller"
    " deauthorized the app. Nothing syncs until you connect again."
)


def authorization_issues(c: ConnectionChanged) -> dict[str, str]:
    """The connection's standing authorization problems by what they concern: `connection`
    (disconnected), `shopify`, or `tiktok:<shop id>` (one region)."""
    if c.status is ConnectionStatus.DISCONNECTED:
        return {"connection": _DISCONNECTED}
    issues = {}
    if c.authorization_problem and c.shopify_access_token is None:
        issues["shopify"] = c.authorization_problem
    for shop in c.tiktok_shops:
        if shop.status is not ShopStatus.AUTHORIZED:
            issues[f"tiktok:{shop.shop_id}"] = shop.authorization_problem or (
                f"TikTok Shop no longer accepts the authorization of the {shop.region} shop."
                " Authorize it again to resume syncing this region."
            )
    return issues


def revoked_notices(c: ConnectionChanged, already: set[str]) -> list[Notice]:
    """A mail for each authorization problem not mailed yet (`already`: the problems standing
    at the last mail; one that cleared and comes back is mailed again)."""
    notices = []
    for target, problem in sorted(authorization_issues(c).items()):
        if target in already:
            continue
        notices.append(
            Notice(
                kind=NoticeKind.AUTHORIZATION_REVOKED,
                key=f"authorization_revoked:{c.connection_id}:{target}:{c.revision}",
                subject=f"Authorize {c.name} again: syncing has stopped",
                text=f"Connection {c.name} ({c.shopify_shop_domain}):\n\n{problem}\n",
            )
        )
    return notices


def expiry_reminder(expires_at: datetime, now: datetime) -> timedelta | None:
    """The reminder a grant ending at `expires_at` is due for now (the nearest lead time it
    is within), or None: not within any lead time yet, or already ended."""
    left = expires_at - now
    if left <= timedelta(0):
        return None
    within = [lead for lead in EXPIRY_REMINDERS if left <= lead]
    return min(within) if within else None


def expiring_notice(
    connection_id: str,
    connection_name: str,
    shop_id: str,
    region: str,
    expires_at: datetime,
    lead: timedelta,
) -> Notice:
    """A TikTok shop's authorization ends soon: the seller must authorize the app again."""
    text = (
        f"The TikTok Shop authorization of the {region} shop of {connection_name} ends on"
        f" {expires_at:%Y-%m-%d %H:%M} UTC. After that, nothing syncs for this region.\n\n"
        "Authorize the app again for this shop (Add Country/Region) before then.\n"
    )
    return Notice(
        kind=NoticeKind.AUTHORIZATION_EXPIRING,
        key=f"authorization_expiring:{connection_id}:{shop_id}:{expires_at:%Y%m%d%H%M}:{lead.days}",
        subject=f"The TikTok authorization of {connection_name} ({region}) ends within"
        f" {lead.days} days",
        text=text,
    )


def shopify_expiring_notice(
    connection_id: str, connection_name: str, shop_domain: str, expires_at: datetime,
    lead: timedelta,
) -> Notice:  # fmt: skip
    """A Shopify expiring offline token's refresh token ends soon: after it, nothing syncs
    until the merchant installs the app again. Keyed by the end's day: a refresh that moves
    the end by seconds (the lifetime counted again) is the same expiry, one reminder."""
    text = (
        f"The Shopify authorization of {connection_name} ({shop_domain}) ends on"
        f" {expires_at:%Y-%m-%d %H:%M} UTC. After that, nothing syncs with this store.\n\n"
        "Open the connection and authorize Shopify again before then.\n"
    )
    return Notice(
        kind=NoticeKind.AUTHORIZATION_EXPIRING,
        key=f"authorization_expiring:{connection_id}:shopify:{expires_at:%Y%m%d}:{lead.days}",
        subject=f"The Shopify authorization of {connection_name} ends within {lead.days} days",
        text=text,
    )


class InvoiceEntry(BaseModel):
    """A Brazil package waiting for its invoice, until its connection's digest is mailed."""

    model_config = ConfigDict(frozen=True)

    tiktok_order_id: str
    package_id: str
    region: str | None = None


def invoice_entries(needed: OrderInvoicesNeeded) -> list[InvoiceEntry]:
    """The digest entries of an `order.invoice.needed` event: one per package."""
    return [
        InvoiceEntry(tiktok_order_id=needed.tiktok_order_id, package_id=p, region=needed.region)
        for p in dict.fromkeys(needed.package_ids)
    ]


def invoice_digest_notice(
    connection_id: str, connection_name: str, window_key: str, entries: list[InvoiceEntry]
) -> Notice | None:
    """One mail for every package of a connection that started needing an invoice in a
    window: counted, the first orders named with their packages."""
    if not entries:
        return None
    packages: dict[str, list[str]] = {}
    for e in sorted(entries, key=lambda e: (e.tiktok_order_id, e.package_id)):
        packages.setdefault(e.tiktok_order_id, []).append(e.package_id)
    lines = "\n".join(
        f"- order {order}: package(s) {', '.join(ids)}"
        for order, ids in list(packages.items())[:DIGEST_ITEM_LINES]
    )
    more = len(packages) - DIGEST_ITEM_LINES
    regions = sorted({e.region for e in entries if e.region})
    where = _where(connection_name, ", ".join(regions) or None)
    text = (
        f"{len(entries)} package(s) of {len(packages)} TikTok order(s) of {where} need an"
        f" invoice before they can ship.\n\n{lines}"
        + (f"\n... and {more} more order(s)" if more > 0 else "")
        + "\n\nUpload each package's NF-e XML on the Orders page (Invoice Status: Need"
        " Invoice); a fulfilment waits until TikTok Shop verified its invoices.\n"
    )
    return Notice(
        kind=NoticeKind.INVOICES_NEEDED,
        key=f"invoices_needed:{connection_id}:{window_key}",
        subject=f"{len(entries)} package(s) of {connection_name} need an invoice",
        text=text,
    )


class DigestEntry(BaseModel):
    """One finished push/publish task's failures, waiting for its connection's digest."""

    model_config = ConfigDict(frozen=True)

    task_id: str
    summary: str
    region: str | None
    failed: int
    reasons: tuple[tuple[str, int], ...]
    items: tuple[tuple[str, str], ...]
    finished_at: datetime


def digest_entry(task: TaskChanged, finished_at: datetime) -> DigestEntry | None:
    """What a task adds to a digest: a finished push/publish with failures, else nothing."""
    ended_badly = task.status is TaskStatus.ERROR or task.failed > 0
    if task.type not in DIGESTED_TASKS or task.status is TaskStatus.RUNNING or not ended_badly:
        return None
    reasons = tuple((r.reason, r.count) for r in task.reasons)
    if not reasons and task.detail:
        reasons = ((task.detail, max(task.failed, 1)),)
    items = tuple((i.item_id, i.reason) for i in task.items if i.reason)
    return DigestEntry(
        task_id=task.task_id, summary=task.summary, region=task.region,
        failed=max(task.failed, 1 if task.status is TaskStatus.ERROR else 0),
        reasons=reasons, items=items, finished_at=task.finished_at or finished_at,
    )  # fmt: skip


def digest_notice(
    connection_id: str, connection_name: str, window_key: str, entries: list[DigestEntry]
) -> Notice | None:
    """One mail for every push/publish failure of a connection gathered in a window."""
    if not entries:
        return None
    failed = sum(e.failed for e in entries)
    by_reason: dict[str, int] = {}
    for entry in entries:
        for reason, count in entry.reasons:
            by_reason[reason] = by_reason.get(reason, 0) + count
    reasons = "\n".join(
        f"- {reason} ({count})"
        for reason, count in sorted(by_reason.items(), key=lambda rc: (-rc[1], rc[0]))
    )
    items = [
        (pid, why) for e in sorted(entries, key=lambda e: e.finished_at) for pid, why in e.items
    ]
    lines = "\n".join(f"- product {pid}: {why}" for pid, why in items[:DIGEST_ITEM_LINES])
    more = (
        f"\n... and {len(items) - DIGEST_ITEM_LINES} more" if len(items) > DIGEST_ITEM_LINES else ""
    )
    text = (
        f"{failed} product(s) of {connection_name} failed to push or publish to TikTok Shop"
        f" in {len(entries)} task(s).\n\nBy reason:\n{reasons}\n\n"
        + (f"Products:\n{lines}{more}\n\n" if lines else "")
        + "Fix the listing data, then push the products again from the Products page.\n"
    )
    return Notice(
        kind=NoticeKind.PUSH_FAILURES,
        key=f"push_failures:{connection_id}:{window_key}",
        subject=f"{failed} product(s) of {connection_name} failed to reach TikTok Shop",
        text=text,
    )
