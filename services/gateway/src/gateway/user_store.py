"""The gateway's users of an account and their single-use links (invitation, password reset).

Every query on users takes the caller's account: another account's user is not found.
"""

from datetime import datetime

from connector_runtime.db import Connection

from gateway.account_store import User
from gateway.core.one_time_links import LinkPurpose, StoredLink


async def users_of(conn: Connection, account_id: str) -> list[User]:
    """The account's users, oldest first."""
    rows = await conn.fetch(
        "SELECT * FROM users WHERE account_id = $1 ORDER BY created_at, user_id", account_id
    )
    return [User.model_validate(dict(r)) for r in rows]


async def user_of(conn: Connection, account_id: str, user_id: str) -> User | None:
    """The account's user `user_id`, if it has one."""
    row = await conn.fetchrow(
        "SELECT * FROM users WHERE account_id = $1 AND user_id = $2", account_id, user_id
    )
    return User.model_validate(dict(row)) if row else None


async def rename_user(conn: Connection, account_id: str, user_id: str, name: str) -> User | None:
    """Give the account's user a new name; None when the account has no such user."""
    row = await conn.fetchrow(
        "UPDATE users SET name = $3 WHERE account_id = $1 AND user_id = $2 RETURNING *",
        account_id,
        user_id,
        name,
    )
    return User.model_validate(dict(row)) if row else None


async def delete_user(conn: Connection, account_id: str, user_id: str) -> bool:
    """Delete the account's user (its sessions, tokens and links go with it); False when the
    account has no such user."""
    deleted = await conn.fetchval(
        "DELETE FROM users WHERE account_id = $1 AND user_id = $2 RETURNING true",
        account_id,
        user_id,
    )
    return bool(deleted)


async def save_link(
    conn: Connection, link_hash: str, user_id: str, purpose: LinkPurpose, expires_at: datetime
) -> None:
    """Store a new link for the user, voiding its unused older ones of the same purpose."""
    await conn.execute(
        "DELETE FROM user_links WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        user_id,
        purpose.value,
    )
    await conn.execute(
        "INSERT INTO user_links (link_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
        link_hash,
        user_id,
        purpose.value,
        expires_at,
    )


async def locked_link(conn: Connection, link_hash: str) -> StoredLink | None:
    """The link with this hash, locked until the transaction ends (two uses at once: the
    second waits and then sees it spent)."""
    row = await conn.fetchrow(
        "SELECT user_id, purpose, expires_at, used_at FROM user_links WHERE link_hash = $1"
        " FOR UPDATE",
        link_hash,
    )
    if row is None:
        return None
    return StoredLink(
        user_id=row["user_id"],
        purpose=LinkPurpose(row["purpose"]),
        expires_at=row["expires_at"],
        used_at=row["used_at"],
    )


async def spend_link(conn: Connection, link_hash: str, now: datetime) -> None:
    """Mark a link used: it sets no password again."""
    await conn.execute("UPDATE user_links SET used_at = $2 WHERE link_hash = $1", link_hash, now)


async def set_password(conn: Connection, user_id: str, password_hash: str) -> str:
    """Give the user a new password and end its browser sessions (a reset locks out whoever
    knew the old one); the user's account."""
    account_id: str = await conn.fetchval(
        "UPDATE users SET password_hash = $2 WHERE user_id = $1 RETURNING account_id",
        user_id,
        password_hash,
    )
    await conn.execute("DELETE FROM sessions WHERE user_id = $1", user_id)
    return account_id
