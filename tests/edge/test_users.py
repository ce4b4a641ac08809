"""Users of an account through a real gateway with `GATEWAY_REQUIRE_LOGIN=true`: the owner
invites, the invitation arrives at the devstack's SMTP server, the link sets a password once;
admins list users but change none; password reset by mail; refused mail is retried."""

import asyncio
import re
import uuid
from collections.abc import Callable
from email.message import EmailMessage

import asyncpg
import httpx
import pytest
from connector_devstack.accounts import PASSWORD, browser_headers, create_owner, login
from connector_devstack.infra import Infra
from connector_devstack.mailbox import Mailbox, text_of
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(scope="module")
def gateway(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    """A gateway requiring a login whose mail is tried again within a fraction of a second."""
    return start_module_service(
        "gateway",
        gateway_require_login="true",
        mail_retry_min_seconds="0.2",
        mail_retry_max_seconds="1",
    )


def new_email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:8]}@example.com"


def new_owner(gateway: ServiceProcess) -> tuple[str, dict[str, str]]:
    """A new owner (its own account) and its browser's headers."""
    email = new_email("owner")
    result = create_owner(gateway, email)
    assert result.returncode == 0, result.stderr
    return email, browser_headers(login(gateway, email))


def link_token(message: EmailMessage, page: str) -> str:
    found = re.search(rf"/{page}\?token=([A-Za-z0-9_-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def invite(
    gateway: ServiceProcess, owner: dict[str, str], email: str, name: str = "Ada"
) -> httpx.Response:
    body = {"name": name, "email": email}
    return httpx.post(f"{gateway.url}/api/v1/users", json=body, headers=owner, timeout=30)


def accept(gateway: ServiceProcess, token: str, password: str = PASSWORD) -> httpx.Response:
    body = {"token": token, "password": password}
    return httpx.post(f"{gateway.url}/api/v1/auth/accept-invitation", json=body, timeout=30)


