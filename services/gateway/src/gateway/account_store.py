"""The gateway's account tables: accounts, users, sessions, API tokens, login failures, audit."""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import uuid4

import asyncpg
from connector_runtime.db import Connection
from pydantic import BaseModel

from gateway.core.credentials import Identity, Role

BOOTSTRAP_ACCOUNT = "bootstrap"

_IDENTITY = "u.account_id, u.user_id, u.role"


class User(BaseModel):
    """A user as stored (its password hash never leaves the gateway)."""

    user_id: str
    account_id: str
    name: str
    email: str
    role: Role
    password_hash: str | None  # None: invited, no password set yet (no login opens it)
    disabled: bool

    @property
    def identity(self) -> Identity:
        """The identity requests of this user carry."""
        return Identity(account_id=self.account_id, user_id=self.user_id, role=self.role)


class ApiToken(BaseModel):
    """A personal API token's record (never its secret)."""

    token_id: str
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who (`actor`, and its user and account when known) did what
    (`action` on `target`) from where (`address`)."""

    actor: str
    action: str
    address: str | None
    account_id: str | None = None
    user_id: str | None = None
    target: str | None = None
    detail: dict[str, str] = field(default_factory=dict)


async def account_for_new_owner(conn: Connection, name: str) -> str:
    """The account a new owner gets: the bootstrap account (which holds the connections made
    before accounts existed) while it has no user, else a new account named `name`."""
    taken = await conn.fetchval("SELECT 1 FROM users WHERE account_id = $1", BOOTSTRAP_ACCOUNT)
    if taken is None:
        return BOOTSTRAP_ACCOUNT
    account_id = str(uuid4())
    await conn.execute("INSERT INTO accounts (account_id, name) VALUES ($1, $2)", account_id, name)
    return account_id


async def assign_account(conn: Connection, connection_id: str, account_id: str) -> None:
    """Make `account_id` the owner of a connection (its creator's account)."""
    await conn.execute(
        "UPDATE connections SET account_id = $2 WHERE connection_id = $1", connection_id, account_id
    )


async def add_user(conn: Connection, user: User) -> bool:
    """Store a new user; False when its email is taken (nothing changed)."""
    try:
        await conn.execute(
            "INSERT INTO users (user_id, account_id, name, email, role, password_hash, disabled)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            user.user_id,
            user.account_id,
            user.name,
            user.email,
            user.role.value,
            user.password_hash,
            user.disabled,
        )
    except asyncpg.UniqueViolationError:
        return False
    return True


async def user_by_email(conn: Connection, email: str) -> User | None:
    """The user with this email (any case), if any."""
    row = await conn.fetchrow("SELECT * FROM users WHERE lower(email) = lower($1)", email)
    return User.model_validate(dict(row)) if row else None


async def user_by_id(conn: Connection, user_id: str) -> User | None:
    """The user with this id, if any."""
    row = await conn.fetchrow("SELECT * FROM users WHERE user_id = $1", user_id)
    return User.model_validate(dict(row)) if row else None


async def save_session(
    conn: Connection, session_hash: str, user_id: str, csrf: str, expires_at: datetime, address: str
) -> None:
    """Store a new browser session (by the hash of its id)."""
    await conn.execute(
        "INSERT INTO sessions (session_hash, user_id, csrf_token, expires_at, address)"
        " VALUES ($1, $2, $3, $4, $5)",
        session_hash,
        user_id,
        csrf,
        expires_at,
        address,
    )


async def session_identity(
    conn: Connection, session_hash: str, now: datetime
) -> tuple[Identity, str] | None:
    """`(identity, CSRF token)` of a live session of an enabled user, if any."""
    row = await conn.fetchrow(
        f"SELECT {_IDENTITY}, s.csrf_token FROM sessions s JOIN users u USING (user_id)"
        " WHERE s.session_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
        session_hash,
        now,
    )
    return (_identity(row), str(row["csrf_token"])) if row else None


async def end_session(conn: Connection, session_hash: str) -> None:
    """Forget a session (logout): its cookie opens nothing any more."""
    await conn.execute("DELETE FROM sessions WHERE session_hash = $1", session_hash)


async def save_api_token(
    conn: Connection, user_id: str, name: str, token_hash: str, expires_at: datetime
) -> ApiToken:
    """Store a new personal API token (by its hash) and return its record."""
    row = await conn.fetchrow(
        "INSERT INTO api_tokens (token_id, user_id, name, token_hash, expires_at)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING *",
        str(uuid4()),
        user_id,
        name,
        token_hash,
        expires_at,
    )
    assert row is not None  # INSERT ... RETURNING always returns the row
    return ApiToken.model_validate(dict(row))


async def api_tokens_of(conn: Connection, user_id: str) -> list[ApiToken]:
    """A user's API tokens, oldest first (revoked and expired ones included)."""
    rows = await conn.fetch(
        "SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, token_id", user_id
    )
    return [ApiToken.model_validate(dict(r)) for r in rows]


async def revoke_api_token(conn: Connection, user_id: str, token_id: str, now: datetime) -> bool:
    """Revoke one of the user's tokens; False when the user has no such token. Revoking again
    keeps the first revocation time."""
    row = await conn.fetchval(
        "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3)"
        " WHERE user_id = $1 AND token_id = $2 RETURNING true",
        user_id,
        token_id,
        now,
    )
    return bool(row)


async def token_identity(conn: Connection, token_hash: str, now: datetime) -> Identity | None:
    """The identity of a live (unrevoked, unexpired) API token of an enabled user, if any."""
    row = await conn.fetchrow(
        f"UPDATE api_tokens t SET last_used_at = $2 FROM users u WHERE t.user_id = u.user_id"
        f" AND t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2"
        f" AND NOT u.disabled RETURNING {_IDENTITY}",
        token_hash,
        now,
    )
    return _identity(row) if row else None


async def login_failures(conn: Connection, kind: str, key: str, since: datetime) -> list[datetime]:
    """When logins for this email or address failed, since `since`."""
    rows = await conn.fetch(
        "SELECT failed_at FROM login_failures WHERE kind = $1 AND key = $2 AND failed_at >= $3",
        kind,
        key,
        since,
    )
    return [r["failed_at"] for r in rows]


async def record_login_failure(
    conn: Connection, kind: str, key: str, at: datetime, keep: timedelta
) -> None:
    """Count a failed login for this email or address, dropping its rows older than `keep`."""
    await conn.execute(
        "DELETE FROM login_failures WHERE kind = $1 AND key = $2 AND failed_at < $3",
        kind,
        key,
        at - keep,
    )
    await conn.execute(
        "INSERT INTO login_failures (kind, key, failed_at) VALUES ($1, $2, $3)", kind, key, at
    )


async def audit(conn: Connection, entry: AuditEntry) -> None:
    """Append one line to the audit log."""
    await conn.execute(
        "INSERT INTO audit_log (account_id, user_id, actor, action, target, address, detail)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
        entry.account_id,
        entry.user_id,
        entry.actor,
        entry.action,
        entry.target,
        entry.address,
        json.dumps(entry.detail),
    )


def _identity(row: asyncpg.Record) -> Identity:
    return Identity(account_id=row["account_id"], user_id=row["user_id"], role=row["role"])
