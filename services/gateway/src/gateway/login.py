"""Logging in: the rate limit first, then the password, and every attempt in the audit log.

Failures are counted per email and per client address; a locked key is refused (429) before
any password is checked. An unknown email, a wrong password and a disabled user get the same
answer after the same work (ADR 0800).
"""

from datetime import datetime

import structlog
from connector_runtime.db import Connection

from gateway.account_store import (
    AuditEntry,
    User,
    audit,
    login_failures,
    record_login_failure,
    user_by_email,
)
from gateway.core.credentials import normalized_email
from gateway.core.login_limits import locked_until
from gateway.metrics import LOGINS
from gateway.passwords import password_matches
from gateway.settings import GatewaySettings

log = structlog.get_logger()


class LoginLocked(Exception):
    """Too many failed logins for the email or the address: refused until `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


class LoginRefused(Exception):
    """Unknown email, wrong password or a disabled user (deliberately not told apart)."""


async def attempt_login(
    db: Connection, settings: GatewaySettings, now: datetime, email: str, password: str,
    address: str,
) -> User:  # fmt: skip
    """The user `email` and `password` log in as; raises LoginLocked or LoginRefused."""
    keys = {"email": normalized_email(email), "address": address}
    until = await _locked_until(db, settings, now, keys)
    if until is not None:
        await _audit(db, _entry("login.locked", keys, None), "locked")
        raise LoginLocked(until)
    user = await user_by_email(db, keys["email"])
    matches = await password_matches(user.password_hash if user else None, password)
    if user is None or not matches or user.disabled:
        for kind, key in keys.items():
            await record_login_failure(db, kind, key, now, settings.login_limit(kind).horizon)
        await _audit(db, _entry("login.failed", keys, user), "refused")
        raise LoginRefused()
    await _audit(db, _entry("login.succeeded", keys, user), "succeeded")
    return user


def _entry(action: str, keys: dict[str, str], user: User | None) -> AuditEntry:
    return AuditEntry(
        actor=keys["email"],
        action=action,
        address=keys["address"],
        account_id=user.account_id if user else None,
        user_id=user.user_id if user else None,
    )


async def _locked_until(
    db: Connection, settings: GatewaySettings, now: datetime, keys: dict[str, str]
) -> datetime | None:
    ends = []
    for kind, key in keys.items():
        limit = settings.login_limit(kind)
        failures = await login_failures(db, kind, key, now - limit.horizon)
        ends.append(locked_until(failures, now, limit))
    return max((e for e in ends if e is not None), default=None)


async def _audit(db: Connection, entry: AuditEntry, outcome: str) -> None:
    LOGINS.labels(outcome).inc()
    log.info(entry.action, actor=entry.actor, user_id=entry.user_id, address=entry.address)
    await audit(db, entry)
