"""Which event is worth a notification, its dedupe key, the recipients' rules and the digest of
push/publish failures (pure, ADR 0830)."""

from datetime import UTC, datetime, timedelta

from connector_contracts import (
    ConnectionChanged,
    ConnectionStatus,
    ItemOutcome,
    OrderInvoicesNeeded,
    OrderOversold,
    OrderRelayFailed,
    OversoldProduct,
    ReasonCount,
    ShopStatus,
    TaskChanged,
    TaskStatus,
    TikTokShopGrant,
)
from gateway.core.notifications import (
    DIGEST_ITEM_LINES,
    EXPIRY_REMINDERS,
    MAX_RECIPIENTS,
    Notice,
    NoticeKind,
    Recipients,
    addressed,
    authorization_issues,
    digest_entry,
    digest_notice,
    expiry_reminder,
    invoice_digest_notice,
    invoice_entries,
    order_failed_notice,
    oversold_notice,
    recipient_problems,
    revoked_notices,
    shopify_expiring_notice,
)
from hypothesis import given
from hypothesis import strategies as st

T = datetime(2027, 1, 1, tzinfo=UTC)


def failed(attempt: int, retry_at: datetime | None) -> OrderRelayFailed:
    return OrderRelayFailed(
        tiktok_order_id="576", reason="The order contains unsynced products.",
        code="unsynced_products", attempt=attempt, next_retry_at=retry_at, region="US",
    )  # fmt: skip


@given(st.integers(min_value=1, max_value=10), st.booleans())
def test_only_a_relay_failure_with_no_retry_left_is_notified(attempt: int, retrying: bool) -> None:
    notice = order_failed_notice("c1", "My store", failed(attempt, T if retrying else None))
    if retrying:
        assert notice is None
    else:
        assert notice is not None
        assert notice.kind is NoticeKind.ORDER_FAILED
        assert "The order contains unsynced products." in notice.text
        assert "My store (US)" in notice.text


def test_the_same_failure_has_one_key_and_another_final_failure_another() -> None:
    first = order_failed_notice("c1", "S", failed(4, None))
    again = order_failed_notice("c1", "S", failed(4, None))
    later = order_failed_notice("c1", "S", failed(5, None))
    assert first
    assert again
    assert later
    assert first.key == again.key != later.key


def test_an_oversold_notice_names_every_product_and_one_key_per_order() -> None:
    products = [
        OversoldProduct(tiktok_product_id="p1", tiktok_sku_id="s1", seller_sku="RED-M",
                        product_name="Red shirt"),
        OversoldProduct(tiktok_product_id="p2", tiktok_sku_id="s2"),
    ]  # fmt: skip
    notice = oversold_notice("c1", "S", OrderOversold(tiktok_order_id="9", products=products))
    assert "Red shirt (SKU RED-M)" in notice.text
    assert "p2 (SKU s2)" in notice.text
    assert (
        notice.key
        == oversold_notice("c1", "S", OrderOversold(tiktok_order_id="9", products=[])).key
    )


emails = st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.(com|org)", fullmatch=True)


@given(st.lists(emails, max_size=MAX_RECIPIENTS, unique=True))
def test_up_to_five_distinct_addresses_are_accepted(listed: list[str]) -> None:
    assert recipient_problems(listed) == []


@given(st.lists(emails, min_size=MAX_RECIPIENTS + 1, max_size=12, unique=True))
def test_more_than_five_addresses_are_refused_with_a_reason(listed: list[str]) -> None:
    assert recipient_problems(listed) == [f"at most 5 addresses, not {len(listed)}"]


def test_malformed_and_repeated_addresses_are_named() -> None:
    problems = recipient_problems(["a@b.com", "A@B.com", "nobody", "x@y", "sp ace@b.com"])
    assert problems == [
        "A@B.com is listed twice",
        "'nobody' is not an email address",
        "'x@y' is not an email address",
        "'sp ace@b.com' is not an email address",
    ]


