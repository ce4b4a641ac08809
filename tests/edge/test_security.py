"""The API's security, driven by the OpenAPI documents of the gateway and of the services it
routes to, on one stack with login enforced (ADR 0800, 0810, 0820): every operation needs
credentials; another account's ids are 404 and change nothing; the services refuse requests
the gateway did not sign; admins cannot manage users; revoked tokens, cross-site form posts,
password guessing and oversized webhooks are refused; fuzzing the logged-in API finds no 5xx."""

import asyncio
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from connector_connections.caller import INLINE_CONNECTIONS
from connector_devstack.accounts import browser_headers, create_owner, login, session_of
from connector_devstack.identity import GatewayIdentity
from connector_devstack.infra import Infra
from connector_devstack.linked_catalog import seed_linked_catalog
from connector_devstack.mailbox import Mailbox, text_of
from connector_devstack.polling import poll
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync
from connector_devstack.services import SERVICES, ServiceProcess

pytestmark = pytest.mark.e2e

Headers = dict[str, str]
# Operations anyone may call: logging in, and following or asking for a mailed link.
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("POST", "/api/v1/auth/accept-invitation"),
}
METHODS = ("get", "post", "put", "patch", "delete")
# Bodies valid for any id, where `{}` would be a 422 before the id is looked up.
BODIES = {("PATCH", "/api/v1/users/{user_id}"): {"name": "Bob's now"}}
# Multipart operations get a well-formed upload: the ownership check, not validation, answers.
FILES = {
    ("POST", "/api/v1/order-invoices/{tiktok_order_id}/{package_id}"): {
        "file": ("invoice.xml", b"<nfeProc/>", "application/xml")
    }
}
# Bounded like test_openapi_fuzz: a few examples per operation, every document.
MAX_EXAMPLES = "3"


