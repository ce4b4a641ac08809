"""Sending a user a single-use link by mail, and setting a password by following one.

The link, its mail and what caused them (an invitation, a reset request) are written in the
caller's transaction, so a mail is queued exactly when its link exists (ADR 0810).
"""

from datetime import datetime

from connector_runtime.db import Connection

from gateway.account_store import User
from gateway.core.credentials import random_secret, secret_hash
from gateway.core.mail import invitation_mail, password_reset_mail
from gateway.core.one_time_links import LinkPurpose, expiry, link_url, usable
from gateway.mail import queue_mail
from gateway.passwords import hash_password
from gateway.settings import GatewaySettings
from gateway.user_store import locked_link, save_link, set_password, spend_link


class LinkUnusable(Exception):
    """The link is unknown, of another purpose, used or expired (deliberately not told apart)."""


async def mail_invitation(
    conn: Connection, settings: GatewaySettings, now: datetime, user: User, inviter: str
) -> None:
    """Queue `user`'s invitation: a link to set their first password."""
    lifetime = settings.invitation_lifetime_seconds
    link, expires_at = await _new_link(conn, settings, now, user, LinkPurpose.INVITATION, lifetime)
    await queue_mail(conn, invitation_mail(user.name, user.email, inviter, link, expires_at))


async def mail_password_reset(
    conn: Connection, settings: GatewaySettings, now: datetime, user: User
) -> None:
    """Queue a password-reset mail for `user`."""
    lifetime = settings.password_reset_lifetime_seconds
    purpose = LinkPurpose.PASSWORD_RESET
    link, expires_at = await _new_link(conn, settings, now, user, purpose, lifetime)
    await queue_mail(conn, password_reset_mail(user.name, user.email, link, expires_at))


async def follow_link(
    conn: Connection, now: datetime, purpose: LinkPurpose, secret: str, password: str
) -> tuple[str, str]:
    """Set the password of the link's user and spend the link (call in a transaction):
    `(user id, account id)`, or LinkUnusable."""
    link_hash = secret_hash(secret)
    link = await locked_link(conn, link_hash)
    if link is None or not usable(link, purpose, now):
        raise LinkUnusable()
    account_id = await set_password(conn, link.user_id, await hash_password(password))
    await spend_link(conn, link_hash, now)
    return link.user_id, account_id


async def _new_link(
    conn: Connection,
    settings: GatewaySettings,
    now: datetime,
    user: User,
    purpose: LinkPurpose,
    lifetime_seconds: float,
) -> tuple[str, datetime]:
    secret, expires_at = random_secret(), expiry(now, lifetime_seconds)
    await save_link(conn, secret_hash(secret), user.user_id, purpose, expires_at)
    return link_url(settings.public_url, purpose, secret), expires_at