@given(st.booleans(), st.lists(emails, max_size=MAX_RECIPIENTS, unique=True))
def test_a_notice_is_one_mail_per_address_and_none_when_off(on: bool, listed: list[str]) -> None:
    notice = Notice(kind=NoticeKind.ORDER_OVERSOLD, key="k", subject="s", text="t")
    mails = addressed(notice, Recipients(enabled=on, emails=tuple(listed)))
    assert [m.to for m in mails] == (listed if on else [])
    assert {m.kind for m in mails} <= {"order_oversold"}


def grant(shop_id: str, status: ShopStatus, problem: str | None = None) -> TikTokShopGrant:
    token = "sealed" if status is ShopStatus.AUTHORIZED else None
    return TikTokShopGrant(
        shop_id=shop_id, region=shop_id.upper(), cipher="c", access_token=token, status=status,
        authorization_problem=problem,
    )  # fmt: skip


def connection(revision: int, *shops: TikTokShopGrant, **fields: object) -> ConnectionChanged:
    values: dict[str, object] = {
        "connection_id": "c1", "revision": revision, "name": "S", "status": "active",
        "shopify_shop_domain": "s.myshopify.com", "shopify_access_token": "sealed",
        "tiktok_region": "US", "tiktok_shops": list(shops), **fields,
    }  # fmt: skip
    return ConnectionChanged.model_validate(values)


def test_revoked_grants_are_notified_when_they_appear_and_not_while_they_stand() -> None:
    ok = connection(1, grant("us", ShopStatus.AUTHORIZED), grant("gb", ShopStatus.AUTHORIZED))
    assert revoked_notices(ok, set()) == []
    refused = connection(
        2, grant("us", ShopStatus.AUTHORIZED),
        grant("gb", ShopStatus.NEEDS_REAUTHORIZATION, "TikTok refused the refresh."),
    )  # fmt: skip
    (notice,) = revoked_notices(refused, set(authorization_issues(ok)))
    assert "TikTok refused the refresh." in notice.text
    assert revoked_notices(refused, set(authorization_issues(refused))) == []
    gone = connection(3, grant("us", ShopStatus.DEAUTHORIZED), status=ConnectionStatus.DISCONNECTED)
    (disconnected,) = revoked_notices(gone, set(authorization_issues(refused)))
    assert "disconnected" in disconnected.text


def test_shopify_refusing_its_refresh_is_an_issue_of_its_own() -> None:
    c = connection(
        2, grant("us", ShopStatus.AUTHORIZED), shopify_access_token=None,
        authorization_problem="Shopify no longer accepts this connection's authorization.",
    )  # fmt: skip
    assert set(authorization_issues(c)) == {"shopify"}


@given(st.integers(min_value=-5 * 86_400, max_value=60 * 86_400))
def test_an_expiry_reminder_is_the_nearest_lead_time_the_grant_is_within(left: int) -> None:
    lead = expiry_reminder(T + timedelta(seconds=left), T)
    if left <= 0 or timedelta(seconds=left) > max(EXPIRY_REMINDERS):
        assert lead is None
    else:
        assert lead is not None
        assert timedelta(seconds=left) <= lead
        assert all(lead <= other for other in EXPIRY_REMINDERS if timedelta(seconds=left) <= other)


def task(task_id: str, kind: str, status: TaskStatus, failed: int, **fields: object) -> TaskChanged:
    return TaskChanged(
        task_id=task_id, sequence=3, service="catalog-sync", type=kind, summary="Push products",
        status=status, done=1, total=1 + failed, failed=failed, started_at=T, **fields,
    )  # fmt: skip


@given(
    st.sampled_from(["push", "global", "pull", "csv", "link"]),
    st.sampled_from(list(TaskStatus)),
    st.integers(min_value=0, max_value=3),
)
def test_only_finished_push_or_publish_tasks_with_failures_join_a_digest(
    kind: str, status: TaskStatus, failures: int
) -> None:
    entry = digest_entry(task("t", kind, status, failures), T)
    expected = (
        kind in {"push", "global"}
        and status is not TaskStatus.RUNNING
        and (failures > 0 or status is TaskStatus.ERROR)
    )
    assert (entry is not None) == expected