@dataclass(frozen=True)
class Operation:
    """One documented `/api/v1` operation."""

    service: str
    method: str
    path: str
    query: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Owned:
    """An account's owner credentials and what it has: its ids by path parameter name."""

    email: str
    token: Headers
    ids: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def gateway(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """A gateway enforcing login (the default outside the devstack's development mode);
    failures count for an hour so the lockout test does not race the clock."""
    return start_module_service(
        "gateway",
        gateway_require_login="true",
        connector_environment="production",
        login_window_seconds="3600",
        login_lockout_seconds="3600",
    )


@pytest.fixture(scope="module")
def services(
    gateway: ServiceProcess, start_module_service: ServiceStarter
) -> dict[str, ServiceProcess]:
    others = start_module_service.start_all(s.name for s in SERVICES if s.name != "gateway")
    return {"gateway": gateway, **others}


def documented(services: dict[str, ServiceProcess]) -> list[Operation]:
    """Every `/api/v1` operation of every OpenAPI document (the services' are routed)."""
    found = []
    for name, service in services.items():
        document = httpx.get(f"{service.url}/openapi.json", timeout=30).json()
        for path, item in document["paths"].items():
            if not path.startswith("/api/v1/"):
                continue
            for method in METHODS:
                if method in item:
                    params = item[method].get("parameters", [])
                    query = tuple(p["name"] for p in params if p["in"] == "query")
                    found.append(Operation(name, method.upper(), path, query))
    return found


def new_owner(gateway: ServiceProcess, kind: str) -> Owned:
    email = f"{kind}-{uuid.uuid4().hex[:8]}@example.com"
    assert create_owner(gateway, email).returncode == 0
    browser = browser_headers(login(gateway, email))
    made = httpx.post(
        f"{gateway.url}/api/v1/auth/tokens", json={"name": kind}, headers=browser, timeout=30
    )
    assert made.status_code == 201, made.text
    return Owned(email, {"Authorization": f"Bearer {made.json()['token']}"})


def api(gateway: ServiceProcess, owner: Owned, method: str, path: str, **kw: Any) -> httpx.Response:
    return httpx.request(method, f"{gateway.url}{path}", headers=owner.token, timeout=60, **kw)


def until_ok(gateway: ServiceProcess, owner: Owned, path: str) -> Any:
    """Poll a GET as `owner` until it is 200 (a replica catching up); its JSON."""
    answer = poll(
        lambda: api(gateway, owner, "GET", path), lambda r: r.status_code == 200, timeout=120
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def alice(
    services: dict[str, ServiceProcess], gateway: ServiceProcess, sandboxes: Sandboxes
) -> Owned:
    """The first owner (the bootstrap account) with a connection, an order, and a task of
    each kind: the ids account B is about to try."""
    owner = new_owner(gateway, "alice")
    suffix = uuid.uuid4().hex[:8]
    merchant = connect_merchant_sync(
        gateway.url,
        sandboxes,
        name=f"Alice {suffix}",
        shopify_shop_domain=f"alice-{suffix}.myshopify.com",
        headers=owner.token,
    )
    cid, shop = merchant.connection_id, merchant.tiktok_shop_id
    for path in (
        f"/api/v1/order-settings/{cid}",
        f"/api/v1/catalog/{cid}/settings",
        f"/api/v1/inventory/{cid}/settings",
        f"/api/v1/pricing/{cid}/regions/{shop}",
    ):
        until_ok(gateway, owner, path)
    me = until_ok(gateway, owner, "/api/v1/auth/me")
    token_id = until_ok(gateway, owner, "/api/v1/auth/tokens")[0]["token_id"]
    owner.ids = {
        "connection_id": cid,
        "tiktok_shop_id": shop,
        "region": merchant.region,
        "user_id": me["user_id"],
        "token_id": token_id,
        "tiktok_order_id": _order(gateway, sandboxes, owner, merchant),
        "catalog_task": _task(gateway, owner, "POST", f"/api/v1/catalog/{cid}/pull", json={}),
        "sync_task": _task(gateway, owner, "POST", "/api/v1/order-syncs", json=_window(cid)),
        "pricing_task": _task(
            gateway, owner, "POST", f"/api/v1/pricing/{cid}/regions/{shop}/refresh"
        ),
    }
    return owner


def _window(connection_id: str) -> dict[str, str]:
    now = datetime.now(UTC)
    start = (now - timedelta(days=1)).isoformat()
    return {"connection_id": connection_id, "created_from": start, "created_to": now.isoformat()}


def _task(gateway: ServiceProcess, owner: Owned, method: str, path: str, **kw: Any) -> str:
    started = api(gateway, owner, method, path, **kw)
    assert started.status_code in (200, 202), started.text
    return str(started.json()["task_id"])


def _order(gateway: ServiceProcess, sandboxes: Sandboxes, owner: Owned, merchant: Merchant) -> str:
    """A paid TikTok order of the merchant (for a SKU Shopify does not know: it fails, which
    makes it retryable)."""
    paid = (
        httpx.post(
            f"{sandboxes.tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}/orders",
            json={
                "status": "AWAITING_SHIPMENT",
                "lines": [{"sku_id": "404", "seller_sku": "NOPE", "price": "9.99"}],
            },
            timeout=30,
        )
        .raise_for_status()
        .json()
    )
    until_ok(gateway, owner, f"/api/v1/orders/{paid['id']}")
    return str(paid["id"])


@pytest.fixture(scope="module")
def bob(gateway: ServiceProcess, alice: Owned) -> Owned:
    """Another owner: an account of its own, with nothing in it."""
    return new_owner(gateway, "bob")


def concrete(operation: Operation, ids: dict[str, str]) -> str:
    """The operation's path with the owner's ids (the task id of the operation's service)."""
    task = {"catalog-sync": "catalog_task", "price-promotions": "pricing_task"}.get(
        operation.service, "sync_task"
    )
    if operation.path.startswith("/api/v1/tasks/"):  # the gateway's task list: catalog's too
        task = "catalog_task"
    known = {**ids, "task_id": ids[task]}
    return re.sub(r"\{(\w+)\}", lambda m: known.get(m.group(1), "x"), operation.path)


def test_every_operation_without_credentials_is_401_and_a_service_refuses_unsigned_calls(
    services: dict[str, ServiceProcess], gateway: ServiceProcess, alice: Owned
) -> None:
    operations = [o for o in documented(services) if (o.method, o.path) not in PUBLIC]
    assert len(operations) > 60  # the whole API, not a few routes
    wrong = {}
    for operation in operations:
        path = concrete(operation, alice.ids)
        anonymous = httpx.request(operation.method, f"{gateway.url}{path}", json={}, timeout=60)
        if anonymous.status_code != 401:
            wrong[str(operation)] = anonymous.status_code
        if operation.service != "gateway":  # straight to the service, past the gateway
            direct = httpx.request(
                operation.method, f"{services[operation.service].url}{path}", json={}, timeout=60
            )
            if direct.status_code != 401:
                wrong[f"{operation} at {operation.service}"] = direct.status_code
    assert wrong == {}


def snapshot(gateway: ServiceProcess, owner: Owned) -> dict[str, Any]:
    """What account A sees of its own things (what B's calls must leave as it is)."""
    cid, shop = owner.ids["connection_id"], owner.ids["tiktok_shop_id"]
    paths = [
        f"/api/v1/connections/{cid}",
        f"/api/v1/order-settings/{cid}",
        f"/api/v1/catalog/{cid}/settings",
        f"/api/v1/inventory/{cid}/settings",
        f"/api/v1/pricing/{cid}/regions/{shop}",
        "/api/v1/users",
        "/api/v1/auth/tokens",
    ]
    seen = {p: api(gateway, owner, "GET", p).json() for p in paths}
    for token in seen["/api/v1/auth/tokens"]:
        token.pop("last_used_at")  # A's own snapshot uses it
    order = api(gateway, owner, "GET", f"/api/v1/orders/{owner.ids['tiktok_order_id']}").json()
    seen["order history"] = [h["kind"] for h in order["history"] if h["kind"] == "retry"]
    return seen


def test_account_b_gets_404_for_every_id_of_account_a_and_changes_nothing(
    services: dict[str, ServiceProcess], gateway: ServiceProcess, alice: Owned, bob: Owned
) -> None:
    before = snapshot(gateway, alice)
    scoped = [
        o
        for o in documented(services)
        if (o.method, o.path) not in PUBLIC and ("{" in o.path or "connection_id" in o.query)
    ]
    scoped = [o for o in scoped if not o.path.startswith("/api/v1/auth/tokens")] + [
        o
        for o in scoped
        if o.path.startswith("/api/v1/auth/tokens")  # B's token last
    ]
    wrong = {}
    for operation in scoped:
        path = concrete(operation, alice.ids)
        params = {"connection_id": alice.ids["connection_id"]} if operation.query else {}
        params = params if "connection_id" in operation.query else {}
        key = (operation.method, operation.path)
        payload: dict[str, Any] = (
            {"files": FILES[key]} if key in FILES else {"json": BODIES.get(key, {})}
        )
        answer = api(gateway, bob, operation.method, path, params=params, **payload)
        if answer.status_code != 404:
            wrong[str(operation)] = (answer.status_code, answer.text[:200])
    assert wrong == {}
    assert snapshot(gateway, alice) == before


def test_lists_without_a_connection_hold_only_the_callers(
    gateway: ServiceProcess, alice: Owned, bob: Owned
) -> None:
    cid, order = alice.ids["connection_id"], alice.ids["tiktok_order_id"]
    assert cid in {
        c["connection_id"] for c in api(gateway, alice, "GET", "/api/v1/connections").json()
    }
    assert api(gateway, bob, "GET", "/api/v1/connections").json() == []
    mine = api(gateway, alice, "GET", "/api/v1/orders").json()["orders"]
    assert order in {o["tiktok_order_id"] for o in mine}
    theirs = api(gateway, bob, "GET", "/api/v1/orders").json()
    assert theirs["orders"] == []
    assert theirs["counts"]["total"] == 0
    for path in ("/api/v1/order-alerts/oversold", "/api/v1/order-alerts/address-changes"):
        assert api(gateway, bob, "GET", path).json() == []


def test_a_sync_or_settings_for_a_connection_that_does_not_exist_is_404(
    gateway: ServiceProcess, alice: Owned
) -> None:
    assert (
        api(gateway, alice, "POST", "/api/v1/order-syncs", json=_window("nope")).status_code == 404
    )
    assert api(gateway, alice, "GET", "/api/v1/order-settings/nope").status_code == 404
    assert api(gateway, alice, "PUT", "/api/v1/order-settings/nope", json={}).status_code == 404


def test_a_signature_for_another_request_or_account_gets_nothing(
    services: dict[str, ServiceProcess], alice: Owned
) -> None:
    relay, cid = services["order-relay"].url, alice.ids["connection_id"]
    other = GatewayIdentity(["conn_other"], account_id="other")
    assert httpx.get(f"{relay}/api/v1/order-settings/{cid}", auth=other).status_code == 404
    mine = GatewayIdentity([cid])
    assert httpx.get(f"{relay}/api/v1/order-settings/{cid}", auth=mine).status_code == 200
    signed = httpx.Request("GET", f"{relay}/api/v1/order-settings/{cid}")
    header = next(mine.auth_flow(signed)).headers["x-connector-identity"]
    replayed = httpx.put(
        f"{relay}/api/v1/order-settings/{cid}", json={}, headers={"X-Connector-Identity": header}
    )
    assert replayed.status_code == 403
    tampered = header[:-2] + ("AA" if not header.endswith("AA") else "BB")
    forged = {"X-Connector-Identity": tampered}
    assert httpx.get(f"{relay}/api/v1/order-settings/{cid}", headers=forged).status_code == 401


def test_an_admin_cannot_manage_users_nor_delete_a_connection(
    gateway: ServiceProcess, mailbox: Mailbox, alice: Owned
) -> None:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    invited = api(gateway, alice, "POST", "/api/v1/users", json={"name": "Ada", "email": email})
    assert invited.status_code == 201, invited.text
    (mail,) = mailbox.wait_for(email)
    token = re.search(r"/accept-invitation\?token=([A-Za-z0-9_-]+)", text_of(mail))
    assert token, text_of(mail)
    accepted = httpx.post(
        f"{gateway.url}/api/v1/auth/accept-invitation",
        json={"token": token.group(1), "password": "an admin's own passphrase"},
        timeout=30,
    )
    assert accepted.status_code == 204, accepted.text
    admin = browser_headers(login(gateway, email, "an admin's own passphrase"))
    users = f"{gateway.url}/api/v1/users"
    owner_id, cid = alice.ids["user_id"], alice.ids["connection_id"]
    assert httpx.get(users, headers=admin).status_code == 200  # it may look
    new = {"name": "Eve", "email": f"eve-{uuid.uuid4().hex[:8]}@example.com"}
    assert httpx.post(users, json=new, headers=admin).status_code == 403
    assert httpx.patch(f"{users}/{owner_id}", json={"name": "X"}, headers=admin).status_code == 403
    assert httpx.delete(f"{users}/{owner_id}", headers=admin).status_code == 403
    gone = httpx.delete(f"{gateway.url}/api/v1/connections/{cid}", headers=admin)
    assert gone.status_code == 403
    # ... and operates the connector.
    settings = httpx.get(f"{gateway.url}/api/v1/order-settings/{cid}", headers=admin)
    assert settings.status_code == 200
    assert api(gateway, alice, "GET", f"/api/v1/connections/{cid}").json()["status"] == "active"


def test_a_revoked_token_is_401_on_a_routed_operation_too(gateway: ServiceProcess) -> None:
    owner = new_owner(gateway, "revoker")
    assert api(gateway, owner, "GET", "/api/v1/orders").status_code == 200
    [token] = api(gateway, owner, "GET", "/api/v1/auth/tokens").json()
    revoked = api(gateway, owner, "DELETE", f"/api/v1/auth/tokens/{token['token_id']}")
    assert revoked.status_code == 204, revoked.text
    assert api(gateway, owner, "GET", "/api/v1/orders").status_code == 401
    assert api(gateway, owner, "GET", "/api/v1/connections").status_code == 401


def test_a_cross_site_form_post_with_the_session_cookie_is_refused(
    gateway: ServiceProcess, alice: Owned
) -> None:
    session, _ = session_of(login(gateway, alice.email))
    form = httpx.post(
        f"{gateway.url}/api/v1/connections",
        content=b"name=Evil&shopify_shop_domain=evil.myshopify.com&tiktok_region=US",
        headers={
            "Cookie": f"__Host-session={session}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": "https://evil.example",
        },
        timeout=30,
    )
    assert form.status_code == 403, form.text
    names = {c["name"] for c in api(gateway, alice, "GET", "/api/v1/connections").json()}
    assert "Evil" not in names


def test_the_eleventh_wrong_password_in_a_minute_is_429(gateway: ServiceProcess) -> None:
    email = f"guessed-{uuid.uuid4().hex[:8]}@example.com"
    assert create_owner(gateway, email).returncode == 0
    answers = [login(gateway, email, f"wrong guess number {n}").status_code for n in range(11)]
    assert answers == [401] * 10 + [429]


def test_a_2_mb_webhook_is_413(gateway: ServiceProcess) -> None:
    body = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    for platform in ("shopify", "tiktok"):
        answer = httpx.post(f"{gateway.url}/webhooks/{platform}", content=body, timeout=60)
        assert answer.status_code == 413, platform


# Rows a removed connection keeps on purpose (ADR 0841): its replica row, the tombstone, and
# the gateway's record of what was mailed about it (a late event mails nothing again).
KEPT_AFTER_REMOVAL = {"connections", "notifications_sent", "notification_authorizations"}
# What the removal test makes before it deletes (so the purge has something to purge).
FILLED_BEFORE_REMOVAL = (
    "gateway.task_list",
    "catalog-sync.products",
    "catalog-sync.tasks",
    "order-relay.orders",
    "order-relay.sku_links",
    "inventory-guard.skus",
    "price-promotions.price_tasks",
)


def rows_by_table(
    infra: Infra, services: dict[str, ServiceProcess], connection_id: str
) -> dict[str, int]:
    """`service.table` -> rows about the connection, over every table of every service's
    schema that has a `connection_id` column."""

    async def count() -> dict[str, int]:
        db = await asyncpg.connect(infra.database_url)
        try:
            found = {}
            for name, service in services.items():
                schema = service.env.get("DB_SCHEMA", name.replace("-", "_"))
                tables = await db.fetch(
                    "SELECT table_name FROM information_schema.columns WHERE table_schema = $1"
                    " AND column_name = 'connection_id'",
                    schema,
                )
                for t in tables:
                    found[f"{name}.{t[0]}"] = await db.fetchval(
                        f'SELECT count(*) FROM "{schema}"."{t[0]}" WHERE connection_id = $1',
                        connection_id,
                    )
            return found
        finally:
            await db.close()

    return asyncio.run(count())


def purged(rows: dict[str, int]) -> dict[str, int]:
    """The tables still holding rows that a removal must purge."""
    return {t: n for t, n in rows.items() if n and t.split(".")[1] not in KEPT_AFTER_REMOVAL}


def test_an_owner_deletes_a_connection_every_service_purges_it_and_no_one_sees_it_again(
    gateway: ServiceProcess,
    services: dict[str, ServiceProcess],
    sandboxes: Sandboxes,
    infra: Infra,
) -> None:
    owner = new_owner(gateway, "leaver")
    suffix = uuid.uuid4().hex[:8]
    domain = f"leaver-{suffix}.myshopify.com"
    merchant = connect_merchant_sync(
        gateway.url, sandboxes, name="Leaver", shopify_shop_domain=domain, headers=owner.token
    )
    cid, shop = merchant.connection_id, merchant.tiktok_shop_id
    until_ok(gateway, owner, f"/api/v1/order-settings/{cid}")
    # Something of the connection in every service: a linked product (its stock and price
    # links), a pulled catalog, an order, tasks, settings.
    seed_linked_catalog(infra, sandboxes.shopify_url, merchant, variants=1, stock=3)
    _task(gateway, owner, "POST", f"/api/v1/catalog/{cid}/pull", json={})
    _task(gateway, owner, "POST", f"/api/v1/pricing/{cid}/regions/{shop}/refresh")
    _order(gateway, sandboxes, owner, merchant)
    for path in (f"/api/v1/catalog/{cid}/settings", f"/api/v1/inventory/{cid}/settings"):
        until_ok(gateway, owner, path)
    before = poll(
        lambda: rows_by_table(infra, services, cid),
        lambda rows: all(rows.get(t, 0) > 0 for t in FILLED_BEFORE_REMOVAL),
        timeout=120,
    )
    assert {t.split(".")[0] for t in purged(before)} == set(services), before

    assert api(gateway, owner, "DELETE", f"/api/v1/connections/{cid}").status_code == 204
    after = poll(lambda: rows_by_table(infra, services, cid), lambda r: not purged(r), 120)
    assert purged(after) == {}, after
    # Each service keeps the tombstone: disconnected, tokenless, of no account.
    assert all(after[f"{name}.connections"] == 1 for name in services), after
    assert api(gateway, owner, "GET", f"/api/v1/connections/{cid}").status_code == 404
    assert api(gateway, owner, "GET", f"/api/v1/order-settings/{cid}").status_code == 404
    assert api(gateway, owner, "GET", "/api/v1/connections").json() == []
    assert api(gateway, owner, "DELETE", f"/api/v1/connections/{cid}").status_code == 404
    # The store is free for a new connection.
    again = api(
        gateway,
        owner,
        "POST",
        "/api/v1/connections",
        json={"name": "Again", "shopify_shop_domain": domain, "tiktok_region": "US"},
    )
    assert again.status_code == 201, again.text


def test_an_account_past_the_inline_limit_is_scoped_by_the_services_replicas(
    gateway: ServiceProcess,
    services: dict[str, ServiceProcess],
    sandboxes: Sandboxes,
    alice: Owned,
) -> None:
    """ADR 0840: more connections than the header carries; the services find the account's
    connections in their replicas, and still nothing of another account."""
    owner = new_owner(gateway, "large")
    merchant = connect_merchant_sync(
        gateway.url, sandboxes, name="Large", headers=owner.token,
        shopify_shop_domain=f"large-{uuid.uuid4().hex[:8]}.myshopify.com",
    )  # fmt: skip
    for n in range(INLINE_CONNECTIONS):
        made = api(gateway, owner, "POST", "/api/v1/connections", json={
            "name": f"Large {n}", "tiktok_region": "US",
            "shopify_shop_domain": f"large-{n}-{uuid.uuid4().hex[:8]}.myshopify.com",
        })  # fmt: skip
        assert made.status_code == 201, made.text
    listed = api(gateway, owner, "GET", "/api/v1/connections").json()
    assert len(listed) == INLINE_CONNECTIONS + 1
    cid = merchant.connection_id
    # Through the gateway: its header names no connection, the service's replica does.
    assert until_ok(gateway, owner, f"/api/v1/order-settings/{cid}")
    orders = api(gateway, owner, "GET", "/api/v1/orders")
    assert orders.status_code == 200, orders.text
    assert orders.json()["orders"] == []  # not alice's order
    # Straight to the service, signed as the gateway signs a large account.
    me = until_ok(gateway, owner, "/api/v1/auth/me")
    ids = [c["connection_id"] for c in listed]
    signed = GatewayIdentity(ids, account_id=me["account_id"])
    relay = services["order-relay"].url
    mine = httpx.get(f"{relay}/api/v1/order-settings/{cid}", auth=signed, timeout=30)
    assert mine.status_code == 200, mine.text
    theirs = alice.ids["connection_id"]
    other = httpx.get(f"{relay}/api/v1/order-settings/{theirs}", auth=signed, timeout=30)
    assert other.status_code == 404, other.text
    order = httpx.get(f"{relay}/api/v1/orders/{alice.ids['tiktok_order_id']}", auth=signed)
    assert order.status_code == 404, order.text
    # A connection in the query is checked by the service too (its caller check), not only the gateway.
    invoices = f"{relay}/api/v1/order-invoices"
    listed_invoices = httpx.get(invoices, params={"connection_id": theirs}, auth=signed)
    assert listed_invoices.status_code == 404, listed_invoices.text
    upload = {"files": ("x.xml", b"<nfeProc/>", "application/xml")}
    bulk = httpx.post(
        f"{invoices}/bulk", params={"connection_id": theirs}, files=upload, auth=signed
    )
    assert bulk.status_code == 404, bulk.text


@pytest.mark.parametrize("name", [s.name for s in SERVICES])
def test_fuzzing_the_logged_in_api_finds_no_server_error(
    services: dict[str, ServiceProcess],
    gateway: ServiceProcess,
    bob: Owned,
    name: str,
    tmp_path: Path,
    schemathesis_config: Path,
) -> None:
    # As B (an account with nothing): the fuzzer's deletes and retries cannot undo A's
    # fixtures, and every call goes through the gateway's login, signature and scoping.
    result = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(schemathesis_config)),
            "run",
            f"{services[name].url}/openapi.json",
            *("--url", gateway.url, "--header", f"Authorization:{bob.token['Authorization']}"),
            *("--include-path-regex", "^/api/v1/", "--exclude-path-regex", "^/api/v1/auth/"),
            *("--checks", "not_a_server_error", "--max-examples", MAX_EXAMPLES),
            *("--phases", "examples,coverage,fuzzing", "--workers", "1", "--seed", "13"),
            *("--no-shrink", "--generation-database", "none", "--request-timeout", "60"),
            *("--report-dir", str(tmp_path), "--no-color"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-20_000:]