def invited_admin(
    gateway: ServiceProcess, mailbox: Mailbox, owner: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """An admin invited by `owner` who accepted by the mailed link, and its browser's headers."""
    email = new_email("admin")
    assert invite(gateway, owner, email).status_code == 201
    (mail,) = mailbox.wait_for(email)
    assert accept(gateway, link_token(mail, "accept-invitation")).status_code == 204
    return email, browser_headers(login(gateway, email))


def audit_actions(gateway: ServiceProcess, infra: Infra, target: str) -> list[str]:
    """The audit log's changes by or to the user `target` (logins left out)."""
    schema = gateway.env.get("DB_SCHEMA", "gateway")

    async def read() -> list[str]:
        conn = await asyncpg.connect(infra.database_url)
        try:
            rows = await conn.fetch(
                f"SELECT action FROM {schema}.audit_log WHERE (target = $1 OR user_id = $1)"
                " AND action NOT LIKE 'login.%' ORDER BY audit_id",
                target,
            )
            return [r["action"] for r in rows]
        finally:
            await conn.close()

    return asyncio.run(read())


def test_an_invited_admin_sets_a_password_by_the_mailed_link_and_logs_in(
    gateway: ServiceProcess, mailbox: Mailbox, infra: Infra
) -> None:
    _, owner = new_owner(gateway)
    email = new_email("admin")
    invited = invite(gateway, owner, email.upper())
    assert invited.status_code == 201, invited.text
    assert (invited.json()["email"], invited.json()["role"]) == (email, "admin")
    assert invited.json()["status"] == "invited"
    (mail,) = mailbox.wait_for(email)
    assert mail["Subject"] == "You are invited to the connector"
    assert "Olivia added you" in text_of(mail)
    assert login(gateway, email).status_code == 401  # no password until the link is followed
    token = link_token(mail, "accept-invitation")
    assert accept(gateway, token, "short").status_code == 422
    assert accept(gateway, token).status_code == 204
    assert accept(gateway, token, "another long password").status_code == 400  # single use
    assert login(gateway, email).status_code == 200
    user_id = invited.json()["user_id"]
    assert audit_actions(gateway, infra, user_id) == ["user.invited", "invitation.followed"]


def test_an_admin_lists_the_users_but_cannot_change_them(
    gateway: ServiceProcess, mailbox: Mailbox
) -> None:
    owner_email, owner = new_owner(gateway)
    admin_email, admin = invited_admin(gateway, mailbox, owner)
    listed = httpx.get(f"{gateway.url}/api/v1/users", headers=admin, timeout=30)
    assert listed.status_code == 200, listed.text
    users = {u["email"]: (u["role"], u["status"]) for u in listed.json()}
    assert users == {owner_email: ("owner", "active"), admin_email: ("admin", "active")}
    owner_id = next(u["user_id"] for u in listed.json() if u["role"] == "owner")
    url = f"{gateway.url}/api/v1/users"
    assert invite(gateway, admin, new_email("other")).status_code == 403
    patched = httpx.patch(f"{url}/{owner_id}", json={"name": "X"}, headers=admin, timeout=30)
    assert patched.status_code == 403
    assert httpx.delete(f"{url}/{owner_id}", headers=admin, timeout=30).status_code == 403


def test_the_owner_renames_but_cannot_change_an_email_and_deleting_is_undone_by_adding_again(
    gateway: ServiceProcess, mailbox: Mailbox, infra: Infra
) -> None:
    _, owner = new_owner(gateway)
    email, admin = invited_admin(gateway, mailbox, owner)
    url = f"{gateway.url}/api/v1/users"
    user_id = next(
        u["user_id"] for u in httpx.get(url, headers=owner).json() if u["email"] == email
    )
    renamed = httpx.patch(f"{url}/{user_id}", json={"name": "Ada L."}, headers=owner, timeout=30)
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Ada L."), renamed.text
    moved = httpx.patch(
        f"{url}/{user_id}", json={"name": "A", "email": "x@example.com"}, headers=owner, timeout=30
    )
    assert moved.status_code == 422
    assert "email" in moved.text
    assert httpx.delete(f"{url}/{user_id}", headers=owner, timeout=30).status_code == 204
    assert httpx.get(url, headers=admin, timeout=30).status_code == 401  # its session is gone
    assert login(gateway, email).status_code == 401
    again = invite(gateway, owner, email)
    assert (again.status_code, again.json()["status"]) == (201, "invited")
    assert len(mailbox.wait_for(email, count=2)) == 2
    assert audit_actions(gateway, infra, user_id) == [
        "user.invited", "invitation.followed", "user.renamed", "user.deleted",
    ]  # fmt: skip


def test_another_accounts_user_is_not_found_and_unchanged(
    gateway: ServiceProcess, mailbox: Mailbox
) -> None:
    _, owner_a = new_owner(gateway)
    _, owner_b = new_owner(gateway)
    email = new_email("admin")
    user_id = invite(gateway, owner_a, email).json()["user_id"]
    url = f"{gateway.url}/api/v1/users"
    patched = httpx.patch(f"{url}/{user_id}", json={"name": "B's"}, headers=owner_b, timeout=30)
    assert patched.status_code == 404
    assert httpx.delete(f"{url}/{user_id}", headers=owner_b, timeout=30).status_code == 404
    assert email not in {u["email"] for u in httpx.get(url, headers=owner_b).json()}
    names = {u["email"]: u["name"] for u in httpx.get(url, headers=owner_a).json()}
    assert names[email] == "Ada"


def test_user_routes_need_a_login(gateway: ServiceProcess) -> None:
    assert httpx.get(f"{gateway.url}/api/v1/users", timeout=30).status_code == 401
    body = {"name": "Eve", "email": new_email("eve")}
    assert httpx.post(f"{gateway.url}/api/v1/users", json=body, timeout=30).status_code == 401


def reset(gateway: ServiceProcess, email: str) -> httpx.Response:
    url = f"{gateway.url}/api/v1/auth/password-reset"
    return httpx.post(url, json={"email": email}, timeout=30)


def confirm(gateway: ServiceProcess, token: str, password: str) -> httpx.Response:
    url = f"{gateway.url}/api/v1/auth/password-reset/confirm"
    return httpx.post(url, json={"token": token, "password": password}, timeout=30)


def test_a_password_reset_link_sets_a_new_password_once_and_ends_the_sessions(
    gateway: ServiceProcess, mailbox: Mailbox
) -> None:
    email, owner = new_owner(gateway)
    stranger = new_email("nobody")
    assert reset(gateway, stranger).status_code == 202  # the same answer, whoever asks
    assert reset(gateway, email.upper()).status_code == 202
    (mail,) = mailbox.wait_for(email)
    assert mailbox.messages_to(stranger) == []  # queued before the owner's: it would be here
    token = link_token(mail, "reset-password")
    assert confirm(gateway, token, NEW_PASSWORD).status_code == 204
    assert confirm(gateway, token, "yet another passphrase").status_code == 400
    assert httpx.get(f"{gateway.url}/api/v1/users", headers=owner).status_code == 401
    assert login(gateway, email).status_code == 401
    assert login(gateway, email, NEW_PASSWORD).status_code == 200


def test_an_invitation_link_does_not_reset_a_password(
    gateway: ServiceProcess, mailbox: Mailbox
) -> None:
    _, owner = new_owner(gateway)
    email = new_email("admin")
    invite(gateway, owner, email)
    (mail,) = mailbox.wait_for(email)
    assert confirm(gateway, link_token(mail, "accept-invitation"), NEW_PASSWORD).status_code == 400
    assert accept(gateway, link_token(mail, "accept-invitation")).status_code == 204


def mails_failed(gateway: ServiceProcess) -> float:
    text = httpx.get(f"{gateway.url}/metrics", timeout=30).text
    found = re.search(
        r'^connector_mails_total\{kind="password_reset",outcome="failed"\} (\S+)$', text, re.M
    )
    return float(found.group(1)) if found else 0.0


def test_a_mail_the_server_refuses_at_first_is_retried_until_it_arrives(
    gateway: ServiceProcess, mailbox: Mailbox
) -> None:
    email, _ = new_owner(gateway)
    refused_before, failed_before = mailbox.refused, mails_failed(gateway)
    mailbox.refuse_next(2)
    assert reset(gateway, email).status_code == 202
    (mail,) = mailbox.wait_for(email)
    assert mailbox.refused == refused_before + 2
    assert mails_failed(gateway) == failed_before + 2
    assert confirm(gateway, link_token(mail, "reset-password"), NEW_PASSWORD).status_code == 204
