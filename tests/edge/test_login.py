"""Accounts at the gateway: the first owner from the command line, login with a session cookie
and its CSRF token, personal API tokens, the login lockout, and `GATEWAY_REQUIRE_LOGIN`."""

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import asyncpg
import httpx
import pytest
from connector_connections.caller import IDENTITY_HEADER, Caller, sign_caller, verify_caller
from connector_devstack.accounts import SESSION_COOKIE as COOKIE
from connector_devstack.accounts import create_owner, login, session_of
from connector_devstack.infra import Infra
from connector_devstack.sandboxes import IDENTITY_KEY
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e


class Upstream(BaseHTTPRequestHandler):
    """A stand-in order-relay that answers 200 and keeps the headers each request arrived with."""

    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        Upstream.seen.append({k.lower(): v for k, v in self.headers.items()})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    """The URL of the stand-in order-relay the gateway routes `/api/v1/orders` to."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def gateway(start_module_service: Callable[..., ServiceProcess], upstream: str) -> ServiceProcess:
    """A gateway requiring a login on `/api/v1`; failures count for an hour, so the lockout
    test does not depend on how fast this machine checks ten passwords."""
    return start_module_service(
        "gateway",
        gateway_require_login="true",
        login_window_seconds="3600",
        login_lockout_seconds="3600",
        order_relay_url=upstream,
    )


@pytest.fixture(scope="module")
def owner(gateway: ServiceProcess) -> str:
    """The email of an owner made with `python -m gateway create-owner`."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    result = create_owner(gateway, email)
    assert result.returncode == 0, result.stderr
    assert f"created owner {email}" in result.stdout
    return email


def audit_actions(gateway: ServiceProcess, infra: Infra, actor: str) -> list[str]:
    schema = gateway.env.get("DB_SCHEMA", "gateway")

    async def read() -> list[str]:
        conn = await asyncpg.connect(infra.database_url)
        try:
            rows = await conn.fetch(
                f"SELECT action FROM {schema}.audit_log WHERE actor = $1 OR user_id IN"
                f" (SELECT user_id FROM {schema}.users WHERE email = $1) ORDER BY audit_id",
                actor,
            )
            return [r["action"] for r in rows]
        finally:
            await conn.close()

    return asyncio.run(read())


def test_login_sets_a_secure_http_only_lax_cookie_that_opens_me(
    gateway: ServiceProcess, owner: str
) -> None:
    response = login(gateway, owner.upper())  # emails compare whatever their case
    cookie = SimpleCookie(response.headers["set-cookie"])[COOKIE]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert (cookie["samesite"].lower(), cookie["path"]) == ("lax", "/")
    session, _ = session_of(response)
    me = httpx.get(f"{gateway.url}/api/v1/auth/me", headers={"Cookie": f"{COOKIE}={session}"})
    assert me.status_code == 200, me.text
    assert (me.json()["email"], me.json()["role"]) == (owner, "owner")
    assert me.json() == response.json()["user"]


def test_a_second_owner_with_the_same_email_is_refused_and_nothing_changes(
    gateway: ServiceProcess, owner: str
) -> None:
    again = create_owner(gateway, owner.upper(), "another long password")
    assert again.returncode != 0
    assert "exists already; nothing changed" in again.stderr
    assert login(gateway, owner, "another long password").status_code == 401
    assert login(gateway, owner).status_code == 200


def test_a_short_password_is_refused_by_create_owner(gateway: ServiceProcess) -> None:
    result = create_owner(gateway, f"short-{uuid.uuid4().hex[:8]}@example.com", "short")
    assert result.returncode != 0
    assert "at least 12 characters" in result.stderr


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(
    gateway: ServiceProcess, owner: str, infra: Infra
) -> None:
    wrong = login(gateway, owner, "not the password")
    unknown = login(gateway, f"nobody-{uuid.uuid4().hex[:8]}@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong email or password"}
    assert "set-cookie" not in wrong.headers
    assert "login.failed" in audit_actions(gateway, infra, owner)