@given(
    st.lists(
        st.tuples(st.integers(1, 30), st.sampled_from(["No brand", "No image"])),
        min_size=1,
        max_size=8,
    )
)
def test_a_digest_is_one_notice_counting_every_failure_by_reason(
    tasks: list[tuple[int, str]],
) -> None:
    entries = []
    for n, (count, reason) in enumerate(tasks):
        items = [
            ItemOutcome(item_id=f"p{n}-{i}", status="sync_failed", reason=reason)
            for i in range(min(count, 20))
        ]
        changed = task(f"t{n}", "push", TaskStatus.COMPLETED, count,
                       reasons=[ReasonCount(reason=reason, count=count)], items=items)  # fmt: skip
        entry = digest_entry(changed, T)
        assert entry is not None
        entries.append(entry)
    notice = digest_notice("c1", "S", "w1", entries)
    assert notice is not None
    assert notice.kind is NoticeKind.PUSH_FAILURES
    total = sum(count for count, _ in tasks)
    assert notice.subject.startswith(f"{total} product(s)")
    for reason in {r for _, r in tasks}:
        assert f"- {reason} ({sum(c for c, r in tasks if r == reason)})" in notice.text
    assert notice.text.count("- product ") <= 20


def test_an_empty_digest_mails_nothing() -> None:
    assert digest_notice("c1", "S", "w1", []) is None


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.lists(st.integers(0, 3), min_size=1, max_size=3)),
        min_size=1,
        max_size=30,
    )
)
def test_packages_needing_an_invoice_are_one_digest_naming_orders_and_packages(
    orders: list[tuple[int, list[int]]],
) -> None:
    entries = [
        entry
        for order, packages in orders
        for entry in invoice_entries(
            OrderInvoicesNeeded(
                tiktok_order_id=f"o{order}",
                tiktok_shop_id="br1",
                region="BR",
                package_ids=[f"pk{order}-{p}" for p in packages],
            )
        )
    ]
    distinct = {(e.tiktok_order_id, e.package_id) for e in entries}
    notice = invoice_digest_notice("c1", "Loja", "w7", list(dict.fromkeys(entries)))
    assert notice is not None
    assert notice.kind is NoticeKind.INVOICES_NEEDED
    assert notice.key == "invoices_needed:c1:w7"
    assert notice.subject == f"{len(distinct)} package(s) of Loja need an invoice"
    order_ids = sorted({o for o, _ in distinct})
    assert f"of {len(order_ids)} TikTok order(s) of Loja (BR)" in notice.text
    named = order_ids[:DIGEST_ITEM_LINES]
    assert notice.text.count("- order ") == len(named)
    for order in named:
        line = next(x for x in notice.text.splitlines() if x.startswith(f"- order {order}:"))
        assert all(p in line for o, p in distinct if o == order)
    if len(order_ids) > DIGEST_ITEM_LINES:
        assert f"... and {len(order_ids) - DIGEST_ITEM_LINES} more order(s)" in notice.text


def test_an_empty_invoice_digest_mails_nothing_and_repeated_packages_count_once() -> None:
    assert invoice_digest_notice("c1", "S", "w1", []) is None
    twice = OrderInvoicesNeeded(
        tiktok_order_id="o1", tiktok_shop_id="br1", package_ids=["p1", "p1", "p2"]
    )
    assert [e.package_id for e in invoice_entries(twice)] == ["p1", "p2"]


def test_a_shopify_grant_end_is_one_reminder_per_lead_and_end_day() -> None:
    ends = T + timedelta(days=20)
    first = shopify_expiring_notice("c1", "S", "s.myshopify.com", ends, timedelta(days=30))
    # A refresh recounting the same lifetime moves the end by seconds: the same reminder.
    again = shopify_expiring_notice(
        "c1", "S", "s.myshopify.com", ends + timedelta(seconds=40), timedelta(days=30)
    )
    last = shopify_expiring_notice("c1", "S", "s.myshopify.com", ends, timedelta(days=3))
    assert first.key == again.key != last.key
    assert first.kind is NoticeKind.AUTHORIZATION_EXPIRING
    assert first.subject == "The Shopify authorization of S ends within 30 days"
    assert "s.myshopify.com" in first.text
    assert "authorize Shopify again" in first.text
