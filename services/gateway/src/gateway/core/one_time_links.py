"""Single-use, expiring links that let a user set a password: an invitation or a reset.

The link carries a random secret (256 bits); only its SHA-256 is stored, as for sessions. Using
a link spends it, and asking for a new one of the same purpose voids the older ones.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class LinkPurpose(StrEnum):
    """What following a link does."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


# The console page each purpose opens (it posts the token and the new password to the API).
_PAGES = {
    LinkPurpose.INVITATION: "accept-invitation",
    LinkPurpose.PASSWORD_RESET: "reset-password",
}

UNUSABLE = "the link is unknown, used or expired; ask for a new one"


@dataclass(frozen=True)
class StoredLink:
    """A link's record, as the store has it."""

    user_id: str
    purpose: LinkPurpose
    expires_at: datetime
    used_at: datetime | None


def expiry(now: datetime, lifetime_seconds: float) -> datetime:
    """When a link made `now` stops working."""
    return now + timedelta(seconds=lifetime_seconds)


def usable(link: StoredLink | None, purpose: LinkPurpose, now: datetime) -> bool:
    """Whether `link` may set a password now: it exists, is of this purpose, unused, unexpired."""
    return (
        link is not None
        and link.purpose is purpose
        and link.used_at is None
        and now < link.expires_at
    )


def link_url(public_url: str, purpose: LinkPurpose, secret: str) -> str:
    """The address the mail sends the user to: the console's page, routed in the fragment, so
    the secret is never sent to a server (no access log, no Referer) (ADR 1010)."""
    return f"{public_url.rstrip('/')}/#/{_PAGES[purpose]}?token={secret}"