def test_the_eleventh_wrong_password_is_429_and_locks_out_the_right_one_too(
    gateway: ServiceProcess, infra: Infra
) -> None:
    email = f"target-{uuid.uuid4().hex[:8]}@example.com"
    assert create_owner(gateway, email).returncode == 0
    refused = [login(gateway, email, f"guess number {i}").status_code for i in range(10)]
    assert refused == [401] * 10
    locked = login(gateway, email, "guess number 11")
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 3600
    assert login(gateway, email).status_code == 429  # locked: no password is checked
    actions = audit_actions(gateway, infra, email)
    assert actions.count("login.failed") == 10
    assert actions.count("login.locked") == 2


def test_a_cookie_post_without_its_csrf_header_is_refused(
    gateway: ServiceProcess, owner: str
) -> None:
    session, csrf = session_of(login(gateway, owner))
    cookie = {"Cookie": f"{COOKIE}={session}"}
    url = f"{gateway.url}/api/v1/auth/tokens"
    assert httpx.post(url, json={"name": "ci"}, headers=cookie).status_code == 403
    wrong = {**cookie, "X-CSRF-Token": csrf[:-1] + ("A" if csrf[-1] != "A" else "B")}
    assert httpx.post(url, json={"name": "ci"}, headers=wrong).status_code == 403
    gated = httpx.post(f"{gateway.url}/api/v1/connections", json={}, headers=cookie)
    assert gated.status_code == 403
    assert httpx.get(url, headers=cookie).status_code == 200  # safe methods need no header
    created = httpx.post(url, json={"name": "ci"}, headers={**cookie, "X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text


def test_an_api_token_works_until_it_is_revoked(
    gateway: ServiceProcess, owner: str, infra: Infra
) -> None:
    session, csrf = session_of(login(gateway, owner))
    browser = {"Cookie": f"{COOKIE}={session}", "X-CSRF-Token": csrf}
    created = httpx.post(
        f"{gateway.url}/api/v1/auth/tokens",
        json={"name": "nightly export", "expires_in_days": 30},
        headers=browser,
    )
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["token_id"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{gateway.url}/api/v1/auth/me", headers=bearer).json()["email"] == owner
    assert httpx.get(f"{gateway.url}/api/v1/connections", headers=bearer).status_code == 200
    listed = httpx.get(f"{gateway.url}/api/v1/auth/tokens", headers=bearer).json()
    mine = next(t for t in listed if t["token_id"] == token_id)
    assert mine["name"] == "nightly export"
    assert mine["last_used_at"] is not None
    assert mine["revoked_at"] is None
    assert token not in str(listed)  # the secret is shown once only

    revoked = httpx.delete(f"{gateway.url}/api/v1/auth/tokens/{token_id}", headers=bearer)
    assert revoked.status_code == 204
    assert httpx.get(f"{gateway.url}/api/v1/auth/me", headers=bearer).status_code == 401
    assert httpx.get(f"{gateway.url}/api/v1/connections", headers=bearer).status_code == 401
    again = httpx.delete(f"{gateway.url}/api/v1/auth/tokens/{token_id}", headers=browser)
    assert again.status_code == 204  # the user's own token: revoking twice changes nothing
    other = httpx.delete(f"{gateway.url}/api/v1/auth/tokens/{uuid.uuid4()}", headers=browser)
    assert other.status_code == 404
    actions = audit_actions(gateway, infra, owner)
    assert {"login.succeeded", "token.created", "token.revoked"} <= set(actions)


def test_a_token_asked_to_outlive_the_longest_lifetime_is_refused(
    gateway: ServiceProcess, owner: str
) -> None:
    session, csrf = session_of(login(gateway, owner))
    browser = {"Cookie": f"{COOKIE}={session}", "X-CSRF-Token": csrf}
    body = {"name": "forever", "expires_in_days": 10_000}
    answer = httpx.post(f"{gateway.url}/api/v1/auth/tokens", json=body, headers=browser)
    assert answer.status_code == 422
    assert "at most 365" in answer.text


def test_logout_ends_the_session(gateway: ServiceProcess, owner: str) -> None:
    session, csrf = session_of(login(gateway, owner))
    cookie = {"Cookie": f"{COOKIE}={session}"}
    out = httpx.post(f"{gateway.url}/api/v1/auth/logout", headers={**cookie, "X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert httpx.get(f"{gateway.url}/api/v1/auth/me", headers=cookie).status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/connections"),
        ("POST", "/api/v1/connections"),
        ("GET", "/api/v1/connections/c-1"),
        ("POST", "/api/v1/connections/c-1/regions"),
        ("GET", "/api/v1/orders"),  # proxied to order-relay: refused before it is reached
        ("GET", "/api/v1/auth/me"),
        ("GET", "/api/v1/auth/tokens"),
    ],
)
def test_without_credentials_the_api_is_401(
    gateway: ServiceProcess, method: str, path: str
) -> None:
    answer = httpx.request(method, f"{gateway.url}{path}", json={})
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    forged = {"Authorization": "Bearer tsc_pat_" + "A" * 43}
    assert httpx.request(method, f"{gateway.url}{path}", headers=forged).status_code == 401


def test_oauth_callbacks_and_webhooks_keep_their_own_verification(
    gateway: ServiceProcess,
) -> None:
    callback = httpx.get(f"{gateway.url}/oauth/shopify/callback")
    webhook = httpx.post(f"{gateway.url}/webhooks/shopify", content=b"{}")
    assert callback.status_code not in (401, 403)
    assert webhook.status_code == 401  # its HMAC, not a login
    assert "www-authenticate" not in webhook.headers


def connection_account(gateway: ServiceProcess, infra: Infra, connection_id: str) -> str:
    schema = gateway.env.get("DB_SCHEMA", "gateway")

    async def read() -> str:
        conn = await asyncpg.connect(infra.database_url)
        try:
            return str(
                await conn.fetchval(
                    f"SELECT account_id FROM {schema}.connections WHERE connection_id = $1",
                    connection_id,
                )
            )
        finally:
            await conn.close()

    return asyncio.run(read())


def test_a_connection_belongs_to_the_account_of_whoever_created_it(
    gateway: ServiceProcess, owner: str, infra: Infra
) -> None:
    email = f"second-{uuid.uuid4().hex[:8]}@example.com"  # not the first owner: its own account
    assert create_owner(gateway, email).returncode == 0
    session, csrf = session_of(login(gateway, email))
    browser = {"Cookie": f"{COOKIE}={session}", "X-CSRF-Token": csrf}
    me = httpx.get(f"{gateway.url}/api/v1/auth/me", headers=browser).json()
    assert me["account_id"] != "bootstrap"
    suffix = uuid.uuid4().hex[:8]
    body = {"name": "Mine", "shopify_shop_domain": f"mine-{suffix}.myshopify.com"}
    created = httpx.post(
        f"{gateway.url}/api/v1/connections", json={**body, "tiktok_region": "GB"}, headers=browser
    )
    assert created.status_code == 201, created.text
    connection_id = created.json()["connection"]["connection_id"]
    assert connection_account(gateway, infra, connection_id) == me["account_id"]


def test_a_proxied_request_reaches_its_service_without_the_credentials(
    gateway: ServiceProcess, owner: str
) -> None:
    session, csrf = session_of(login(gateway, owner))
    browser = {"Cookie": f"{COOKIE}={session}", "X-CSRF-Token": csrf}
    created = httpx.post(f"{gateway.url}/api/v1/auth/tokens", json={"name": "p"}, headers=browser)
    token = created.json()["token"]
    Upstream.seen.clear()
    forged = sign_caller(
        Caller(account_id="other", role="owner", connection_ids=frozenset({"c"})),
        IDENTITY_KEY,
        "GET",
        "/api/v1/orders",
        datetime.now(UTC),
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Cookie": "other=1",
        "X-Request-Id": "r-1",
        IDENTITY_HEADER: forged,
    }
    answer = httpx.get(f"{gateway.url}/api/v1/orders", headers=headers)
    assert answer.status_code == 200, answer.text
    [arrived] = Upstream.seen
    assert arrived["x-request-id"] == "r-1"
    assert "authorization" not in arrived
    assert "cookie" not in arrived
    # The gateway's own identity of the caller replaces the one sent from outside.
    me = httpx.get(f"{gateway.url}/api/v1/auth/me", headers=browser).json()
    caller = verify_caller(
        arrived[IDENTITY_HEADER.lower()], IDENTITY_KEY, "GET", "/api/v1/orders", datetime.now(UTC)
    )
    assert (caller.account_id, caller.user_id) == (me["account_id"], me["user_id"])
